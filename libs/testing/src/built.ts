/**
 * Child processes in the tests (the CLI, the server, store and projection helpers) run compiled
 * JavaScript from .test-build/, built once per Jest run by the global set-up, instead of
 * compiling TypeScript at every start through ts-node (seconds each, a minute on a busy machine).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const BUILD_DIR = join(ROOT, '.test-build');
const STAMP = join(BUILD_DIR, '.built');
const SOURCES = ['src', 'libs', 'test/bench'];

/** The newest modification time of any TypeScript source the build compiles. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles without type checking (`npm run typecheck` does that); skipped when the build is newer than every source. */
export function buildForChildProcesses(): void {
  const sources = Math.max(...SOURCES.map((dir) => newestSource(join(ROOT, dir))));
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs > sources) return;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.test-build.json'), '--noCheck'], { stdio: 'inherit' });
  writeFileSync(STAMP, new Date().toISOString());
}

/** `node` arguments that run the compiled form of a TypeScript file of this repository. */
export function builtNodeArgs(tsFile: string): string[] {
  const js = join(BUILD_DIR, relative(ROOT, tsFile)).replace(/\.ts$/, '.js');
  if (!existsSync(js)) throw new Error(`${js} is missing: the Jest global set-up (test/support/global-setup.ts) builds it`);
  return ['-r', 'tsconfig-paths/register', js];
}

/** Environment for those processes: tsconfig-paths maps @casetrail/* into the build, not the sources. */
export const BUILT_ENV = { TS_NODE_BASEURL: BUILD_DIR };
