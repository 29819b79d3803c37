/**
 * Hostile-input fuzz test: generated malformed and hostile requests (fast-check) against every
 * POST/PUT/PATCH route in the OpenAPI document, on the real in-process app, each sent by a user
 * whose role may call the route (found by probing, so it follows the access policy), with real
 * ids in the path. For every request: no 5xx, the one JSON error shape on every error, no stack
 * or SQL in the answer, and nothing appended unless the request was accepted (2xx) - and no
 * request carrying hostile content (prototype-pollution keys, over-long strings, name-like
 * fields) is ever accepted.
 *
 * CI: FUZZ_RUNS unset = 10,000 requests split across the routes. `npm run fuzz` runs 100,000
 * (or FUZZ_RUNS); FUZZ_SEED replays a run.
 */
import fc from 'fast-check';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { ROLES, type Role } from '../../src/shared/principal';
import { PROFILES, TestApp } from '../support/test-app';

const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
/** The longest free-text field any DTO accepts: a longer string must never be accepted. */
const LONGEST_ACCEPTED_TEXT = 10_000;

type User = { userId: string; token: string };
type Method = 'post' | 'put' | 'patch';
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $ref?: string;
  enum?: unknown[];
  example?: unknown;
  allOf?: Schema[];
}
interface Route {
  method: Method;
  template: string;
  url: string;
  schema: Schema | undefined;
  role: Role;
}

/** A generated request: the body as sent, and whether it carries content that must never be accepted. */
interface FuzzRequest {
  body: string | Buffer | undefined;
  contentType: string | undefined;
  hostile: string | null;
  idempotencyKey: string | undefined;
  label: string;
}

const SQL_AND_SCRIPT = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  'Robert"); DELETE FROM teams; --',
  '1; SELECT pg_sleep(0)',
  "' UNION SELECT hash FROM events --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  '${process.exit()}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\u202e',
  '\ud800',
  '\uffff',
  'null',
  'undefined',
];
const BOUNDARY_DAYS = [
  '0000-00-00',
  '0000-01-01',
  '9999-12-31',
  '2024-02-30',
  '2023-02-29',
  '2024-13-01',
  '2024-00-10',
  '2024-1-1',
  '20240101',
  '2024-01-01T00:00:00Z',
  '+275760-09-13',
  '-000001-01-01',
  '01/02/2024',
  '2024-W01',
  '',
];
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];
const NAME_LIKE_KEYS = ['childName', 'firstName', 'lastName', 'surname', 'fullName', 'forename', 'dateOfBirth'];

const hostileString = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...SQL_AND_SCRIPT, ...BOUNDARY_DAYS) },
  { weight: 10, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 5, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  // Over every length limit, still under the body limit.
  { weight: 5, arbitrary: fc.integer({ min: LONGEST_ACCEPTED_TEXT + 1, max: 12_000 }).map((n) => 'A'.repeat(n)) },
  { weight: 5, arbitrary: fc.integer({ min: 101, max: 2_001 }).map((n) => 'B'.repeat(n)) }, // over the shorter limits
  { weight: 1, arbitrary: fc.constant('A'.repeat(70_000)) }, // over the body limit: 413
);
const hostileNumber = fc.oneof(
  fc.constantFrom(-0, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 5e-324, 0.1, 99999999999),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
/** Nested objects or arrays, up to 3,000 deep (under 64 KB as JSON). */
const deeplyNested = fc
  .tuple(fc.integer({ min: 20, max: 3_000 }), fc.boolean())
  .map(([depth, asArray]) =>
    JSON.parse(asArray ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, {}, [], [null], ['']) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.integer({ min: 51, max: 2_000 }).map((n) => Array.from({ length: n }, (_, i) => `item-${i}`)) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 4 }) },
  { weight: 1, arbitrary: deeplyNested },
);

/** A plausible value from the schema (example or first enum value), so other fields pass and the fuzzed one is reached. */
function plausible(schema: Schema | undefined, schemas: Record<string, Schema>, depth = 0): unknown {
  if (!schema || depth > 4) return undefined;
  if (schema.$ref) return plausible(schemas[schema.$ref.split('/').pop()!], schemas, depth + 1);
  if (schema.allOf?.length) return plausible(schema.allOf[0], schemas, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === 'array') return [plausible(schema.items, schemas, depth + 1)].filter((v) => v !== undefined);
  if (schema.properties) {
    return Object.fromEntries(
      Object.entries(schema.properties)
        .map(([k, s]) => [k, plausible(s, schemas, depth + 1)])
        .filter(([, v]) => v !== undefined),
    );
  }
  if (schema.type === 'number' || schema.type === 'integer') return 1;
  if (schema.type === 'boolean') return true;
  if (schema.type === 'string') return 'text';
  return undefined;
}

const isHugeString = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.length > LONGEST_ACCEPTED_TEXT
    : typeof v === 'object' && v !== null && Object.values(v).some(isHugeString);

/** Requests for one route: schema-aware mutations, raw JSON text tricks, raw bytes, wrong content types. */
function requestsFor(route: Route, schemas: Record<string, Schema>): fc.Arbitrary<FuzzRequest> {
  const resolved = route.schema?.$ref ? schemas[route.schema.$ref.split('/').pop()!] : route.schema;
  const fields = Object.keys(resolved?.properties ?? {});
  const base = (plausible(route.schema, schemas) ?? {}) as Record<string, unknown>;
  const key = fc.option(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/), { nil: undefined, freq: 4 });
  const json = (label: string, body: string, hostile: string | null) => ({
    body,
    contentType: 'application/json',
    hostile,
    label,
  });

  // Start from a plausible body and replace, drop or add fields with hostile values.
  const mutated = fc
    .tuple(
      fc.array(fc.tuple(fields.length ? fc.constantFrom(...fields) : fc.constant('x'), hostileValue), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.subarray(fields),
      fc.option(fc.tuple(fc.constantFrom(...NAME_LIKE_KEYS, 'extra', 'isAdmin', 'actorId', 'role'), hostileValue), { freq: 3 }),
    )
    .map(([replacements, dropped, extra]) => {
      const body: Record<string, unknown> = { ...base };
      for (const field of dropped) delete body[field];
      for (const [field, value] of replacements) body[field] = value;
      if (extra) body[extra[0]] = extra[1];
      const hostile =
        extra && NAME_LIKE_KEYS.includes(extra[0])
          ? `name-like field ${extra[0]}`
          : isHugeString(body)
            ? 'over-long string'
            : null;
      return json('mutated fields', JSON.stringify(body), hostile);
    });

  // Prototype pollution: own "__proto__" / "constructor.prototype" keys, only expressible as JSON text.
  const pollution = fc
    .tuple(fc.constantFrom(...POLLUTION_KEYS), fc.constantFrom(...fields, 'x'), fc.boolean())
    .map(([pollutionKey, field, nested]) => {
      const payload = pollutionKey === 'constructor' ? '{"prototype":{"polluted":"yes"}}' : '{"polluted":"yes","isAdmin":true}';
      const inner = `"${pollutionKey}":${payload}`;
      const rest = JSON.stringify(base).slice(1, -1);
      const body = nested ? `{${rest}${rest ? ',' : ''}"${field}":{${inner}}}` : `{${inner}${rest ? ',' : ''}${rest}}`;
      return json(`pollution ${pollutionKey}${nested ? ' nested' : ''}`, body, `pollution key ${pollutionKey}`);
    });

  // JSON the parser must refuse or that JavaScript numbers cannot hold.
  const rawText = fc
    .tuple(
      fc.constantFrom(
        'NaN',
        'Infinity',
        '-Infinity',
        '1e309',
        '-1e309',
        '-0',
        '0x10',
        '1_000',
        'undefined',
        "'single'",
        '"\\ud800"',
        '"\\u0000"',
      ),
      fc.constantFrom(...fields, 'x'),
    )
    .map(([literal, field]) => {
      const rest = JSON.stringify({ ...base, [field]: '§' }).replace('"§"', literal);
      return json(`raw literal ${literal}`, rest, null);
    });
  const malformed = fc
    .oneof(
      fc.constantFrom(
        '',
        '{',
        '}',
        '[',
        '{"a":',
        '{"a" 1}',
        '{,}',
        '{"a":1,}',
        'null',
        'true',
        '0',
        '"text"',
        '[]',
        '[{}]',
        '\ufeff{}',
        '{}{}',
      ),
      fc.string({ maxLength: 60 }),
      fc
        .constant(JSON.stringify(base))
        .chain((s) => fc.integer({ min: 0, max: Math.max(0, s.length - 1) }).map((n) => s.slice(0, n))),
      fc.constant(JSON.stringify([base, base])),
    )
    .map((body) => json('malformed JSON', body, null));
  // Invalid UTF-8 inside otherwise well-formed JSON.
  const invalidUtf8 = fc
    .tuple(
      fc.constantFrom(...fields, 'x'),
      fc.uint8Array({ minLength: 1, maxLength: 8 }),
      fc.constantFrom([0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]),
    )
    .map(([field, random, bad]) => {
      const [before, after] = JSON.stringify({ ...base, [field]: '§' }).split('§');
      return {
        body: Buffer.concat([
          Buffer.from(before),
          Buffer.from(bad),
          Buffer.from(random.filter((b) => b !== 0x22 && b !== 0x5c)),
          Buffer.from(after),
        ]),
        contentType: 'application/json; charset=utf-8',
        hostile: null,
        label: 'invalid UTF-8',
      };
    });
  const otherContent = fc
    .tuple(
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'application/json; charset=utf-16',
        'multipart/form-data; boundary=x',
        undefined,
      ),
      fc.constantFrom(JSON.stringify(base), 'a=1&b=2', '<a>1</a>', ''),
    )
    .map(([contentType, body]) => ({ body, contentType, hostile: null, label: `content type ${contentType ?? 'none'}` }));
  const noBody = fc.constant({ body: undefined, contentType: undefined, hostile: null, label: 'no body' });

  return fc
    .tuple(
      fc.oneof(
        { weight: 8, arbitrary: mutated },
        { weight: 2, arbitrary: pollution },
        { weight: 2, arbitrary: rawText },
        { weight: 2, arbitrary: malformed },
        { weight: 1, arbitrary: invalidUtf8 },
        { weight: 1, arbitrary: otherContent },
        { weight: 1, arbitrary: noBody },
      ),
      key,
    )
    .map(([request, idempotencyKey]) => ({ ...request, idempotencyKey: idempotencyKey ? `fuzz-${idempotencyKey}` : undefined }));
}

const ERROR_KEYS = ['details', 'error', 'message', 'statusCode'];
const LEAKS =
  /\bat [\w.<>]+ \(|\.[jt]s:\d+:\d+|QueryFailedError|SQLITE_|syntax error at or near|\bSELECT\b.*\bFROM\b|\bINSERT INTO\b|node_modules/;

/**
 * The response text without the strings of these request bodies (as sent, and as JSON would escape
 * them): the request's own, and those of requests accepted before it, whose stored values an answer
 * may echo (a rename answers the previous name).
 */
function withoutEcho(text: string, bodies: unknown[]): string {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const body of bodies) {
    try {
      walk(typeof body === 'string' ? JSON.parse(body) : body);
    } catch {
      // not JSON: nothing of it can be stored, so nothing of it is echoed later
    }
  }
  return strings
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce((rest, s) => rest.split(JSON.stringify(s).slice(1, -1)).join('').split(s).join(''), text);
}

describe('fuzz: hostile requests to every command route', () => {
  const profile = PROFILES[0];
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  const users = new Map<Role, User>();
  const routes: Route[] = [];
  let schemas: Record<string, Schema> = {};
  const ids: Record<string, string> = {};

  const store = (): EventStore => t.app.get<EventStore>(EVENT_STORE);
  const send = (method: Method, url: string, user: User) =>
    t.http[method](url).set('Authorization', `Bearer ${user.token}`).set('Accept', 'application/json');
  /** Rules about who is asking rather than what is asked: the next role may do it (a QA officer raises actions from findings only). */
  const ROLE_RULES = new Set(['QA_OFFICER_RAISES_FROM_FINDING']);
  /** Seeds through the API with the first role the policy and the role rules let through; fails loudly otherwise. */
  const seed = async (url: string, body: object, method: Method = 'post'): Promise<Record<string, unknown>> => {
    for (const role of ROLES) {
      const response = await send(method, url, users.get(role)!).send(body);
      if (response.status === 401 || response.status === 403) continue;
      if (response.status === 422 && ROLE_RULES.has((response.body as { details?: { code?: string } }).details?.code ?? ''))
        continue;
      if (response.status >= 300)
        throw new Error(`seeding ${url} as ${role}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body as Record<string, unknown>;
    }
    throw new Error(`seeding ${url}: no role may call it`);
  };

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start({ ...storage.env, RATE_LIMIT_PER_MINUTE: '10000000' });
    // Listen once: otherwise supertest starts and stops a server for every request.
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    const admin = await t.userWithToken('admin');
    users.set('admin', admin);
    for (const teamId of ['fz-team-a', 'fz-team-b']) {
      await send('post', '/api/v1/teams', admin)
        .send({ teamId, name: `Team ${teamId}`, service: 'Children in need' })
        .expect(201);
    }
    for (const role of ROLES) if (role !== 'admin') users.set(role, await t.userWithToken(role, ['fz-team-a', 'fz-team-b']));

    // One of each resource, so path parameters are real ids.
    const target = await t.userWithToken('qa-officer', ['fz-team-a'], 'Fuzz target');
    ids.userId = target.userId;
    ids.tokenId = String((await seed(`/api/v1/users/${target.userId}/tokens`, { label: 'fuzz' })).tokenId);
    const audit = await seed('/api/v1/audits', { caseRef: 'CASE-9001', teamId: 'fz-team-a', auditedOn: '2026-04-06' });
    ids.auditId = String(audit.auditId);
    await seed(`/api/v1/audits/${ids.auditId}/grades`, { domain: 'planning', grade: 'good' });
    await seed(`/api/v1/audits/${ids.auditId}/submit`, { overallGrade: 'good', submittedOn: '2026-04-08' });
    const auditAction = await seed(`/api/v1/audits/${ids.auditId}/actions`, {
      description: 'Update the chronology',
      ownerId: users.get('team-manager')!.userId,
      raisedOn: '2026-05-08',
    });
    ids.auditActionId = String(auditAction.actionId ?? (auditAction.events as { data: { actionId: string } }[])[0].data.actionId);
    const dispute = await seed('/api/v1/disputes', {
      childRef: 'C-9001',
      teamId: 'fz-team-a',
      category: 'matching',
      summary: 'Match drifted.',
      desiredOutcome: 'Panel.',
    });
    ids.disputeId = String(dispute.disputeId);
    await seed('/api/v1/plans', {
      planId: 'fz-plan',
      title: 'Fuzz plan',
      trigger: { kind: 'ofsted-inspection', date: '2020-07-03', judgement: 'inadequate' },
    });
    await seed('/api/v1/plans/fz-plan/priorities', { priorityId: 'practice', title: 'Practice' });
    await seed('/api/v1/plans/fz-plan/recommendations', {
      recommendationId: 'risk',
      text: 'Assess risk',
      timescale: 'immediately',
    });
    await seed('/api/v1/plans/fz-plan/actions', {
      actionId: 'fz-action',
      priorityId: 'practice',
      recommendationIds: ['risk'],
      title: 'Action',
      ownerId: users.get('team-manager')!.userId,
      teamIds: ['fz-team-a'],
      startOn: '2020-08-01',
      dueOn: '2020-12-01',
      successMeasure: 'Measured',
    });
    await seed('/api/v1/indicators', {
      code: 'fz-ind',
      name: 'Fuzz indicator',
      unit: 'percent',
      polarity: 'higher-is-better',
      target: 95,
      tolerance: 5,
      frequency: 'monthly',
    });

    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
    };
    schemas = doc.components.schemas;
    const realUrl = (template: string): string =>
      template
        .replace(/^\/api\/v1\/teams\/\{id\}/, '/api/v1/teams/fz-team-b')
        .replace(/^\/api\/v1\/users\/\{id\}/, `/api/v1/users/${ids.userId}`)
        .replace('{tokenId}', ids.tokenId)
        .replace(/^\/api\/v1\/audits\/\{id\}/, `/api/v1/audits/${ids.auditId}`)
        .replace('{actionId}', ids.auditActionId)
        .replace(/^\/api\/v1\/disputes\/\{id\}/, `/api/v1/disputes/${ids.disputeId}`)
        .replace(/^\/api\/v1\/plans\/\{id\}/, '/api/v1/plans/fz-plan')
        .replace(/^\/api\/v1\/actions\/\{id\}/, '/api/v1/actions/fz-action')
        .replace('{code}', 'fz-ind')
        // A quarter that has not ended: closing it is refused, so the probe appends nothing.
        .replace('{quarter}', '2999-00-q1');
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const method of ['post', 'put', 'patch'] as const) {
        const operation = operations[method];
        if (!operation) continue;
        const url = realUrl(template);
        if (url.includes('{')) throw new Error(`no seeded id for a path parameter of ${template}: add one`);
        // The first role the policy lets through (an empty body is refused after the guard, so nothing is appended).
        let role: Role | undefined;
        for (const candidate of ['admin', ...ROLES.filter((r) => r !== 'admin')] as Role[]) {
          const probe = await send(method, url, users.get(candidate)!).send({});
          if (probe.status !== 401 && probe.status !== 403) {
            role = candidate;
            break;
          }
        }
        if (!role) throw new Error(`${method} ${template}: no role may call it`);
        routes.push({ method, template, url, schema: operation.requestBody?.content['application/json']?.schema, role });
      }
    }
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await storage?.drop();
  });

  it('finds every command route', () => {
    // The routes at the time of writing; more is fine (new routes are fuzzed automatically).
    expect(routes.length).toBeGreaterThanOrEqual(41);
    expect(routes.map((r) => r.role)).toContain('admin');
  });

  it(
    `${TOTAL_RUNS} hostile requests: no 5xx, the JSON error shape, nothing appended unless accepted`,
    async () => {
      const perRoute = Math.ceil(TOTAL_RUNS / routes.length);
      const accepted: { route: string; label: string }[] = [];
      const statuses = new Map<number, number>();
      let sent = 0;
      const acceptedBodies: unknown[] = []; // their stored strings may come back in later answers
      const timing = new Map<string, [number, number]>();
      // Only this test's requests write, so one request's "after" is the next one's "before".
      let head = await store().headPosition();
      const started = process.hrtime.bigint();
      const cpuStarted = process.cpuUsage();
      // FUZZ_ROUTE=<part of a path> narrows a local run to matching routes.
      for (const route of routes.filter((r) => r.template.includes(process.env.FUZZ_ROUTE ?? ''))) {
        await fc.assert(
          fc.asyncProperty(requestsFor(route, schemas), async (request) => {
            const before = head;
            const t0 = process.hrtime.bigint();
            let call = send(route.method, route.url, users.get(route.role)!);
            if (request.idempotencyKey) call = call.set('Idempotency-Key', request.idempotencyKey);
            if (request.contentType) call = call.set('Content-Type', request.contentType);
            const response = await (request.body === undefined ? call : call.send(request.body));
            const after = (head = await store().headPosition());
            sent++;
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            const kind = `${request.label.split(' ')[0]} ${response.status}`;
            timing.set(kind, [(timing.get(kind)?.[0] ?? 0) + 1, (timing.get(kind)?.[1] ?? 0) + ms]);
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            const where = `${route.method.toUpperCase()} ${route.template} (${request.label}) -> ${response.status} ${response.text.slice(0, 300)}`;

            if (response.status >= 500) throw new Error(`5xx: ${where}`);
            // A valid request may store a string that merely looks like SQL ("' UNION SELECT …")
            // and an answer may echo it: only text the server added can leak internals.
            if (LEAKS.test(withoutEcho(response.text, [request.body, ...acceptedBodies])))
              throw new Error(`leaks internals: ${where}`);
            if ((Object.prototype as unknown as Record<string, unknown>).polluted !== undefined)
              throw new Error(`prototype polluted: ${where}`);
            if (response.status >= 200 && response.status < 300) {
              acceptedBodies.push(request.body);
              if (request.hostile) throw new Error(`accepted hostile content (${request.hostile}): ${where}`);
              accepted.push({ route: route.template, label: request.label });
              return;
            }
            if (!/^application\/json/.test(String(response.headers['content-type']))) throw new Error(`not JSON: ${where}`);
            const body = response.body as Record<string, unknown>;
            const shapeOk =
              Object.keys(body).every((k) => ERROR_KEYS.includes(k)) &&
              body.statusCode === response.status &&
              typeof body.error === 'string' &&
              typeof body.message === 'string' &&
              body.message.length > 0;
            if (!shapeOk) throw new Error(`not the error shape: ${where}`);
            if (after !== before) throw new Error(`appended ${after - before} event(s) on a refused request: ${where}`);
          }),
          { numRuns: perRoute, seed: SEED, endOnFailure: true },
        );
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(cpuStarted);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      // Figures for the report; not asserted (no timing thresholds in tests).
      console.log(
        `fuzz: ${sent} requests over ${routes.length} routes in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s; ` +
          `${cpuSeconds.toFixed(1)} CPU s, ${(sent / cpuSeconds).toFixed(0)} per CPU second); ` +
          `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; accepted ${accepted.length}`,
      );
      console.log(
        [...timing]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, [n, ms]]) => `${k}: ${n} x ${(ms / n).toFixed(1)} ms`)
          .join('; '),
      );
      if (!process.env.FUZZ_ROUTE) expect(sent).toBeGreaterThanOrEqual(TOTAL_RUNS);
    },
    Math.max(900_000, TOTAL_RUNS * 60),
  ); // generous: no timing threshold, only a hang guard
});
