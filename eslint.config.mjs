// @ts-check
// Flat config for ESLint 9. Not type-aware on purpose (fast; `npm run typecheck` checks types).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Folders of src/ and what each may import (docs/architecture.md, "Import rules"). Every import between
// folders goes through the folder's index.ts; the platform imports no context (contexts register with
// it instead, src/contexts.ts) and only the platform folders below it; contexts import contexts and the
// platform; web, migrations and the composition root (src/*.ts) may import any folder, and no context does. A cycle between folders fails test/architecture/folder-cycles.unit.spec.ts.
const PLATFORM = {
  shared: [],
  config: ['shared'],
  core: ['shared', 'config'],
  auth: ['shared', 'config', 'core'],
  ops: ['shared', 'config', 'core'],
  'personal-data': ['shared', 'config', 'core', 'ops'],
};
// Above every context: the pages (an adapter) and the read database's schema (whose test reads src/contexts.ts).
const TOP = ['web', 'migrations'];
const ROOT_FILES = ['contexts', 'app.module', 'cli', 'main', 'bootstrap'];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The boundary rules for the files `depth` folders below src/ (1: src/audits/x.ts) in folder `folder`. */
function boundaries(depth, folder) {
  const up = depth === 0 ? '\\./' : '(?:\\.\\./)'.repeat(depth);
  const patterns = [
    {
      regex: `^${up}[^./][^/]*/`,
      message:
        "Import another folder through its index.ts (its published surface), not a file inside it (run 'node scripts/rewrite-imports.mjs').",
    },
  ];
  if (depth === 0) return patterns;
  const allowed = folder in PLATFORM ? PLATFORM[folder] : null;
  if (allowed) {
    patterns.push({
      regex: `^${up}(?!(?:${allowed.map(escape).join('|') || '$^'})(?:/|$))[^./]`,
      message: `src/${folder} is the platform: it may import ${allowed.length ? `only ${allowed.join(', ')}` : 'no other folder'}. Contexts register with the platform instead (src/contexts.ts).`,
    });
  } else if (!TOP.includes(folder)) {
    patterns.push({
      regex: `^${up}(?:${[...TOP, ...ROOT_FILES].map(escape).join('|')})(?:/|$)`,
      message: `A context imports neither ${TOP.join(' nor ')} nor the composition root (src/*.ts).`,
    });
  }
  return patterns;
}

/** One config block per depth and folder kind, so that each file gets exactly its own boundary rules. */
const boundaryBlocks = [0, 1, 2, 3, 4].flatMap((depth) => {
  const glob = (folder) => (depth === 0 ? 'src/*.ts' : `src/${folder}/${'*/'.repeat(depth - 1)}*.ts`);
  const folders = depth === 0 ? ['*'] : ['*', ...Object.keys(PLATFORM), ...TOP];
  return folders.map((folder) => ({
    files: [glob(folder)],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: boundaries(depth, folder) }] },
  }));
});

export default defineConfig(
  globalIgnores([
    'dist/',
    '.builds/',
    '.test-build/',
    'node_modules/',
    'coverage/',
    'data/',
    'jest.config.js',
    'eslint.config.mjs',
  ]),
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // Unused names are errors unless they start with `_` (deliberately unused arguments,
      // destructured leftovers, caught errors). Prefer `catch {` when the error is not used.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  ...boundaryBlocks,
  // The import direction of docs/architecture.md, enforced: libs never reach into the app, and the
  // pure parts (kernel, deciders, events) never touch a framework or I/O.
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/src/*', '../../src/**', '../../../src/**'], message: 'libs/* never import the app (src/*).' }],
        },
      ],
    },
  },
  {
    files: ['libs/kernel/**/*.ts', 'src/**/*.decider.ts', 'src/**/*.events.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'pg', 'better-sqlite3', 'express'],
              message: 'Deciders and the kernel are pure: no framework or database.',
            },
            {
              group: ['node:fs', 'node:child_process', 'node:net', 'node:http', 'fs', 'child_process'],
              message: 'Deciders and the kernel do no I/O.',
            },
            {
              group: ['@casetrail/event-store', '@casetrail/projections'],
              message: 'Deciders do not know how events are stored.',
            },
            // This block replaces the one above for libs/kernel, so it repeats its rule.
            { group: ['**/src/*', '../../src/**', '../../../src/**'], message: 'libs/* never import the app (src/*).' },
          ],
        },
      ],
    },
  },
  // Last: turns off every stylistic rule that would fight Prettier.
  prettier,
);
