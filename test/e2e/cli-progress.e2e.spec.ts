/**
 * Long CLI commands draw a progress bar on stderr when it is a terminal (here a pseudo-terminal
 * made by `script`), and print nothing extra when it is not; stdout carries only the JSON either way.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BUILT_ENV, ROOT, builtNodeArgs } from '@casetrail/testing';
import { runCli } from '../support/cli-process';

const run = promisify(execFile);
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI with stderr on a pseudo-terminal and stdout into a file; returns both. */
async function cliOnTerminal(
  env: Record<string, string>,
  args: string[],
  dir: string,
): Promise<{ terminal: string; stdout: string }> {
  const out = join(dir, `stdout-${Math.random().toString(36).slice(2)}.json`);
  const command = [process.execPath, ...builtNodeArgs(join(ROOT, 'src', 'cli.ts')), ...args].map(quote).join(' ');
  const { stdout } = await run('script', ['-qec', `${command} > ${quote(out)}`, '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, ...BUILT_ENV, LOG_LEVEL: 'error', COLUMNS: '120', ...env },
  });
  return { terminal: stdout, stdout: readFileSync(out, 'utf8') };
}

describe('progress bars of long CLI commands', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casetrail-progress-'));
    env = { DATA_DIR: join(dir, 'data') };
    for (const name of ['Ada Admin', 'Bea Admin', 'Cy Admin']) {
      expect((await runCli(env, ['user:add', '--name', name, '--role', 'admin'])).code).toBe(0);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('projections:rebuild, trail:verify and trail:export draw a bar on a terminal', async () => {
    const rebuild = await cliOnTerminal(env, ['projections:rebuild'], dir);
    expect(rebuild.terminal).toContain('Rebuilding read models [');
    expect(rebuild.terminal).toMatch(/100% \| \d+\/\d+ log positions/);
    expect(JSON.parse(rebuild.stdout)).toHaveProperty('rebuilt');

    const verify = await cliOnTerminal(env, ['trail:verify'], dir);
    expect(verify.terminal).toContain('Verifying the trail [');
    expect(JSON.parse(verify.stdout)).toMatchObject({ valid: true });

    const file = join(dir, 'export.ndjson');
    const exported = await cliOnTerminal(env, ['trail:export', file], dir);
    expect(exported.terminal).toContain('Exporting the trail [');
    expect(JSON.parse(exported.stdout)).toMatchObject({ file, format: 'ndjson' });
    const verified = await runCli(env, ['trail:verify-export', file]);
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true });
  });

  it('draws nothing when stderr is not a terminal', async () => {
    for (const args of [['projections:rebuild'], ['trail:verify'], ['trail:export', join(dir, 'quiet.ndjson')]]) {
      const result = await runCli(env, args);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(() => JSON.parse(result.stdout)).not.toThrow();
    }
  });
});
