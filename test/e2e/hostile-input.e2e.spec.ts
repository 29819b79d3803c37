import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { collect } from '@casetrail/testing';
import type { DataSource } from 'typeorm';
import { READ_DB_WRITER } from '../../src/core/tokens';
import { PROFILES, TestApp } from '../support/test-app';

type User = { userId: string; token: string };

/** Every error answers with exactly this shape. */
const ERROR_SHAPE = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };

describe.each(PROFILES.filter((p) => p.enabled))('hostile input over HTTP ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, iro: User, lead: User;

  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  const head = (): Promise<bigint> => store().headPosition();
  const post = (user: User, url: string, body: unknown, key?: string) => {
    const r = t.http.post(url).set('Authorization', `Bearer ${user.token}`);
    return (key ? r.set('Idempotency-Key', key) : r).send(body as object);
  };
  const team = (teamId: string, name = `Team ${teamId}`) => ({ teamId, name, service: 'Children in need' });
  const dispute = (summary: string) => ({
    childRef: 'C-2001',
    teamId: 'lac-h',
    category: 'matching',
    summary,
    desiredOutcome: 'Matching assessment to panel.',
  });

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start({ ...storage.env, RATE_LIMIT_PER_MINUTE: '100000' });
    admin = await t.userWithToken('admin');
    iro = await t.userWithToken('iro');
    lead = await t.userWithToken('improvement-lead');
    await post(admin, '/api/v1/teams', team('lac-h')).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  describe('Idempotency-Key', () => {
    it('the same key and the same body (in any key order) answers the first response and appends nothing', async () => {
      const first = await post(admin, '/api/v1/teams', team('idem-1'), 'idem-same-1').expect(201);
      const before = await head();
      const reordered = { service: 'Children in need', name: 'Team idem-1', teamId: 'idem-1' };
      const again = await post(admin, '/api/v1/teams', reordered, 'idem-same-1').expect(201);
      expect(again.body).toEqual({ ...first.body, replayed: true });
      expect(await head()).toBe(before);
    });

    it('the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED and appends nothing', async () => {
      await post(admin, '/api/v1/teams', team('idem-2'), 'idem-diff-1').expect(201);
      const before = await head();
      const reused = await post(admin, '/api/v1/teams', team('idem-2', 'Another name'), 'idem-diff-1').expect(422);
      expect(reused.body).toEqual({ ...ERROR_SHAPE, statusCode: 422, details: { code: 'IDEMPOTENCY_KEY_REUSED' } });
      expect(await head()).toBe(before);
      expect(await collect(store().readStream('team-idem-2'))).toHaveLength(1);
    });

    it('holds on a command run through a service over several streams (users: user then token)', async () => {
      const body = { name: 'Ada Worker', role: 'qa-officer', teamIds: [] };
      await post(admin, '/api/v1/users', body, 'idem-user-1').expect(201);
      const before = await head();
      const reused = await post(admin, '/api/v1/users', { ...body, role: 'inspector' }, 'idem-user-1').expect(422);
      expect(reused.body.details).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await head()).toBe(before);
    });

    it('holds on disputes raised through the disputes service', async () => {
      const first = await post(iro, '/api/v1/disputes', dispute('Match drifted.'), 'idem-dr-1').expect(201);
      const before = await head();
      const again = await post(iro, '/api/v1/disputes', dispute('Match drifted.'), 'idem-dr-1').expect(201);
      expect(again.body).toEqual({ ...first.body, replayed: true });
      const reused = await post(iro, '/api/v1/disputes', dispute('Something else.'), 'idem-dr-1').expect(422);
      expect(reused.body.details).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await head()).toBe(before);
    });

    it('the same key with a request that writes elsewhere (another record, another route) is 422 and appends nothing', async () => {
      await post(admin, '/api/v1/teams', team('idem-4'), 'idem-elsewhere-1').expect(201);
      const before = await head();
      // Another team: a different stream, where the stream's own history cannot know the key.
      const otherRecord = await post(admin, '/api/v1/teams', team('idem-5'), 'idem-elsewhere-1').expect(422);
      expect(otherRecord.body.details).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED' });
      // Another route altogether.
      await post(admin, '/api/v1/teams/lac-h/close', { reason: 'Merged', closedOn: '2026-01-05' }, 'idem-elsewhere-1').expect(
        422,
      );
      expect(await head()).toBe(before);
      expect(await collect(store().readStream('team-idem-5'))).toHaveLength(0);
      // The key still answers its own request.
      expect((await post(admin, '/api/v1/teams', team('idem-4'), 'idem-elsewhere-1').expect(201)).body.replayed).toBe(true);
    });

    it('holds on a command to an existing stream (path id), and survives a restart', async () => {
      await post(admin, '/api/v1/teams', team('idem-3')).expect(201);
      const close = { reason: 'Merged', closedOn: '2026-01-05' };
      await post(admin, '/api/v1/teams/idem-3/close', close, 'idem-close-1').expect(200);
      // A fresh instance on the same storage knows nothing in memory: the log decides.
      await t.close();
      t = await TestApp.start({ ...storage.env, RATE_LIMIT_PER_MINUTE: '100000' });
      const before = await head();
      const replay = await post(admin, '/api/v1/teams/idem-3/close', close, 'idem-close-1').expect(200);
      expect(replay.body.replayed).toBe(true);
      await post(admin, '/api/v1/teams/idem-3/close', { ...close, reason: 'Split' }, 'idem-close-1').expect(422);
      expect(await head()).toBe(before);
    });
  });

  describe('limits', () => {
    it('a body over 64 KB is 413 with the JSON error shape and appends nothing', async () => {
      const before = await head();
      const response = await post(admin, '/api/v1/teams', { ...team('big'), name: 'x'.repeat(70_000) }).expect(413);
      expect(response.body).toEqual({ ...ERROR_SHAPE, statusCode: 413 });
      expect(response.body.message).toMatch(/64 KB/);
      expect(await head()).toBe(before);
    });

    it('a free-text field over its length limit is 400 naming the field', async () => {
      const response = await post(admin, '/api/v1/teams', team('long', 'x'.repeat(5_000))).expect(400);
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'name' })]);
    });

    it('unknown fields are refused, nested ones too', async () => {
      const top = await post(admin, '/api/v1/teams', { ...team('unknown'), childName: 'Sam' }).expect(400);
      expect(top.body.details).toEqual([expect.objectContaining({ field: 'childName' })]);
      const plan = { title: 'Plan', trigger: { kind: 'peer-review', date: '2020-01-01', childName: 'Sam' } };
      const nested = await post(lead, '/api/v1/plans', plan).expect(400);
      expect(nested.body.details).toEqual([expect.objectContaining({ field: 'trigger.childName' })]);
    });

    it('prototype keys at any depth, non-finite numbers and deep nesting are 400 before any code sees them', async () => {
      const before = await head();
      const raw = (text: string) =>
        t.http
          .post('/api/v1/teams')
          .set('Authorization', `Bearer ${admin.token}`)
          .set('Content-Type', 'application/json')
          .send(text);
      const valid = '"teamId":"proto-1","name":"Proto","service":"Children in need"';
      for (const [text, message] of [
        [`{"__proto__":{"isAdmin":true},${valid}}`, /"__proto__"/],
        [`{"constructor":{"prototype":{"polluted":1}},${valid}}`, /"constructor"/],
        [`{${valid},"name2":{"a":{"prototype":1}}}`, /"prototype"/],
        [`{${valid},"x":1e309}`, /too large/],
        [`{${valid},"x":${'['.repeat(5000)}${']'.repeat(5000)}}`, /nested too deeply/],
      ] as const) {
        const response = await raw(text).expect(400);
        expect(response.body).toEqual({ ...ERROR_SHAPE, statusCode: 400, message: expect.stringMatching(message) });
      }
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(await head()).toBe(before);
    });

    it('a number written with an exponent is refused in words, not a crash (class-validator maxDecimalPlaces bug)', async () => {
      await post(admin, '/api/v1/indicators', {
        code: 'exp-1',
        name: 'Exponent',
        unit: 'percent',
        polarity: 'higher-is-better',
        target: 2e-7,
        tolerance: 5,
        frequency: 'monthly',
      }).expect(400);
    });

    it('no request field in the API is named like a person: only the allowed `name` fields exist', async () => {
      const doc = (await t.http.get('/api/docs-json').expect(200)).body as OpenApiDocument;
      const found = requestFieldNames(doc);
      expect(found.length).toBeGreaterThan(50); // the scan really walks the request schemas
      const personal = found.filter(({ field }) => PERSON_NAME.test(field));
      // `name` is a team's, a user's (staff) or an indicator's name: never a child's.
      const allowed = personal.filter(({ schema, field }) => !(field === 'name' && NAME_ALLOWED_IN.includes(schema)));
      expect(allowed).toEqual([]);
      expect(PERSON_NAME.test('childName') && PERSON_NAME.test('surname') && PERSON_NAME.test('name')).toBe(true);
    });
  });

  describe('headers, rate limit, CORS, errors', () => {
    it('sends helmet security headers, on errors too, and no x-powered-by', async () => {
      for (const response of [await t.http.get('/health'), await t.http.get('/api/v1/teams')]) {
        expect(response.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'strict-transport-security': expect.stringContaining('max-age='),
          'content-security-policy': expect.stringContaining("default-src 'self'"),
        });
        expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('CORS is closed by default: no Access-Control-* header, even on a preflight', async () => {
      const preflight = await t.http
        .options('/api/v1/teams')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      const simple = await t.http.get('/health').set('Origin', 'https://evil.example');
      for (const response of [preflight, simple]) {
        expect(Object.keys(response.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      }
    });

    it('a database failure answers 500 with the plain error shape: no stack, no SQL, no table names', async () => {
      const writer = t.app.get<DataSource>(READ_DB_WRITER);
      await writer.query('ALTER TABLE teams RENAME TO teams_hidden_by_test');
      try {
        const response = await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${admin.token}`).expect(500);
        expect(response.body).toEqual({ ...ERROR_SHAPE, statusCode: 500 });
        expect(response.text).not.toMatch(/teams|select|sqlite|postgres|relation|table|\bat \w|\.ts:\d/i);
      } finally {
        await writer.query('ALTER TABLE teams_hidden_by_test RENAME TO teams');
      }
    });
  });
});

describe('rate limit and CORS settings', () => {
  const profile = PROFILES[0];

  it('beyond RATE_LIMIT_PER_MINUTE requests a token gets 429 JSON; another token is unaffected', async () => {
    const storage = await profile.create();
    const t = await TestApp.start({ ...storage.env, RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const [a, b] = [await t.userWithToken('admin'), await t.userWithToken('admin')];
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        statuses.push((await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${a.token}`)).status);
      }
      // Served until the limit, then refused for the rest of the minute. userWithToken already used
      // the token once (GET /users/me, so its first-use event is out of the way): 4 of the 5 remain.
      expect(statuses).toEqual([...Array(4).fill(200), ...Array(4).fill(429)]);
      const limited = await t.http.post('/api/v1/teams').set('Authorization', `Bearer ${a.token}`).send({});
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ ...ERROR_SHAPE, statusCode: 429, message: expect.stringMatching(/wait a minute/) });
      await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${b.token}`).expect(200);
    } finally {
      await t.close();
      await storage.drop();
    }
  });

  it('with CORS_ORIGINS, only those origins get CORS headers', async () => {
    const storage = await profile.create();
    const t = await TestApp.start({ ...storage.env, CORS_ORIGINS: 'https://casetrail.example.gov.uk' });
    try {
      const allowed = await t.http.get('/health').set('Origin', 'https://casetrail.example.gov.uk');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://casetrail.example.gov.uk');
      const other = await t.http.get('/health').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
      await storage.drop();
    }
  });
});

interface OpenApiSchema {
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  $ref?: string;
  allOf?: OpenApiSchema[];
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: OpenApiSchema }> } }>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

/** Words that make a field a person's name or birth date (case-insensitive, anywhere in the field name). */
const PERSON_NAME =
  /(^name$|firstname|lastname|surname|forename|familyname|givenname|fullname|middlename|childname|birthname|nickname|dateofbirth|birthdate|\bdob\b)/i;
/** Request schemas whose `name` is not a person's: a team, a member of staff (user), an indicator. */
const NAME_ALLOWED_IN = ['RegisterTeamDto', 'RenameTeamDto', 'RegisterUserDto', 'DefineIndicatorDto'];

/** Every field of every request body schema (nested objects and arrays included), with the schema it is in. */
function requestFieldNames(doc: OpenApiDocument): { schema: string; field: string }[] {
  const found: { schema: string; field: string }[] = [];
  const seen = new Set<string>();
  const walk = (schemaName: string, schema: OpenApiSchema | undefined): void => {
    if (!schema) return;
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop()!;
      if (seen.has(name)) return;
      seen.add(name);
      walk(name, doc.components.schemas[name]);
      return;
    }
    for (const part of schema.allOf ?? []) walk(schemaName, part);
    walk(schemaName, schema.items);
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      found.push({ schema: schemaName, field });
      walk(schemaName, property);
    }
  };
  for (const operations of Object.values(doc.paths)) {
    for (const operation of Object.values(operations)) {
      for (const content of Object.values(operation.requestBody?.content ?? {})) walk('(inline)', content.schema);
    }
  }
  return found;
}
