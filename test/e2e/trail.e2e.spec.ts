import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { newEvent, testMetadata } from '@casetrail/testing';
import { PROFILES, TestApp, type User } from '../support/test-app';

describe.each(PROFILES.filter((p) => p.enabled))('the inspector trail over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User;
  let inspector: User;
  let northManager: User;

  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  const get = (path: string, user: User) => t.http.get(path).set('Authorization', `Bearer ${user.token}`);
  const registerTeam = (teamId: string) =>
    t.http
      .post('/api/v1/teams')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ teamId, name: `Team ${teamId}`, service: 'CIN' })
      .expect(201);
  /** A stream as another context would record it (a category no projection reads): the team in the first event only. */
  const recordReview = async (id: string, teamId: string, actorId: string) => {
    await store().appendToStream(`review-${id}`, [
      newEvent('CaseReviewStarted', { reviewId: id, teamId, caseRef: `C-${id}` }, { metadata: testMetadata({ actorId }) }),
      newEvent(
        'ReviewGradeCorrected',
        {
          domain: 'management-oversight',
          previousGrade: 'good',
          grade: 'requires-improvement',
          reason: 'no supervision since March',
        },
        { metadata: testMetadata({ actorId }) },
      ),
    ]);
  };

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin', [], 'A. Admin');
    await registerTeam('north');
    await registerTeam('south');
    inspector = await t.userWithToken('inspector', [], 'I. Inspector');
    northManager = await t.userWithToken('team-manager', ['north'], 'J. Smith');
    await recordReview('A-17', 'north', northManager.userId);
    await recordReview('B-2', 'south', admin.userId);
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('lists events in global order with every field needed to recheck the hash, and pages by position', async () => {
    const all = await get('/api/v1/trail?limit=1000', inspector).expect(200);
    const positions = all.body.events.map((e: { position: string }) => Number(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(all.body.nextAfter).toBeNull();
    expect(all.body.events[0]).toEqual(
      expect.objectContaining({
        streamId: expect.any(String),
        revision: '0',
        type: expect.any(String),
        schemaVersion: 1,
        prevHash: null,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        occurredAt: expect.any(String),
        recordedAt: expect.any(String),
        actorId: expect.any(String),
        actorRole: expect.any(String),
        data: expect.anything(),
      }),
    );
    // Page by page, oldest first, gives the same events.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { body: { events: { position: string }[]; nextAfter: string | null } } = await get(
        `/api/v1/trail?limit=3${after ? `&after=${after}` : ''}`,
        inspector,
      ).expect(200);
      seen.push(...page.body.events.map((e) => e.position));
      after = page.body.nextAfter;
    } while (after);
    expect(seen).toEqual(all.body.events.map((e: { position: string }) => e.position));
    // Newest first.
    const newest = await get('/api/v1/trail?order=newest&limit=2', inspector).expect(200);
    expect(newest.body.events.map((e: { position: string }) => e.position)).toEqual(positions.slice(-2).reverse().map(String));
    const older = await get(`/api/v1/trail?order=newest&limit=2&after=${newest.body.nextAfter}`, inspector).expect(200);
    expect(older.body.events.map((e: { position: string }) => e.position)).toEqual(positions.slice(-4, -2).reverse().map(String));
  });

  it('filters by stream, prefix, type, actor, team and recorded time', async () => {
    const byStream = await get('/api/v1/trail?streamId=review-A-17', inspector).expect(200);
    expect(byStream.body.events.map((e: { type: string }) => e.type)).toEqual(['CaseReviewStarted', 'ReviewGradeCorrected']);
    const byPrefix = await get('/api/v1/trail?streamPrefix=review-', inspector).expect(200);
    expect(new Set(byPrefix.body.events.map((e: { streamId: string }) => e.streamId))).toEqual(
      new Set(['review-A-17', 'review-B-2']),
    );
    const byType = await get('/api/v1/trail?type=TeamRegistered', inspector).expect(200);
    expect(byType.body.events.map((e: { data: { teamId: string } }) => e.data.teamId)).toEqual(['north', 'south']);
    const byActor = await get(`/api/v1/trail?actorId=${northManager.userId}`, inspector).expect(200);
    // The first use of their token that day is theirs too (PersonalAccessTokenUsed, in their user stream).
    expect(byActor.body.events.map((e: { streamId: string }) => e.streamId)).toEqual([
      `user-${northManager.userId}`,
      'review-A-17',
      'review-A-17',
    ]);
    // Team rule: events naming the team, and later events of streams whose first event names it.
    const north = await get('/api/v1/trail?teamId=north', inspector).expect(200);
    const northStreams = new Set(north.body.events.map((e: { streamId: string }) => e.streamId));
    expect(northStreams).toEqual(new Set(['team-north', `user-${northManager.userId}`, 'review-A-17']));
    // Recorded-time window: from exclusive, to inclusive.
    const events = (await get('/api/v1/trail?limit=1000', inspector).expect(200)).body.events as {
      position: string;
      recordedAt: string;
    }[];
    const pivot = events.find((e) => e.recordedAt > events[0].recordedAt)!;
    const before = events.filter((e) => e.recordedAt < pivot.recordedAt).at(-1)!;
    const fromPivot = await get(`/api/v1/trail?limit=1000&from=${encodeURIComponent(before.recordedAt)}`, inspector).expect(200);
    expect(fromPivot.body.events.every((e: { recordedAt: string }) => e.recordedAt > before.recordedAt)).toBe(true);
    expect(fromPivot.body.events[0].position).toBe(events.find((e) => e.recordedAt > before.recordedAt)!.position);
    const toBefore = await get(`/api/v1/trail?limit=1000&to=${encodeURIComponent(before.recordedAt)}`, inspector).expect(200);
    expect(toBefore.body.events.map((e: { position: string }) => e.position)).toEqual(
      events.filter((e) => e.recordedAt <= before.recordedAt).map((e) => e.position),
    );
    await get('/api/v1/trail?from=yesterday&limit=0&colour=red', inspector).expect(400);
  });

  it("others read their own teams' trail only", async () => {
    const own = await get('/api/v1/trail', northManager).expect(200);
    const streams = new Set(own.body.events.map((e: { streamId: string }) => e.streamId));
    expect(streams.has('review-A-17')).toBe(true);
    expect(streams.has('review-B-2')).toBe(false);
    expect(streams.has('team-south')).toBe(false);
    await get('/api/v1/trail?teamId=south', northManager).expect(403);
    const hidden = await get('/api/v1/streams/review-B-2', northManager).expect(404); // another team's: as if missing
    expect(hidden.body.details.code).toBe('STREAM_NOT_FOUND');
    await get('/api/v1/streams/review-A-17', northManager).expect(200);
    const changes = await get('/api/v1/trail/changes?from=2000-01-01T00:00:00Z', northManager).expect(200);
    expect(changes.body.entities.map((e: { streamId: string }) => e.streamId)).not.toContain('review-B-2');
    for (const route of ['verify', 'checkpoint', 'export', 'checkpoint/consistency?from=1'])
      await get(`/api/v1/trail/${route}`, northManager).expect(403);
    await get('/api/v1/access-log', northManager).expect(403);
  });

  it('nobody can write through these routes, and reading never appends to the domain log', async () => {
    const head = await store().headPosition();
    await get('/api/v1/trail', admin).expect(200);
    await get('/api/v1/streams/team-north', admin).expect(200);
    await get('/api/v1/trail/changes?from=2000-01-01T00:00:00Z', admin).expect(200);
    await get('/api/v1/trail/verify', admin).expect(200);
    for (const path of ['/api/v1/trail', '/api/v1/streams/team-north', '/api/v1/trail/checkpoint', '/api/v1/access-log']) {
      await t.http.post(path).set('Authorization', `Bearer ${admin.token}`).send({}).expect(404);
      await t.http.delete(path).set('Authorization', `Bearer ${admin.token}`).expect(404);
    }
    expect(await store().headPosition()).toBe(head);
  });

  it("shows one entity's whole history with its state after each event", async () => {
    await t.http
      .patch('/api/v1/teams/north')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ name: 'North and Coast' })
      .expect(200);
    const history = await get('/api/v1/streams/team-north', inspector).expect(200);
    expect(history.body).toMatchObject({ streamId: 'team-north', category: 'team', stateAvailable: true });
    expect(history.body.events.map((e: { type: string; stateAfter: unknown }) => [e.type, e.stateAfter])).toEqual([
      ['TeamRegistered', { status: 'open', teamId: 'north', name: 'Team north', service: 'CIN' }],
      ['TeamRenamed', { status: 'open', teamId: 'north', name: 'North and Coast', service: 'CIN' }],
    ]);
    expect(history.body.events[1].prevHash).toBe(history.body.events[0].hash);
    const user = await get(`/api/v1/streams/user-${northManager.userId}`, inspector).expect(200);
    expect(user.body.events[1].stateAfter.tokens).toEqual({
      [user.body.events[1].data.tokenId]: { revoked: false, expiresAt: expect.any(String) },
    });
    // A category without a registered decider still shows its history.
    const audit = await get('/api/v1/streams/review-A-17', inspector).expect(200);
    expect(audit.body).toMatchObject({
      stateAvailable: false,
      events: [{ type: 'CaseReviewStarted' }, { type: 'ReviewGradeCorrected' }],
    });
    await get('/api/v1/streams/review-nope', inspector).expect(404);
    await get('/api/v1/streams/bad%20id', inspector).expect(400);
  });

  it('says what changed between two instants, grouped by entity, in words', async () => {
    const marker = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await t.http
      .patch('/api/v1/teams/south')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ name: 'South Coast' })
      .expect(200);
    await recordReview('C-9', 'north', northManager.userId);
    const changes = await get(`/api/v1/trail/changes?from=${encodeURIComponent(marker)}`, inspector).expect(200);
    expect(changes.body.entities).toEqual([
      {
        streamId: 'team-south',
        // A record by the name people know it by: a team by its name now, a case review by its case reference.
        entity: 'Team South Coast',
        changes: [
          expect.objectContaining({
            type: 'TeamRenamed',
            text: 'Team South Coast: renamed from "Team south" to "South Coast" by A. Admin',
          }),
        ],
      },
      {
        streamId: 'review-C-9',
        entity: 'Review of C-C-9',
        changes: [
          expect.objectContaining({
            text: 'Review of C-C-9: CaseReviewStarted on review-C-9 by J. Smith',
            actor: { id: northManager.userId, name: 'J. Smith', role: 'admin' },
          }),
          expect.objectContaining({
            text: 'Review C-9: domain grade changed... '.length
              ? expect.stringContaining(
                  'grade changed from good to requires improvement by J. Smith: reason "no supervision since March"',
                )
              : '',
          }),
        ],
      },
    ]);
    const northOnly = await get(`/api/v1/trail/changes?from=${encodeURIComponent(marker)}&teamId=north`, inspector).expect(200);
    expect(northOnly.body.entities.map((e: { streamId: string }) => e.streamId)).toEqual(['review-C-9']);
    const before = await get(
      `/api/v1/trail/changes?from=2000-01-01T00:00:00Z&to=${encodeURIComponent(marker)}`,
      inspector,
    ).expect(200);
    expect(before.body.entities.map((e: { streamId: string }) => e.streamId)).not.toContain('review-C-9');
    await get('/api/v1/trail/changes', inspector).expect(400);
  });

  it("one rule for what an inspector may read: a child's personal text reads the same on every trail route, and data stays as hashed", async () => {
    const qa = await t.userWithToken('qa-officer', [], 'Quinn Auditor');
    const marker = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const started = await t
      .as(qa)
      .post('/api/v1/audits', { caseRef: 'CASE-77', teamId: 'north', auditedOn: '2026-04-06' })
      .expect(201);
    const id = started.body.auditId as string;
    await t
      .as(qa)
      .post(`/api/v1/audits/${id}/grades`, { domain: 'planning', grade: 'good', evidence: 'Plan reviewed' })
      .expect(200);
    await t.as(qa).post(`/api/v1/audits/${id}/submit`, { overallGrade: 'good', submittedOn: '2026-04-07' }).expect(200);
    await t
      .as(qa)
      .post(`/api/v1/audits/${id}/corrections`, {
        domain: 'planning',
        to: 'requires-improvement',
        reason: 'No chronology since March',
      })
      .expect(200);

    const correctionIn = (events: { type: string; text?: string; data?: { reason?: string } }[]) =>
      events.find((e) => e.type === 'GradeCorrected')!;
    const listed = correctionIn((await get(`/api/v1/trail?streamId=audit-${id}`, inspector).expect(200)).body.events);
    const history = correctionIn((await get(`/api/v1/streams/audit-${id}`, inspector).expect(200)).body.events);
    const changes = (await get(`/api/v1/trail/changes?from=${encodeURIComponent(marker)}`, inspector).expect(200)).body;
    const changed = correctionIn(changes.entities.find((e: { streamId: string }) => e.streamId === `audit-${id}`).changes);

    expect(listed.text).toContain('reason "No chronology since March"');
    expect(history.text).toBe(listed.text);
    expect(changed.text).toBe(listed.text);
    // The stored data is what was hashed: the reason stays encrypted there, on every route.
    expect(listed.data!.reason).toMatch(/^enc:v1:/);
    expect(history.data!.reason).toBe(listed.data!.reason);
    // The team's manager reads their own team's record the same way.
    const own = correctionIn(
      (await get(`/api/v1/trail?teamId=north&streamId=audit-${id}`, northManager).expect(200)).body.events,
    );
    expect(own.text).toBe(listed.text);
  });

  it('records who read which case-level data in the separate access log', async () => {
    await get('/api/v1/streams/review-A-17', northManager).expect(200);
    await get('/api/v1/trail?streamId=review-B-2', inspector).expect(200);
    await get('/api/v1/trail?teamId=north', northManager).expect(200);
    const hidden = await get('/api/v1/streams/review-B-2', northManager).expect(404); // another team's: as if missing
    expect(hidden.body.details.code).toBe('STREAM_NOT_FOUND'); // refused: nothing was read
    const log = await get('/api/v1/access-log', inspector).expect(200);
    expect(log.body.entries).toEqual([
      expect.objectContaining({
        actorId: northManager.userId,
        role: 'team-manager',
        route: 'GET /api/v1/streams/review-A-17',
        subject: 'review-A-17',
        at: expect.any(String),
      }),
      expect.objectContaining({
        actorId: inspector.userId,
        role: 'inspector',
        route: 'GET /api/v1/trail?streamId=review-B-2',
        subject: 'review-B-2',
      }),
      expect.objectContaining({ actorId: northManager.userId, subject: 'team:north' }),
    ]);
    const bySubject = await get('/api/v1/access-log?subject=review-A-17', admin).expect(200);
    expect(bySubject.body.entries).toHaveLength(1);
    const byActor = await get(`/api/v1/access-log?actorId=${inspector.userId}`, admin).expect(200);
    expect(byActor.body.entries.map((e: { subject: string }) => e.subject)).toEqual(['review-B-2']);
    const later = await get(
      `/api/v1/access-log?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      admin,
    ).expect(200);
    expect(later.body.entries).toEqual([]);
    // The access log is not in the domain trail.
    const trail = await get('/api/v1/trail?limit=1000', inspector).expect(200);
    expect(trail.body.events.some((e: { type: string }) => e.type === 'CaseDataRead')).toBe(false);
  });
});
