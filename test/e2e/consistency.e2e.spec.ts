import { PROFILES, TestApp } from '../support/test-app';

const sqlite = PROFILES.find((p) => p.name === 'sqlite')!;

describe('read-your-writes with consistentWith', () => {
  let storage: Awaited<ReturnType<typeof sqlite.create>>;
  let t: TestApp;
  let admin: { userId: string; token: string };

  beforeAll(async () => {
    storage = await sqlite.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it('a query naming a command position answers once the read models have it, and the parameter never reaches the route', async () => {
    const created = await t.http
      .post('/api/v1/teams')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ teamId: 'mash', name: 'MASH', service: 'Front door' })
      .expect(201);
    const position = (created.body as { position: string }).position;
    // GET /api/v1/teams validates its query strictly: an unknown parameter would be a 400.
    const listed = await t.http
      .get(`/api/v1/teams?consistentWith=${position}&includeClosed=false`)
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect((listed.body as { teamId: string }[]).map((team) => team.teamId)).toContain('mash');
    await t.http
      .get('/api/v1/teams/mash')
      .set('Consistent-With', position)
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(200);
  });

  it('a position that is not a whole number is a 400', async () => {
    const response = await t.http
      .get('/api/v1/teams?consistentWith=soon')
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('consistentWith') });
  });

  it('a position the read models do not reach within the bound is a 503 with Retry-After', async () => {
    const response = await t.http
      .get('/api/v1/teams?consistentWith=999999999')
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toMatchObject({ statusCode: 503, message: expect.stringContaining('999999999') });
  });
});
