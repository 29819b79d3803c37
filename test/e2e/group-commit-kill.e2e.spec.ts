/**
 * Group commit (issue 15): concurrent commands share one transaction and one fsync, and none is
 * answered before that transaction is durable. Here the real server (a separate OS process)
 * gets 32 concurrent commands and is SIGKILLed the moment the first answer arrives: every
 * command it acknowledged must be in the log afterwards, at the position it answered.
 */
import { collect } from '@casetrail/testing';
import { PLATFORM } from '../../src/contexts';
import { loadConfig } from '../../src/config/app-config';
import { AppProcess } from '../support/app-process';
import { runCli } from '../support/cli-process';
import { PROFILES } from '../support/test-app';

const CONCURRENT = 32;

interface Answer {
  status: number; // 0 when the connection failed (the server died under it)
  streamId?: string;
  position?: string;
}

describe.each(PROFILES.filter((p) => p.enabled))('group commit survives kill -9: $name', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let app: AppProcess | null = null;

  beforeEach(async () => {
    storage = await profile.create();
  });
  afterEach(async () => {
    await app?.kill();
    await storage.drop();
  });

  it('every command acknowledged before the SIGKILL is in the log at the position it answered', async () => {
    const env: Record<string, string> = { ...storage.env, RATE_LIMIT_PER_MINUTE: '1000000' };
    const admin = await runCli(env, ['user:add', '--name', 'Ada Admin', '--role', 'admin']);
    expect(admin.code).toBe(0);
    const { token } = JSON.parse(admin.stdout) as { token: string };
    const server = await AppProcess.start(env);
    app = server;

    let killed: Promise<void> | null = null;
    const send = async (i: number): Promise<Answer> => {
      try {
        const response = await fetch(`${server.url}/api/v1/teams`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ teamId: `kill-${i}`, name: `Kill test ${i}`, service: 'Front door' }),
        });
        const body = (await response.json()) as { streamId?: string; position?: string };
        // Killed right after the first acknowledgement arrives: its transaction must already be durable.
        if (response.status === 201) killed ??= server.kill('SIGKILL');
        return { status: response.status, ...body };
      } catch {
        return { status: 0 };
      }
    };
    const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => send(i)));
    await killed;
    expect(server.child.signalCode).toBe('SIGKILL');

    const acknowledged = answers.filter((a) => a.status === 201);
    expect(acknowledged.length).toBeGreaterThan(0);
    // Anything else is a command cut off by the kill, never a refusal.
    expect(answers.filter((a) => a.status !== 201 && a.status !== 0)).toEqual([]);

    const store = await PLATFORM.openEventStore(loadConfig({ LOG_LEVEL: 'error', ...env }));
    try {
      for (const answer of acknowledged) {
        const events = await collect(store.readStream(answer.streamId!));
        expect(events.map((e) => e.position.toString())).toContain(answer.position);
      }
    } finally {
      await store.close();
    }
  });
});
