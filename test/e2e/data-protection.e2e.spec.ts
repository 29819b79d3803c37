/**
 * Crypto-shredding end to end: two children's audits and disputes, one child erased from the
 * command line while the server runs. Afterwards their text reads "[erased]" in every view,
 * the trail and the export hold only ciphertext, verification passes, a rebuild gives the
 * same views, and the other child's text is untouched.
 */
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { collect } from '@casetrail/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli-process';
import { PROFILES, TestApp, type User } from '../support/test-app';

// Each CLI run is a separate Node process compiling TypeScript: slow on a shared machine.
jest.setTimeout(300_000);

const ERASED_TEXT = 'Zebra-secret';
const KEPT_TEXT = 'Koala-kept';

describe.each(PROFILES.filter((p) => p.enabled))('data protection: crypto-shredding a child ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, qa: User, iro: User, inspector: User;
  const ids: Record<string, { auditId: string; disputeId: string }> = {};

  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  const recordChild = async (ref: string, text: string) => {
    const audit = await t.as(qa).post('/api/v1/audits', { caseRef: ref, teamId: 'lac-1', auditedOn: '2026-04-06' }).expect(201);
    const auditId = audit.body.auditId as string;
    await t
      .as(qa)
      .post(`/api/v1/audits/${auditId}/grades`, { domain: 'planning', grade: 'good', evidence: `${text} evidence` })
      .expect(200);
    await t
      .as(qa)
      .post(`/api/v1/audits/${auditId}/submit`, {
        overallGrade: 'good',
        strengths: [`${text} strength`],
        areasForDevelopment: [`${text} area`],
      })
      .expect(200);
    const dispute = await t
      .as(iro)
      .post('/api/v1/disputes', {
        childRef: ref,
        teamId: 'lac-1',
        category: 'matching',
        summary: `${text} summary`,
        desiredOutcome: `${text} outcome`,
      })
      .expect(201);
    ids[ref] = { auditId, disputeId: dispute.body.disputeId as string };
  };
  /** Every GET view that holds a child's text, as one JSON string. */
  const views = async (ref: string): Promise<string> => {
    const { auditId, disputeId } = ids[ref];
    const bodies = await Promise.all(
      [`/api/v1/audits/${auditId}`, `/api/v1/disputes/${disputeId}`, '/api/v1/audits', '/api/v1/disputes'].map(
        async (url) => (await t.as(inspector).get(url).expect(200)).body as unknown,
      ),
    );
    return JSON.stringify(bodies);
  };
  const trailOf = async (ref: string): Promise<string> => {
    const { auditId, disputeId } = ids[ref];
    const bodies = [];
    for (const streamId of [`audit-${auditId}`, `dispute-${disputeId}`]) {
      bodies.push((await t.as(inspector).get(`/api/v1/trail?streamId=${streamId}`).expect(200)).body);
      bodies.push((await t.as(inspector).get(`/api/v1/streams/${streamId}`).expect(200)).body);
    }
    bodies.push((await t.as(inspector).get(`/api/v1/trail/changes?from=2000-01-01T00:00:00.000Z`).expect(200)).body);
    return JSON.stringify(bodies);
  };

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    await t
      .as(admin)
      .post('/api/v1/teams', { teamId: 'lac-1', name: 'Looked After Children 1', service: 'Children’s social care' })
      .expect(201);
    qa = await t.userWithToken('qa-officer', ['lac-1']);
    iro = await t.userWithToken('iro', ['lac-1']);
    inspector = await t.userWithToken('inspector');
    await recordChild('C-ERASE', ERASED_TEXT);
    await recordChild('C-KEEP', KEPT_TEXT);
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it('stores personal text encrypted: the log never holds it, the views show it', async () => {
    const stored = JSON.stringify((await collect(store().readAll({ upcast: false }))).map((e) => e.data));
    expect(stored).not.toContain(ERASED_TEXT);
    expect(stored).not.toContain(KEPT_TEXT);
    expect(stored).toContain('C-ERASE'); // the reference stays in the clear: it finds the key
    expect(await views('C-ERASE')).toContain(`${ERASED_TEXT} evidence`);
    // The trail shows the stored shape (so anyone can recompute the hashes): ciphertext only.
    const trail = await trailOf('C-ERASE');
    expect(trail).not.toContain(ERASED_TEXT);
    expect(trail).toContain('enc:v1:');
  });

  describe('after subject:erase', () => {
    let viewsAfter: string;
    beforeAll(async () => {
      const cli = await runCli(storage.env, ['subject:erase', 'C-ERASE', '--reason', 'Right to erasure request, ref DP-42']);
      expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(cli.stdout)).toMatchObject({
        subjectRef: 'C-ERASE',
        streams: 2,
        alreadyErased: false,
        rebuilt: expect.any(Array),
      });
      viewsAfter = await views('C-ERASE');
    });

    it('every view shows "[erased]" for the child’s text and keeps everything else', async () => {
      expect(viewsAfter).not.toContain(ERASED_TEXT);
      const audit = (await t.as(inspector).get(`/api/v1/audits/${ids['C-ERASE'].auditId}`).expect(200)).body;
      expect(JSON.stringify(audit)).toContain('[erased]');
      expect(audit).toMatchObject({ caseRef: 'C-ERASE', overallGrade: 'good' });
      const dispute = (await t.as(inspector).get(`/api/v1/disputes/${ids['C-ERASE'].disputeId}`).expect(200)).body;
      expect(dispute).toMatchObject({ summary: '[erased]', desiredOutcome: '[erased]', childRef: 'C-ERASE' });
    });

    it('the other child’s text is still readable', async () => {
      const kept = await views('C-KEEP');
      expect(kept).toContain(`${KEPT_TEXT} evidence`);
      expect(kept).toContain(`${KEPT_TEXT} summary`);
    });

    it('the trail, stream histories and changes in words no longer hold the text', async () => {
      expect(await trailOf('C-ERASE')).not.toContain(ERASED_TEXT);
      const erasures = await t.as(inspector).get('/api/v1/trail?type=SubjectErased').expect(200);
      expect(erasures.body.events).toEqual([
        expect.objectContaining({
          streamId: 'subject-erasures',
          data: expect.objectContaining({ subjectRef: 'C-ERASE', reason: 'Right to erasure request, ref DP-42' }),
        }),
      ]);
    });

    it('verification still passes, and an export verifies offline and holds no text', async () => {
      expect((await t.as(inspector).get('/api/v1/trail/verify').expect(200)).body).toMatchObject({ valid: true });
      const exported = await t
        .as(inspector)
        .get('/api/v1/trail/export?format=ndjson')
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => done(null, text));
        });
      expect(exported.status).toBe(200);
      const text = exported.body as string;
      expect(text).not.toContain(ERASED_TEXT);
      const file = join(storage.env.DATA_DIR, 'export.ndjson');
      writeFileSync(file, text);
      const offline = await runCli({}, ['trail:verify-export', file]);
      expect(JSON.parse(offline.stdout)).toMatchObject({ valid: true });
      const cli = await runCli(storage.env, ['trail:verify']);
      expect(cli.code).toBe(0);
    });

    it('a rebuild from zero gives the same views', async () => {
      const cli = await runCli(storage.env, ['projections:rebuild']);
      expect(cli.code).toBe(0);
      expect(await views('C-ERASE')).toEqual(viewsAfter);
    });

    it('nothing more can be recorded about the erased child, and nothing is appended', async () => {
      const before = await store().headPosition();
      const response = await t.as(qa).post(`/api/v1/audits/${ids['C-ERASE'].auditId}/corrections`, {
        domain: 'planning',
        to: 'requires-improvement',
        reason: 'late information',
      });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ details: { code: 'SUBJECT_ERASED' } });
      expect(await store().headPosition()).toBe(before);
      const again = await t.as(iro).post('/api/v1/disputes', {
        childRef: 'C-ERASE',
        teamId: 'lac-1',
        category: 'matching',
        summary: 's',
        desiredOutcome: 'o',
      });
      expect(again.status).toBe(422);
      expect(await store().headPosition()).toBe(before);
    });

    it('erasing again records nothing new; an unknown reference is refused', async () => {
      const before = await store().headPosition();
      const again = await runCli(storage.env, ['subject:erase', 'C-ERASE', '--reason', 'again']);
      expect(JSON.parse(again.stdout)).toMatchObject({ alreadyErased: true, position: null });
      const unknown = await runCli(storage.env, ['subject:erase', 'C-NOBODY', '--reason', 'typo']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/SUBJECT_NOT_KNOWN/);
      const badRef = await runCli(storage.env, ['subject:erase', 'Jane Smith', '--reason', 'x']);
      expect(badRef.code).toBe(1);
      expect(await store().headPosition()).toBe(before);
    });

    it('retention:run --dry-run lists who is past retention on an injected day, and erases nothing', async () => {
      const before = await store().headPosition();
      const early = await runCli(storage.env, ['retention:run', '--dry-run', '--today', '2030-01-01']);
      expect(JSON.parse(early.stdout)).toMatchObject({ dryRun: true, checked: 1, due: [], erased: [] });
      const late = await runCli(storage.env, ['retention:run', '--dry-run', '--today', '2070-01-01']);
      expect(JSON.parse(late.stdout)).toMatchObject({
        dryRun: true,
        due: [expect.objectContaining({ subjectRef: 'C-KEEP', rule: expect.stringMatching(/35 years after the last event/) })],
        erased: [],
      });
      expect(await store().headPosition()).toBe(before);
      expect(await views('C-KEEP')).toContain(KEPT_TEXT);
    });

    it('retention:run without --dry-run erases who is past retention, and verification still passes', async () => {
      const run = await runCli(storage.env, ['retention:run', '--today', '2070-01-01']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ dryRun: false, erased: ['C-KEEP'], rebuilt: expect.any(Array) });
      const kept = await views('C-KEEP');
      expect(kept).not.toContain(KEPT_TEXT);
      expect(kept).toContain('[erased]');
      const erasures = await t.as(inspector).get('/api/v1/trail?type=SubjectErased').expect(200);
      expect(erasures.body.events.map((e: { data: { subjectRef: string; reason: string } }) => e.data)).toEqual([
        expect.objectContaining({ subjectRef: 'C-ERASE' }),
        expect.objectContaining({ subjectRef: 'C-KEEP', reason: expect.stringMatching(/^retention period ended/) }),
      ]);
      expect((await t.as(inspector).get('/api/v1/trail/verify').expect(200)).body).toMatchObject({ valid: true });
    });
  });
});
