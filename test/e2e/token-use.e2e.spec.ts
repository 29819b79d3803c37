/** Personal access tokens: their use shows in the user's history, once per token and day. */
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { systemContext } from '../../src/core/command-context';
import { TokenCache } from '../../src/auth/token-cache';
import { UserUseCases } from '../../src/users/users.use-cases';
import { PROFILES, TestApp } from '../support/test-app';

describe.each(PROFILES.filter((p) => p.enabled))('personal access token use ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  const usesIn = async (userId: string): Promise<{ type: string; data: { tokenId: string; on: string } }[]> => {
    const events = [];
    for await (const e of t.app.get<EventStore>(EVENT_STORE).readStream(`user-${userId}`)) events.push(e);
    return events.filter((e) => e.type === 'PersonalAccessTokenUsed') as never;
  };

  it('the first use of a token each day is recorded, later uses that day add nothing, and GET /users/:id shows it', async () => {
    const admin = await t.userWithToken('admin', [], 'Ada Admin');
    // Issued directly (not through userWithToken, which uses the token once): never used yet.
    const issued = await t.app
      .get(UserUseCases)
      .registerWithToken({ name: 'Ned New', role: 'inspector', teamIds: [] }, systemContext('test'));
    const second = await t.app.get(UserUseCases).issueToken({ id: issued.userId }, { label: 'phone' }, systemContext('test'));
    const before = (await t.http.get(`/api/v1/users/${issued.userId}`).set('Authorization', `Bearer ${admin.token}`).expect(200))
      .body;
    expect(before.tokens.map((k: { lastUsedOn: string | null; usedOn: string[] }) => [k.lastUsedOn, k.usedOn])).toEqual([
      [null, []],
      [null, []],
    ]);
    expect(await usesIn(issued.userId)).toEqual([]);

    for (let i = 0; i < 3; i++) await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${issued.token}`).expect(200);
    const today = new Date().toISOString().slice(0, 10);
    const uses = await usesIn(issued.userId);
    expect(uses.map((e) => e.data)).toEqual([{ userId: issued.userId, tokenId: issued.tokenId, on: today }]);

    const after = (await t.http.get(`/api/v1/users/${issued.userId}`).set('Authorization', `Bearer ${admin.token}`).expect(200))
      .body;
    const byId = Object.fromEntries(after.tokens.map((k: { tokenId: string }) => [k.tokenId, k]));
    expect(byId[issued.tokenId]).toMatchObject({ lastUsedOn: today, usedOn: [today] });
    expect(byId[second.tokenId]).toMatchObject({ lastUsedOn: null, usedOn: [] });
    // Their own view shows it too, and the trail names the use in words.
    const history = await t.http
      .get(`/api/v1/streams/user-${issued.userId}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toContain('PersonalAccessTokenUsed');
  });

  it('an expired or revoked token is refused and its attempted use is not recorded', async () => {
    const users = t.app.get(UserUseCases);
    const user = await users.registerWithToken({ name: 'Rae Revoked', role: 'iro', teamIds: [] }, systemContext('test'));
    await users.revokeToken({ id: user.userId, tokenId: user.tokenId }, { reason: 'lost' }, systemContext('test'));
    const longAgo = { ...systemContext('test'), now: new Date(Date.now() - 10 * 86_400_000).toISOString() };
    const expired = await users.issueToken({ id: user.userId }, { expiresInDays: 1 }, longAgo);
    await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${user.token}`).expect(401);
    await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${expired.token}`).expect(401);
    expect(await usesIn(user.userId)).toEqual([]);
  });

  it('new tokens expire after TOKEN_TTL_DAYS (90 by default)', async () => {
    const issued = await t.app
      .get(UserUseCases)
      .registerWithToken({ name: 'Tia Ttl', role: 'iro', teamIds: [] }, systemContext('test'));
    const days = (Date.parse(issued.expiresAt) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
  });

  it('a token is read from the read database once, then from memory until the users projection changes it: teams, revocation and deactivation count at once', async () => {
    const admin = await t.userWithToken('admin', [], 'Ada Admin');
    const users = t.app.get(UserUseCases);
    const as = (token: string) => (path: string) => t.http.get(path).set('Authorization', `Bearer ${token}`);
    const adminSends = (method: 'post' | 'put', path: string, body: object) =>
      t.http[method](path).set('Authorization', `Bearer ${admin.token}`).send(body);
    await adminSends('post', '/api/v1/teams', { teamId: 'cache-north', name: 'Cache North', service: 'Front door' }).expect(201);
    const user = await users.registerWithToken({ name: 'Cara Cached', role: 'team-manager', teamIds: [] }, systemContext('test'));
    const other = await t.userWithToken('team-manager', [], 'Dev Deactivated');
    const get = as(user.token);
    await get('/api/v1/users/me').expect(200); // the first use today is recorded: the users projection changes its row
    await get('/api/v1/users/me').expect(200); // so this one reads it again

    const load = jest.spyOn(t.app.get(TokenCache) as unknown as { load: () => Promise<unknown> }, 'load');
    try {
      for (let i = 0; i < 3; i++) await get('/api/v1/users/me').expect(200);
      expect(load).not.toHaveBeenCalled();
      await get('/api/v1/teams/cache-north/ratings').expect(404); // not one of their teams

      await adminSends('put', `/api/v1/users/${user.userId}/teams`, { teamIds: ['cache-north'] }).expect(200);
      await get('/api/v1/teams/cache-north/ratings').expect(200);
      expect(load).toHaveBeenCalled();

      await as(other.token)('/api/v1/users/me').expect(200);
      await adminSends('post', `/api/v1/users/${other.userId}/deactivate`, { reason: 'Left the service' }).expect(200);
      await as(other.token)('/api/v1/users/me').expect(401);

      await adminSends('post', `/api/v1/users/${user.userId}/tokens/${user.tokenId}/revoke`, { reason: 'Lost' }).expect(200);
      await get('/api/v1/users/me').expect(401);
      // Revoked through the service, not over HTTP (no response waited for the projection): refused at once too.
      const spare = await users.issueToken({ id: user.userId }, { label: 'spare' }, systemContext('test'));
      await as(spare.token)('/api/v1/users/me').expect(200);
      await as(spare.token)('/api/v1/users/me').expect(200);
      await users.revokeToken({ id: user.userId, tokenId: spare.tokenId }, { reason: 'lost' }, systemContext('test'));
      await as(spare.token)('/api/v1/users/me').expect(401);
    } finally {
      load.mockRestore();
    }
  });
});
