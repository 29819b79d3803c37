import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BUILT_ENV, ROOT, builtNodeArgs } from '@casetrail/testing';

/** A free TCP port on loopback. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** The real server (src/main.ts, compiled: see built.ts) as a separate OS process, so it can be SIGKILLed. */
export class AppProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly output: string[],
  ) {}

  /** `nodeOptions` are V8/Node flags for the server process, e.g. a small heap. */
  static async start(env: Record<string, string>, timeoutMs = 60_000, nodeOptions: string[] = []): Promise<AppProcess> {
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(process.execPath, [...nodeOptions, ...builtNodeArgs(join(ROOT, 'src', 'main.ts'))], {
      cwd: ROOT,
      // Free disk space is the machine's, not the test's: no minimum unless a test sets one.
      env: { ...process.env, ...BUILT_ENV, LOG_LEVEL: 'warn', HEALTH_MIN_FREE_DISK_MB: '0', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    const app = new AppProcess(child, `http://127.0.0.1:${port}`, output);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`The app exited during start-up:\n${output.join('')}`);
      if (await app.health().catch(() => null)) return app;
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGKILL');
    throw new Error(`The app did not answer /health within ${timeoutMs} ms:\n${output.join('')}`);
  }

  async health(): Promise<{ status: string; runsProjections: boolean } | null> {
    const response = await fetch(`${this.url}/health`);
    return response.ok ? ((await response.json()) as { status: string; runsProjections: boolean }) : null;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}
