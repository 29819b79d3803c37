import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BUILT_ENV, ROOT, builtNodeArgs } from '@casetrail/testing';

const run = promisify(execFile);

/** Runs the real CLI, compiled (see built.ts), as a separate OS process; `input` is written to its stdin (a pipe, not a terminal). */
export async function runCli(
  env: Record<string, string>,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const running = run(process.execPath, [...builtNodeArgs(join(ROOT, 'src', 'cli.ts')), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...BUILT_ENV, LOG_LEVEL: 'error', ...env },
    });
    if (input !== undefined) running.child.stdin?.end(input);
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
