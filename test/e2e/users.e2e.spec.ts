import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { collect } from '@casetrail/testing';
import { PROFILES, TestApp } from '../support/test-app';

describe.each(PROFILES.filter((p) => p.enabled))('users and sign-in over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: { userId: string; token: string };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeEach(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    await t.http
      .post('/api/v1/teams')
      .set(bearer(admin.token))
      .send({ teamId: 'cp-east', name: 'CP East', service: 'Child protection' })
      .expect(201);
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('an admin registers a user, whose token then works and whose teams are recorded', async () => {
    const created = await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .send({ name: 'Sam Iro', role: 'iro', teamIds: ['cp-east'] })
      .expect(201);
    expect(created.body).toMatchObject({ userId: expect.any(String), token: expect.stringMatching(/^ct_[A-Za-z0-9_-]{43}$/) });
    const me = await t.http.get('/api/v1/users/me').set(bearer(created.body.token)).expect(200);
    expect(me.body).toMatchObject({ name: 'Sam Iro', role: 'iro', teamIds: ['cp-east'], status: 'active' });
    expect(me.body.tokens).toEqual([expect.objectContaining({ tokenId: created.body.tokenId, revokedAt: null })]);
    expect(me.body.tokens[0]).not.toHaveProperty('tokenHash');
  });

  it('only the token hash is stored in the log, never the token', async () => {
    const created = await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .send({ name: 'Kim', role: 'inspector' })
      .expect(201);
    const events = await collect(t.app.get<EventStore>(EVENT_STORE).readAll());
    expect(JSON.stringify(events, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(
      created.body.token,
    );
  });

  it('a user can only be put in registered teams', async () => {
    const response = await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .send({ name: 'X', role: 'team-manager', teamIds: ['nowhere'] })
      .expect(422);
    expect(response.body.message).toContain('nowhere');
  });

  it('a revoked token and a deactivated user are refused at once', async () => {
    const user = await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .send({ name: 'Lee', role: 'qa-officer' })
      .expect(201);
    const second = await t.http
      .post(`/api/v1/users/${user.body.userId}/tokens`)
      .set(bearer(admin.token))
      .send({ label: 'tablet' })
      .expect(201);
    // Anyone may revoke their own token (a lost laptop cannot wait for an admin).
    await t.http
      .post(`/api/v1/users/${user.body.userId}/tokens/${user.body.tokenId}/revoke`)
      .set(bearer(user.body.token))
      .send({ reason: 'laptop lost' })
      .expect(200);
    await t.http.get('/api/v1/teams').set(bearer(user.body.token)).expect(401);
    await t.http.get('/api/v1/teams').set(bearer(second.body.token)).expect(200);
    await t.http
      .post(`/api/v1/users/${user.body.userId}/deactivate`)
      .set(bearer(admin.token))
      .send({ reason: 'left' })
      .expect(200);
    await t.http.get('/api/v1/teams').set(bearer(second.body.token)).expect(401);
  });

  it("a non-admin cannot revoke someone else's token, register users or list them", async () => {
    const qa = await t.userWithToken('qa-officer');
    const other = await t.userWithToken('iro');
    const meta = await t.http.get('/api/v1/users/me').set(bearer(other.token)).expect(200);
    await t.http
      .post(`/api/v1/users/${other.userId}/tokens/${meta.body.tokens[0].tokenId}/revoke`)
      .set(bearer(qa.token))
      .send({ reason: 'mischief' })
      .expect(403);
    await t.http.post('/api/v1/users').set(bearer(qa.token)).send({ name: 'Z', role: 'admin' }).expect(403);
    await t.http.get('/api/v1/users').set(bearer(qa.token)).expect(403);
    await t.http.get('/api/v1/users').set(bearer(admin.token)).expect(200);
  });

  it('a retried registration with the same Idempotency-Key creates no second user and shows no second token', async () => {
    await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .set('Idempotency-Key', 'new-starter-7')
      .send({ name: 'Ali', role: 'iro' })
      .expect(201);
    const retry = await t.http
      .post('/api/v1/users')
      .set(bearer(admin.token))
      .set('Idempotency-Key', 'new-starter-7')
      .send({ name: 'Ali', role: 'iro' })
      .expect(409);
    expect(retry.body.details.code).toBe('TOKEN_ALREADY_SHOWN');
    const users = await t.http.get('/api/v1/users').set(bearer(admin.token)).expect(200);
    expect(users.body.filter((u: { name: string }) => u.name === 'Ali')).toHaveLength(1);
  });
});
