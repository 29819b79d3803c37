/**
 * Issue 17, item 12: after subject:erase no readable copy of the erased text may remain in any
 * file of the data folder (the stores, their write-ahead logs, anything else), while the
 * server runs and after it stops.
 */
import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppProcess } from '../support/app-process';
import { runCli } from '../support/cli-process';
import { PROFILES } from '../support/test-app';

jest.setTimeout(600_000);

/** Every file under `dir` whose bytes contain `text` (as UTF-8 or UTF-16). */
function filesHolding(dir: string, text: string): string[] {
  const needles = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesHolding(path, text));
    else {
      const bytes = readFileSync(path);
      if (needles.some((n) => bytes.includes(n))) found.push(path);
    }
  }
  return found;
}

describe('erased text leaves the data folder (sqlite)', () => {
  const sqlite = PROFILES.find((p) => p.name === 'sqlite')!;
  let storage: Awaited<ReturnType<typeof sqlite.create>>;
  let server: AppProcess;
  afterAll(async () => {
    await server?.kill();
    await storage?.drop();
  });

  it('no file of DATA_DIR holds the erased evidence, with the server running and after it stops', async () => {
    storage = await sqlite.create();
    const env = storage.env;
    const secret = `Evidence-${Math.random().toString(36).slice(2)}-about-the-child`;
    const kept = `Evidence-${Math.random().toString(36).slice(2)}-kept`;
    const admin = JSON.parse((await runCli(env, ['user:add', '--name', 'Ada Admin', '--role', 'admin'])).stdout) as {
      token: string;
    };
    server = await AppProcess.start(env);
    const post = async (token: string, url: string, body: object, status: number): Promise<Record<string, unknown>> => {
      const response = await fetch(`${server.url}${url}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect({ url, status: response.status }).toEqual({ url, status });
      return (await response.json()) as Record<string, unknown>;
    };
    await post(admin.token, '/api/v1/teams', { teamId: 'lac-1', name: 'LAC 1', service: 'Children’s social care' }, 201);
    const qa = JSON.parse(
      (await runCli(env, ['user:add', '--name', 'Quinn QA', '--role', 'qa-officer', '--team', 'lac-1'])).stdout,
    ) as { token: string };
    const auditIds: string[] = [];
    const views = async (): Promise<string> => {
      const bodies: string[] = [];
      for (const id of auditIds) {
        const response = await fetch(`${server.url}/api/v1/audits/${id}`, {
          headers: { Authorization: `Bearer ${admin.token}` },
        });
        bodies.push(await response.text());
      }
      return bodies.join('\n');
    };
    for (const [ref, text] of [
      ['C-GONE', secret],
      ['C-KEPT', kept],
    ]) {
      const audit = await post(qa.token, '/api/v1/audits', { caseRef: ref, teamId: 'lac-1', auditedOn: '2026-04-06' }, 201);
      auditIds.push(String(audit.auditId));
      await post(
        qa.token,
        `/api/v1/audits/${String(audit.auditId)}/grades`,
        { domain: 'planning', grade: 'good', evidence: text },
        200,
      );
      // Graded again: the read model's row is rewritten, leaving older copies in freed space.
      await post(
        qa.token,
        `/api/v1/audits/${String(audit.auditId)}/grades`,
        { domain: 'planning', grade: 'requires-improvement', evidence: `${text} (regraded)` },
        200,
      );
    }
    // The views hold the text before the erasure (else this test could not fail).
    expect(await views()).toContain(secret);

    // A damaged read database set aside at some start-up (read-db-guard.ts) would hold the text too.
    copyFileSync(
      join(env.DATA_DIR, 'read-models.sqlite'),
      join(env.DATA_DIR, 'read-models.corrupt-2026-01-01T00-00-00-000Z.sqlite'),
    );
    expect(filesHolding(env.DATA_DIR, secret).length).toBeGreaterThan(0);

    // Other people keep working while the erasure runs: the server writes to the read database throughout.
    let erasing = true;
    const busy = (async () => {
      for (let i = 0; erasing; i++) {
        await post(
          admin.token,
          '/api/v1/teams',
          { teamId: `busy-${i}`, name: `Busy ${i}`, service: 'Children’s social care' },
          201,
        );
        await views();
      }
    })();
    const erased = await runCli(env, ['subject:erase', 'C-GONE', '--reason', 'Right to erasure request, ref DP-7']);
    erasing = false;
    await busy;
    expect(erased.code).toBe(0);
    expect(filesHolding(env.DATA_DIR, secret)).toEqual([]);
    // The server goes on writing (the kept child's text stays readable) and still leaves no copy.
    await post(admin.token, '/api/v1/teams', { teamId: 'lac-2', name: 'LAC 2', service: 'Children’s social care' }, 201);
    const afterText = await views();
    expect(afterText).not.toContain(secret);
    expect(afterText).toContain(kept);
    expect(filesHolding(env.DATA_DIR, secret)).toEqual([]);

    await server.kill('SIGTERM');
    expect(filesHolding(env.DATA_DIR, secret)).toEqual([]);
    expect(filesHolding(env.DATA_DIR, kept).length).toBeGreaterThan(0);
  });
});
