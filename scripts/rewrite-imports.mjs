#!/usr/bin/env node
// Makes every import between top-level folders of src/ go through the folder's published index.ts
// (the rule of docs/architecture.md that eslint.config.mjs enforces):
//   import { AuditRow } from '../audits/projections/audit.projection';  ->  from '../audits';
// and adds `export * from './projections/audit.projection';` to src/audits/index.ts when it lacks it.
// Only the module specifier of import/export lines changes; nothing else in a file is touched.
// Safe to run again (after a merge brings new deep imports): `node scripts/rewrite-imports.mjs [--check]`.
// --check rewrites nothing and exits 1 when some import would change.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');
const check = process.argv.includes('--check');

function* tsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

/** The top-level folder of src a path is in, or null for a file at src/ itself (the composition root) or outside src. */
const folderOf = (path) => {
  const parts = relative(src, path).split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : null;
};

// Files the boundaries branch moved: an import of the old place (from a branch merged later) is mended.
const MOVED = [
  ['auth/principal', 'shared/principal'],
  ['core/personal-data/', 'personal-data/'],
  ['ops/server-presence', 'core/server-presence'],
  // Plans, indicators and self-assessments are one improvement context.
  ['plans', 'improvement/plans'],
  ['plans/', 'improvement/plans/'],
  ['indicators', 'improvement/indicators'],
  ['indicators/', 'improvement/indicators/'],
  ['self-assessments', 'improvement/self-assessments'],
  ['self-assessments/', 'improvement/self-assessments/'],
].map(([from, to]) => [join(src, from), join(src, to)]);

/** The file a relative specifier names (x.ts or x/index.ts), or null; a moved file at its new place. */
const resolveSpecifier = (from, specifier) => {
  const named = resolve(dirname(from), specifier);
  const moved = MOVED.filter(([old]) => named === old || (old.endsWith(sep) && named.startsWith(old)));
  for (const base of [named, ...moved.map(([old, now]) => now + named.slice(old.length))]) {
    for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
  }
  return null;
};

const toPosix = (path) => path.split(sep).join('/');
const relativeSpecifier = (fromDir, to) => {
  const path = toPosix(relative(fromDir, to));
  return path.startsWith('.') ? path : `./${path}`;
};

// `from '...'` of import/export lines, a bare `import '...'`, and jest.mock('...').
const SPECIFIER = /(\bfrom\s+|^\s*import\s+|\bjest\.mock\(\s*)(['"])(\.{1,2}\/[^'"]+)\2/gm;

// `import { a } from '../core'; import type { B } from '../core';` -> `import { a, type B } from '../core';`
// (named imports of another folder's index only; default and namespace imports are left alone).
const NAMED_IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';\n/gm;
function mergeIndexImports(file, text) {
  const groups = new Map();
  for (const match of text.matchAll(NAMED_IMPORT)) {
    const target = match[3].startsWith('.') ? resolveSpecifier(file, match[3]) : null;
    if (!target || !target.endsWith(`${sep}index.ts`) || dirname(dirname(target)) !== src) continue;
    if (folderOf(target) === folderOf(file)) continue;
    if (!groups.has(match[3])) groups.set(match[3], []);
    groups.get(match[3]).push(match);
  }
  let result = text;
  for (const [specifier, matches] of groups) {
    if (matches.length < 2) continue;
    const allTypes = matches.every((m) => m[1]);
    const names = [];
    for (const m of matches) {
      for (const raw of m[2]
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)) {
        const name = !allTypes && m[1] && !raw.startsWith('type ') ? `type ${raw}` : allTypes ? raw.replace(/^type\s+/, '') : raw;
        if (!names.includes(name)) names.push(name);
      }
    }
    const statement = `import ${allTypes ? 'type ' : ''}{ ${names.join(', ')} } from '${specifier}';\n`;
    const [first, ...rest] = matches.map((m) => m[0]);
    result = result.replace(first, statement);
    for (const other of rest) result = result.replace(other, '');
  }
  return result;
}

const exportsToAdd = new Map(); // index path -> Set of './path' specifiers
let changedFiles = 0;
let changedImports = 0;

for (const file of tsFiles(src)) {
  if (file.endsWith(`${sep}index.ts`) && dirname(file) !== src && dirname(dirname(file)) === src) continue;
  const from = folderOf(file);
  const text = readFileSync(file, 'utf8');
  const next = text.replace(SPECIFIER, (whole, lead, quote, specifier) => {
    const target = resolveSpecifier(file, specifier);
    if (!target) return whole;
    const to = folderOf(target);
    if (!to || to === from) return whole;
    const folder = join(src, to);
    const index = join(folder, 'index.ts');
    if (target === index) return whole;
    const published = `./${toPosix(relative(folder, target))
      .replace(/\.ts$/, '')
      .replace(/\/index$/, '')}`;
    if (!exportsToAdd.has(index)) exportsToAdd.set(index, new Set());
    exportsToAdd.get(index).add(published);
    changedImports++;
    return `${lead}${quote}${relativeSpecifier(dirname(file), folder)}${quote}`;
  });
  const merged = mergeIndexImports(file, next);
  if (merged !== text) {
    changedFiles++;
    if (merged !== next) changedImports++;
    if (!check) writeFileSync(file, merged);
    console.log(`${check ? 'would rewrite' : 'rewrote'} ${toPosix(relative(root, file))}`);
  }
}

for (const [index, specifiers] of exportsToAdd) {
  const existing = existsSync(index) ? readFileSync(index, 'utf8') : '';
  const missing = [...specifiers]
    .filter((s) => !new RegExp(`from '${s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`).test(existing))
    .sort();
  if (!missing.length) continue;
  const header = existing
    ? existing.replace(/\n*$/, '\n')
    : `// What other folders may import from src/${toPosix(relative(src, dirname(index)))} (docs/architecture.md: imports between folders go through an index).\n`;
  const added = missing.map((s) => `export * from '${s}';`).join('\n');
  if (!check) writeFileSync(index, `${header}${added}\n`);
  console.log(`${check ? 'would add to' : 'added to'} ${toPosix(relative(root, index))}: ${missing.join(', ')}`);
}

// test/ and scripts/ may import any file of src/ (they test its insides): only imports of moved files are mended there.
for (const dir of ['test', 'scripts'].map((name) => join(root, name)).filter(existsSync)) {
  for (const file of tsFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const next = text.replace(SPECIFIER, (whole, lead, quote, specifier) => {
      const named = resolve(dirname(file), specifier);
      if ([`${named}.ts`, join(named, 'index.ts'), named].some((c) => existsSync(c))) return whole;
      const target = resolveSpecifier(file, specifier);
      if (!target) return whole;
      changedImports++;
      const now = target.endsWith(`${sep}index.ts`) ? dirname(target) : target.replace(/\.ts$/, '');
      return `${lead}${quote}${relativeSpecifier(dirname(file), now)}${quote}`;
    });
    if (next !== text) {
      changedFiles++;
      if (!check) writeFileSync(file, next);
      console.log(`${check ? 'would rewrite' : 'rewrote'} ${toPosix(relative(root, file))}`);
    }
  }
}

console.log(`${changedImports} import(s) in ${changedFiles} file(s) ${check ? 'would be ' : ''}rewritten.`);
if (check && changedImports) process.exit(1);
