// @ts-check
// Flat config for ESLint 9. Not type-aware on purpose (fast; `npm run typecheck` checks types).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', '.test-build/', 'node_modules/', 'coverage/', 'data/', 'jest.config.js', 'eslint.config.mjs']),
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
