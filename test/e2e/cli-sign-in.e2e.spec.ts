/**
 * Setting up from the command line (README, "First steps"): an administrator made with
 * `cli user:add` is given a password with `cli user:password` (read from stdin here, as a
 * script or a secret manager would pipe it) and signs in to the web pages. Both run as real
 * child processes beside the running server.
 */
import { runCli } from '../support/cli-process';
import { PROFILES, TestApp } from '../support/test-app';
import { signIn, textOf } from '../support/web-http';

jest.setTimeout(180_000);

const sqlite = PROFILES.find((p) => p.name === 'sqlite')!;
const PASSWORD = 'a long passphrase from the terminal';
const lastJson = (text: string): Record<string, unknown> =>
  JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('an administrator made on the command line signs in to the web pages', () => {
  let storage: Awaited<ReturnType<typeof sqlite.create>>;
  let t: TestApp;
  beforeAll(async () => {
    storage = await sqlite.create();
    t = await TestApp.start(storage.env);
  });
  afterAll(async () => {
    await t?.close();
    await storage?.drop();
  });

  it('with the default ORG_NAME the page title and footer name Casetrail once', async () => {
    const setUp = await t.http.get('/first-run').expect(200);
    expect(/<title>([^<]*)<\/title>/.exec(setUp.text)?.[1]).toBe('Set up Casetrail – Casetrail');
    expect(textOf(setUp.text)).toContain('Casetrail. Every change is recorded and can be inspected.');
    expect(setUp.text).not.toContain('Casetrail for Casetrail');
  });

  it('user:add then user:password (password on stdin) lets them sign in; the password is never printed', async () => {
    const added = await runCli(storage.env, ['user:add', '--name', 'Cleo Cli', '--role', 'admin']);
    expect(added.code).toBe(0);
    const { userId, position } = lastJson(added.stdout) as { userId: string; position: string };
    // Nobody can sign in yet: the first-run page is gone once a user exists. The CLI wrote from
    // another process, so the server is asked to read once its read models have that write.
    await t.http.get('/first-run').set('Consistent-With', position).expect(303).expect('Location', '/sign-in');

    const set = await runCli(storage.env, ['user:password', '--user', userId, '--username', 'Cleo'], `${PASSWORD}\n`);
    expect(set.code).toBe(0);
    const setResult = lastJson(set.stdout) as { position: string };
    expect(setResult).toMatchObject({ userId, name: 'Cleo Cli', username: 'cleo' });
    expect(set.stdout + set.stderr).not.toContain(PASSWORD);
    await t.http.get('/health').set('Consistent-With', setResult.position).expect(200); // the server has read the new password

    const session = await signIn(t, 'cleo', PASSWORD);
    const admin = await session.get('/admin/users').expect(200);
    expect(textOf(admin.text)).toContain('Cleo Cli (Admin)');

    // Again without --username: the one they have is kept, and the new password replaces the old.
    const changed = await runCli(storage.env, ['user:password', '--user', userId], 'another long passphrase\n');
    expect(lastJson(changed.stdout)).toMatchObject({ username: 'cleo' });
    await t.http
      .get('/health')
      .set('Consistent-With', (lastJson(changed.stdout) as { position: string }).position)
      .expect(200);
    await signIn(t, 'cleo', 'another long passphrase');
  });

  it('refuses a short password, an unknown user and a user with no username, and records nothing', async () => {
    const added = await runCli(storage.env, ['user:add', '--name', 'Nia Noname', '--role', 'iro']);
    const { userId } = lastJson(added.stdout) as { userId: string };
    const head = async (): Promise<string> => (await t.http.get('/health').expect(200)).body.eventStore.headPosition as string;
    const before = await head();

    const short = await runCli(storage.env, ['user:password', '--user', userId, '--username', 'nia'], 'short\n');
    expect(short.code).toBe(1);
    expect(lastJson(short.stderr)).toMatchObject({ statusCode: 400 });
    expect(JSON.stringify(lastJson(short.stderr))).toContain('at least 12 characters');

    const noName = await runCli(storage.env, ['user:password', '--user', userId], `${PASSWORD}\n`);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('Nia Noname has no username yet: give one with --username <name>');

    const unknown = await runCli(
      storage.env,
      ['user:password', '--user', '00000000-0000-4000-8000-000000000000', '--username', 'ghost'],
      `${PASSWORD}\n`,
    );
    expect(unknown.code).toBe(1);
    expect(lastJson(unknown.stderr)).toMatchObject({ statusCode: 404 });

    expect(await head()).toBe(before);
  });
});
