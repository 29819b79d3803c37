#!/usr/bin/env node
// Builds Casetrail only when its sources changed, and never from under a running process.
//
// Each build goes to its own folder, .builds/<hash of the sources>/, and `dist` is a symbolic link
// switched to it in one rename once the build is complete. A server or CLI already running keeps
// reading its own build folder (Node resolves modules by their real path), so a build beside it
// cannot empty the folder it runs from. `npm start` and `npm run cli` call this first: when the
// sources are unchanged it answers at once instead of rebuilding for half a minute.
//
//   node scripts/build.mjs           build if stale
//   node scripts/build.mjs --force   build even if current
//   node scripts/build.mjs --quiet   say nothing when the build is current (before a CLI command)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILDS = join(ROOT, '.builds');
const DIST = join(ROOT, 'dist');
/** Builds kept besides the current one, for processes still running from them. */
const KEEP_OLDER = 3;

/** What the build reads: the TypeScript it compiles and the files that configure it. */
function sourceFiles() {
  const files = ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) files.push(path);
    }
  };
  for (const dir of ['src', 'libs', 'test/bench']) if (existsSync(join(ROOT, dir))) walk(dir);
  return files.filter((file) => existsSync(join(ROOT, file))).sort();
}

function sourcesHash() {
  const hash = createHash('sha256');
  for (const file of sourceFiles())
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** The build folder `dist` points at now, if it is one of ours. */
function currentBuild() {
  try {
    if (!lstatSync(DIST).isSymbolicLink()) return null;
    return join(ROOT, readlinkSync(DIST));
  } catch {
    return null;
  }
}

function build(hash) {
  mkdirSync(BUILDS, { recursive: true });
  const target = join(BUILDS, hash);
  const staging = join(BUILDS, `${hash}.staging-${process.pid}`);
  const tsconfig = join(BUILDS, `tsconfig.${hash}.${process.pid}.json`);
  writeFileSync(
    tsconfig,
    JSON.stringify({ extends: '../tsconfig.build.json', compilerOptions: { outDir: relative(BUILDS, staging) } }),
  );
  try {
    const nest = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', '-p', relative(ROOT, tsconfig)],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    if (nest.status !== 0) throw new Error(`nest build failed (exit ${nest.status})`);
    writeFileSync(join(staging, '.complete'), `${hash}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(tsconfig, { force: true });
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** Points `dist` at the build in one rename; an old real dist/ folder is moved aside, not deleted. */
function switchDist(target) {
  if (existsSync(DIST) && !lstatSync(DIST).isSymbolicLink()) renameSync(DIST, join(BUILDS, `previous-dist-${Date.now()}`));
  const link = join(ROOT, `dist.link-${process.pid}`);
  rmSync(link, { force: true });
  symlinkSync(relative(ROOT, target), link);
  renameSync(link, DIST);
}

/** Keeps the newest few older builds (a long-running process may still use one) and drops the rest. */
function prune(current) {
  const older = readdirSync(BUILDS)
    .map((name) => join(BUILDS, name))
    .filter((path) => path !== current && statSync(path).isDirectory() && !path.includes('.staging-'))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const path of older.slice(KEEP_OLDER)) rmSync(path, { recursive: true, force: true });
}

const hash = sourcesHash();
const target = join(BUILDS, hash);
const current = currentBuild();
if (!process.argv.includes('--force') && current === target && existsSync(join(target, '.complete'))) {
  if (!process.argv.includes('--quiet')) console.error(`Casetrail is built (sources unchanged, build ${hash}).`);
} else {
  const started = Date.now();
  const built = existsSync(join(target, '.complete')) && !process.argv.includes('--force') ? target : build(hash);
  switchDist(built);
  prune(built);
  console.error(`Casetrail built in ${((Date.now() - started) / 1000).toFixed(1)} s (build ${hash}).`);
}
