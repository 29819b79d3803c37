/**
 * A file over an upload's size limit is refused in plain words, saying what the limit is, and
 * nothing is recorded: on the case-list page (multipart, 20 MB) and the imports page (50 MB) a
 * GOV.UK "There is a problem" page with status 413 (it was a 500, "something went wrong"), and on the API (the file as
 * the body) 413 in the API's error shape, with the same limit as the page: 20 MB for a case list (it was 50 MB there),
 * 50 MB for an import. Storage plays no part: SQLite only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_CASE_LIST_BYTES } from '../../../src/sampling';
import { MAX_UPLOAD_BYTES } from '../../../src/imports/spool';
import { PROFILES, TestApp } from '../../support/test-app';
import { headOf, signedIn, textOf, type Person } from '../../support/web-http';

/** A limit in the words the docs and the refusals use: 20 MB. */
const mb = (bytes: number): string => `${bytes / 1024 / 1024} MB`;

/** A CSV of `bytes` bytes: a header, then rows of one long cell. */
const csvOf = (bytes: number): Buffer => {
  const file = Buffer.alloc(bytes, 'x');
  file.write('Case reference,Team\n');
  return file;
};

describe('files over the upload limit', () => {
  let storage: Awaited<ReturnType<(typeof PROFILES)[0]['create']>>;
  let t: TestApp;
  let qa: Person;

  beforeAll(async () => {
    storage = await PROFILES[0].create();
    t = await TestApp.start(storage.env);
    qa = await signedIn(t, 'qa-officer', [], 'quinn', 'Quinn Auditor');
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it('the case-list page answers 413 with a page that says the file is too large and the limit (20 MB), recording nothing', async () => {
    const before = await headOf(t);
    const response = await t.http
      .post('/case-lists')
      .set('Cookie', qa.cookie)
      .field('_csrf', qa.csrf)
      .attach('file', csvOf(MAX_CASE_LIST_BYTES + 1), 'open-cases.csv');
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const text = textOf(response.text);
    expect(text).toContain('There is a problem');
    expect(text).toContain('The selected file is too large: it must be smaller than 20 MB.');
    expect(await headOf(t)).toBe(before);
  });

  it('the imports page answers the same way with its own limit (50 MB)', async () => {
    const before = await headOf(t);
    const response = await t.http
      .post('/imports/check')
      .set('Cookie', qa.cookie)
      .field('_csrf', qa.csrf)
      .field('kind', 'audits')
      .attach('file', csvOf(MAX_UPLOAD_BYTES + 1), 'audits.csv');
    expect(response.status).toBe(413);
    expect(textOf(response.text)).toContain('The selected file is too large: it must be smaller than 50 MB.');
    expect(await headOf(t)).toBe(before);
  });

  it.each([
    ['a case list', '/api/v1/case-lists', MAX_CASE_LIST_BYTES, '20 MB'],
    ['an import', '/api/v1/imports/audits', MAX_UPLOAD_BYTES, '50 MB'],
  ])(
    'the API answers 413 for %s in its error shape, saying the limit its page has, recording nothing',
    async (_, url, limit, words) => {
      const before = await headOf(t);
      const response = await t.http
        .post(url)
        .set('Authorization', `Bearer ${qa.token}`)
        .set('Content-Type', 'text/csv')
        .send(csvOf(limit + 1));
      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: `The file is larger than ${words}; split it and import each part`,
      });
      expect(await headOf(t)).toBe(before);
    },
  );

  it('the API docs (OpenAPI and docs/api.md) state the same limits as the constants', async () => {
    type Operation = { description?: string; responses: Record<string, { description: string }> };
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, { post: Operation }> };
    const routes: [string, number, string][] = [
      ['/api/v1/case-lists', MAX_CASE_LIST_BYTES, 'MAX_CASE_LIST_BYTES'],
      ['/api/v1/imports/audits', MAX_UPLOAD_BYTES, 'MAX_UPLOAD_BYTES'],
      ['/api/v1/imports/indicators', MAX_UPLOAD_BYTES, 'MAX_UPLOAD_BYTES'],
      ['/api/v1/imports/users', MAX_UPLOAD_BYTES, 'MAX_UPLOAD_BYTES'],
    ];
    for (const [path, limit, name] of routes) {
      const post = doc.paths[path].post;
      expect(post.description).toBe(`The file may be at most ${mb(limit)} (${name}); a larger one is refused with 413.`);
      expect(post.responses['413'].description).toBe(`The file is larger than ${mb(limit)}: nothing is recorded.`);
    }
    const apiMd = readFileSync(join(__dirname, '../../../docs/api.md'), 'utf8').replace(/\s+/g, ' ');
    expect(apiMd).toContain(`\`POST /api/v1/case-lists\` takes at most **${mb(MAX_CASE_LIST_BYTES)}** (\`MAX_CASE_LIST_BYTES\``);
    expect(apiMd).toContain(`take at most **${mb(MAX_UPLOAD_BYTES)}** (\`MAX_UPLOAD_BYTES\``);
    expect(apiMd).toContain(`"The file is larger than ${mb(MAX_CASE_LIST_BYTES)}; split it and import each part"`);
    const webMd = readFileSync(join(__dirname, '../../../docs/web.md'), 'utf8');
    expect(webMd).toContain(`upload a case list (at most ${mb(MAX_CASE_LIST_BYTES)}: a larger file is refused with 413`);
  });
});
