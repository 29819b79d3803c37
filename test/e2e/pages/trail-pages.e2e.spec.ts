/**
 * The trail pages over plain HTTP (SQLite): filters and paging of the events list, one record's
 * history with its state after each event, the integrity check (also on a tampered file), the
 * export download and the access log. Seeded in-process and through the API.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { londonClockAt } from '@casetrail/kernel';
import { newEvent } from '@casetrail/testing';
import type { Role } from '../../../src/shared/principal';
import { systemContext } from '../../../src/core/command-context';
import { IntegrityService } from '../../../src/trail/integrity.service';
import { verifyExport } from '../../../src/trail/verify-export';
import { UserUseCases } from '../../../src/users/users.use-cases';
import { PROFILES, TestApp } from '../../support/test-app';
import { cookieOf, csrfOf, TEST_PASSWORD as PASSWORD } from '../../support/web-http';

const sqlite = PROFILES[0];
const unescape = (html: string): string =>
  html
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
/** The positions in the events table, in the order shown. */
const positionsOf = (html: string): string[] => [...html.matchAll(/govuk-table__cell--numeric">(\d+)<\/td>/g)].map((m) => m[1]);
const hrefOf = (html: string, rel: 'prev' | 'next'): string | null => {
  const match = new RegExp(`<a[^>]*href="([^"]+)"[^>]*rel="${rel}"`).exec(html);
  return match ? unescape(match[1]) : null;
};

describe('trail pages over HTTP (sqlite)', () => {
  let storage: Awaited<ReturnType<typeof sqlite.create>>;
  let app: TestApp;
  let admin: { userId: string; token: string };
  let inspector: string;
  let manager: string;
  const store = (): EventStore => app.app.get<EventStore>(EVENT_STORE);
  const page = (cookie: string, path: string) => app.http.get(path).set('Cookie', cookie);
  const api = (path: string) => app.http.get(path).set('Authorization', `Bearer ${admin.token}`);

  async function signedIn(role: Role, username: string, teamIds: string[] = []): Promise<string> {
    const { userId } = await app.userWithToken(role, teamIds, `${username} person`);
    await app.app.get(UserUseCases).setPassword(userId, { username, password: PASSWORD }, systemContext('test-setup'));
    const form = await app.http.get('/sign-in').expect(200);
    const done = await app.http
      .post('/sign-in')
      .set('Cookie', cookieOf(form))
      .type('form')
      .send({ username, password: PASSWORD, _csrf: csrfOf(form.text) })
      .expect(303);
    return cookieOf(done);
  }

  beforeAll(async () => {
    storage = await sqlite.create();
    app = await TestApp.start(storage.env);
    admin = await app.userWithToken('admin');
    const post = (path: string, body: object, method: 'post' | 'patch' = 'post') =>
      app.http[method](path)
        .set('Authorization', `Bearer ${admin.token}`)
        .send(body)
        .expect((r) => expect(r.status).toBeLessThan(300));
    await post('/api/v1/teams', { teamId: 'north', name: 'North team', service: 'Assessment' });
    await post('/api/v1/teams', { teamId: 'south', name: 'South team', service: 'Assessment' });
    await post('/api/v1/teams/north', { name: 'North and East team' }, 'patch');
    for (let i = 0; i < 3; i++) {
      await store().appendToStream('review-R1', [newEvent('ReviewNoted', { teamId: 'north', note: `north note ${i}` })]);
      await store().appendToStream('review-R2', [newEvent('ReviewNoted', { teamId: 'south', note: `south note ${i}` })]);
    }
    inspector = await signedIn('inspector', 'ines');
    manager = await signedIn('team-manager', 'mia', ['north']);
  });
  afterAll(async () => {
    await app?.close();
    await storage?.drop();
  });

  it('shows "Trail" in the navigation to every role that may read the trail', async () => {
    for (const cookie of [inspector, manager]) {
      const dashboard = await page(cookie, '/dashboard').expect(200);
      expect(dashboard.text).toMatch(/href="\/trail"[^>]*>\s*(<[^>]+>)*\s*Trail/);
    }
  });

  it('filters the events by kind of record, type and team, with the change in words and a link to each history', async () => {
    const teams = await page(inspector, '/trail?streamPrefix=team-').expect(200);
    // Records by the names people know them by (a team's name now), event types in words.
    expect(unescape(teams.text)).toContain('Team North and East team: renamed from "North team" to "North and East team" by');
    expect(teams.text).toContain('<strong>Team renamed</strong>');
    expect(teams.text).not.toContain('<strong>TeamRenamed</strong>');
    expect(teams.text).toContain('href="/trail/streams/team-north"');
    expect(teams.text).not.toContain('Review R1');
    // Read through the page, recorded in the access log as the API records it.
    const read = await api('/api/v1/access-log?subject=team-*').expect(200);
    expect(read.body.entries).toEqual([expect.objectContaining({ route: 'GET /trail?streamPrefix=team-', role: 'inspector' })]);

    const south = await page(inspector, '/trail?type=ReviewNoted&teamId=south').expect(200);
    expect(positionsOf(south.text)).toHaveLength(3);
    expect(south.text).toContain('Review R2');
    expect(south.text).not.toContain('Review R1');
    expect(south.text).toContain('href="/trail.csv?type=ReviewNoted&amp;teamId=south"');

    // A team manager sees their own team's events only, and may not ask for another team's.
    const own = await page(manager, '/trail?type=ReviewNoted').expect(200);
    expect(own.text).toContain('Review R1');
    expect(own.text).not.toContain('Review R2');
    const other = await page(manager, '/trail?teamId=south').expect(403);
    expect(other.text).toContain('You do not have access to this page');

    // Dates are checked by the API's own DTO; the message sits beside the field.
    const wrong = await page(inspector, '/trail?from=yesterday').expect(400);
    expect(wrong.text).toContain('govuk-error-summary');
    expect(wrong.text).toContain('Recorded after must be a real date and time');

    // A datetime-local value is a UK time (GMT or BST): nothing was recorded after a minute from now.
    const later = londonClockAt(new Date(Date.now() + 60_000)).local.slice(0, 16);
    const none = await page(inspector, `/trail?from=${later}`).expect(200);
    expect(none.text).toContain('No events match.');
    const [date, time] = later.split('T');
    const [year, month, day] = date.split('-');
    const [hour, minute] = time.split(':');
    // Shown again in GOV.UK date boxes (day, month, year, hour, minute), as the as-at form does.
    const boxes = { day: String(Number(day)), month: String(Number(month)), year, hour, minute };
    for (const [part, value] of Object.entries(boxes))
      expect(none.text).toMatch(new RegExp(`name="from-${part}"[^>]*value="${value}"`));
    expect(none.text).not.toContain('datetime-local');

    // Typed in the boxes, the same filter: and an empty time means midnight.
    const typed = await page(
      inspector,
      `/trail?${new URLSearchParams(Object.entries(boxes).map(([p, v]): [string, string] => [`from-${p}`, v]))}`,
    ).expect(200);
    expect(typed.text).toContain('No events match.');
    expect(typed.text).toContain(`href="/trail.csv?from=${encodeURIComponent(later)}`);
    const sinceMidnight = await page(inspector, `/trail?from-day=1&from-month=1&from-year=2000`).expect(200);
    expect(sinceMidnight.text).toMatch(/name="from-hour"[^>]*value="00"/);
    expect(positionsOf(sinceMidnight.text).length).toBeGreaterThan(0);
    const unreal = await page(inspector, '/trail?from-day=31&from-month=2&from-year=2026').expect(400);
    expect(unreal.text).toContain('href="#from-day"');
    expect(unreal.text).toMatch(/name="from-day"[^>]*value="31"/);
  });

  it('reads the as-at date and time on the trail pages as UK time, and says so, on both sides of the clocks changing', async () => {
    const form = await page(inspector, '/trail').expect(200);
    expect(form.text).toContain('Show this page as at (UK time)');
    expect(form.text).toContain('Recorded after (UK time)');
    // Half past midnight BST on 1 July 2020 is 23:30 UTC on 30 June; 00:30 on 1 January is GMT, the same as UTC.
    await page(inspector, '/trail?type=ReviewNoted&asAtLocal=2020-07-01T00:30')
      .expect(303)
      .expect('Location', '/trail?type=ReviewNoted&asAt=2020-06-30T23%3A30%3A00Z');
    await page(inspector, '/trail/streams/team-north?asAtLocal=2021-01-01T00:30')
      .expect(303)
      .expect('Location', '/trail/streams/team-north?asAt=2021-01-01T00%3A30%3A00Z');
    const summer = await page(inspector, '/trail?asAt=2020-06-30T23:30:00Z').expect(200);
    expect(summer.text).toContain('as it was at 1 July 2020 at 00:30 (UK time)');
    // The as-at form's GOV.UK date boxes, with hour and minute, show the time in UK time.
    expect(summer.text).toMatch(/id="asAtLocal-day" name="asAtLocal-day" type="text" value="1"/);
    expect(summer.text).toMatch(/id="asAtLocal-month" name="asAtLocal-month" type="text" value="7"/);
    expect(summer.text).toMatch(/id="asAtLocal-hour" name="asAtLocal-hour" type="text" value="00"/);
    expect(summer.text).toMatch(/id="asAtLocal-minute" name="asAtLocal-minute" type="text" value="30"/);
    // The hour the clocks skip is said to be so, beside the field.
    const skipped = await page(inspector, '/trail?asAtLocal=2026-03-29T01:30').expect(400);
    expect(unescape(skipped.text)).toContain('There was no 01:30 on 29 March 2026 in the UK');
    // Times on the trail are UK times too, in the one style of every page: "5 December 2026 at 14:05".
    const now = await page(inspector, '/trail?streamPrefix=team-').expect(200);
    expect(now.text).toMatch(/<td class="govuk-table__cell">\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}<\/td>/);
    expect(now.text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
    expect(now.text).not.toMatch(/at \d{2}:\d{2}:\d{2} UTC/);
  });

  it("one rule for what an inspector may read: the trail pages show a child's personal text as /trail/changes does", async () => {
    const qa = await app.userWithToken('qa-officer', [], 'Quinn Auditor');
    const post = (path: string, body: object) => app.http.post(path).set('Authorization', `Bearer ${qa.token}`).send(body);
    const id = (await post('/api/v1/audits', { caseRef: 'CASE-88', teamId: 'north', auditedOn: '2026-04-06' }).expect(201)).body
      .auditId as string;
    await post(`/api/v1/audits/${id}/grades`, { domain: 'planning', grade: 'good' }).expect(200);
    await post(`/api/v1/audits/${id}/submit`, { overallGrade: 'good', submittedOn: '2026-04-07' }).expect(200);
    await post(`/api/v1/audits/${id}/corrections`, { domain: 'planning', to: 'inadequate', reason: 'Risks not analysed' }).expect(
      200,
    );
    const sentence = 'reason "Risks not analysed"';
    for (const path of [`/trail?streamPrefix=audit-${id}`, `/trail/streams/audit-${id}`, `/trail.csv?streamPrefix=audit-${id}`]) {
      const shown = unescape((await page(inspector, path).expect(200)).text);
      expect({ path, readable: shown.includes('Risks not analysed'), encrypted: shown.includes('(encrypted)') }).toEqual({
        path,
        readable: true,
        encrypted: false,
      });
    }
    const changes = await app.http
      .get('/api/v1/trail/changes?from=2000-01-01T00:00:00Z')
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect(JSON.stringify(changes.body)).toContain(sentence.replace(/"/g, '\\"'));
  });

  it('pages forwards and back with next and previous links, in either order', async () => {
    const all = positionsOf((await page(inspector, '/trail?type=ReviewNoted&limit=1000&order=oldest').expect(200)).text);
    expect(all).toHaveLength(6);
    // The trail opens newest first.
    const opening = positionsOf((await page(inspector, '/trail?type=ReviewNoted&limit=1000').expect(200)).text);
    expect(opening).toEqual([...all].reverse());

    const first = await page(inspector, '/trail?type=ReviewNoted&limit=2&order=oldest').expect(200);
    expect(positionsOf(first.text)).toEqual(all.slice(0, 2));
    expect(hrefOf(first.text, 'prev')).toBeNull();
    const second = await page(inspector, hrefOf(first.text, 'next')!).expect(200);
    expect(positionsOf(second.text)).toEqual(all.slice(2, 4));
    const third = await page(inspector, hrefOf(second.text, 'next')!).expect(200);
    expect(positionsOf(third.text)).toEqual(all.slice(4, 6));
    expect(hrefOf(third.text, 'next')).toBeNull();
    const back = await page(inspector, hrefOf(third.text, 'prev')!).expect(200);
    expect(positionsOf(back.text)).toEqual(all.slice(2, 4));
    const start = await page(inspector, hrefOf(back.text, 'prev')!).expect(200);
    expect(positionsOf(start.text)).toEqual(all.slice(0, 2));
    expect(hrefOf(start.text, 'prev')).toBeNull();
    expect(positionsOf((await page(inspector, hrefOf(start.text, 'next')!).expect(200)).text)).toEqual(all.slice(2, 4));

    const newest = await page(inspector, '/trail?type=ReviewNoted&limit=4&order=newest').expect(200);
    expect(positionsOf(newest.text)).toEqual([...all].reverse().slice(0, 4));
    const older = await page(inspector, hrefOf(newest.text, 'next')!).expect(200);
    expect(positionsOf(older.text)).toEqual([...all].reverse().slice(4, 6));
  });

  it('downloads the filtered list as CSV', async () => {
    const file = await page(inspector, '/trail.csv?type=ReviewNoted&teamId=north').expect(200);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(file.headers['content-disposition']).toContain('attachment; filename="trail.csv"');
    const lines = file.text.trim().split('\r\n');
    // The ids as recorded, and beside them the record's name and the event type in words.
    expect(lines[0]).toBe('position,recordedAt,occurredAt,streamId,revision,type,actorId,actorName,actorRole,record,event,text');
    expect(lines[1]).toContain(',Review R1,Review noted,');
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['review-R1', 'review-R1', 'review-R1']);
  });

  it("shows one record's history: who, when, the change in words and the state after each event", async () => {
    const history = await page(inspector, '/trail/streams/team-north').expect(200);
    const html = unescape(history.text);
    expect(html).toContain('<h1 class="govuk-heading-l">Team North and East team</h1>');
    expect(html).toContain('<h2 class="govuk-heading-m">1. Team registered</h2>');
    expect(html).toContain('Team North and East team: registered as "North team" (Assessment) by');
    expect(html).toContain('Team North and East team: renamed from "North team" to "North and East team" by');
    // The state after each event as a summary list: the name before and after the rename, marked as changed.
    const [, afterRegistered, afterRenamed] = html.split('<h2 class="govuk-heading-m">');
    expect(afterRegistered).toMatch(/<dt class="govuk-summary-list__key">Name<\/dt>\s*<dd[^>]*>North team\s*<\/dd>/);
    expect(afterRenamed).toMatch(
      /<dt class="govuk-summary-list__key">Name<\/dt>\s*<dd[^>]*>North and East team <strong class="govuk-tag govuk-tag--yellow">\s*Changed/,
    );
    expect(html).not.toContain('{"');

    // Records without a registered decider still list their events.
    const review = await page(manager, '/trail/streams/review-R1').expect(200);
    expect(review.text).toContain('Not available for this kind of record');
    expect(review.text).toContain('north note 2');
    // Another team's record does not exist for a team manager; nor does a record nobody wrote.
    await page(manager, '/trail/streams/review-R2').expect(404);
    await page(inspector, '/trail/streams/review-none').expect(404);

    // Reading a history through the page is recorded in the access log, as through the API.
    const log = await api('/api/v1/access-log?subject=review-R1').expect(200);
    expect(log.body.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ route: 'GET /trail/streams/review-R1', role: 'team-manager' })]),
    );
    const csvFile = await page(inspector, '/trail/streams/team-north/events.csv').expect(200);
    expect(csvFile.text.trim().split('\r\n')).toHaveLength(3);
  });

  it('runs the integrity check and shows it verified, with the latest signed checkpoint', async () => {
    const before = await page(inspector, '/trail/verify').expect(200);
    expect(before.text).toContain('Verified');
    expect(before.text).toContain('No checkpoint has been signed yet');
    const checkpoint = (await app.app.get(IntegrityService).makeCheckpoint('test')).checkpoint;
    const report = await page(inspector, '/trail/verify').expect(200);
    expect(report.text).toContain('govuk-panel');
    expect(report.text).not.toContain('Verification failed');
    expect(report.text).toMatch(
      new RegExp(
        `Events checked\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*${Number(await store().headPosition())}\\s*</dd>`,
      ),
    );
    expect(report.text).toContain(checkpoint.rootHash);
    expect(report.text).toContain(checkpoint.keyId);
    await page(manager, '/trail/verify').expect(403);
  });

  it('downloads an export that verifies offline, streamed with download headers; refuses a wrong format', async () => {
    const form = await page(inspector, '/trail/export').expect(200);
    expect(form.text).toContain('trail:verify-export');
    const file = await page(inspector, '/trail/export/download?format=csv&teamId=north').expect(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="casetrail-trail-[0-9TZ-]+\.csv"$/);
    const dir = mkdtempSync(join(tmpdir(), 'trail-export-'));
    try {
      const path = join(dir, 'export.csv');
      writeFileSync(path, file.text);
      const key = await page(inspector, '/trail/public-key.pem').expect(200);
      const result = await verifyExport(path, key.text);
      expect(result).toMatchObject({ valid: true, keyPinned: true, format: 'csv', manifest: { filters: { teamId: 'north' } } });
      expect(file.text).toContain('north note 2');
      expect(file.text).not.toContain('south note');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const ndjson = await page(inspector, '/trail/export/download').expect(200);
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');

    const wrong = await page(inspector, '/trail/export/download?format=pdf').expect(400);
    expect(wrong.text).toContain('Format must be ndjson or csv');
    await page(manager, '/trail/export').expect(403);
    await page(manager, '/trail/export/download').expect(403);
  });

  it('shows the access log with its CSV to inspectors only', async () => {
    const log = await page(inspector, '/trail/access-log?subject=team-north').expect(200);
    expect(log.text).toContain('GET /trail/streams/team-north');
    expect(log.text).toContain('ines person (inspector)');
    const file = await page(inspector, '/trail/access-log.csv?subject=team-north').expect(200);
    expect(file.text.split('\r\n')[0]).toBe('position,at,actorId,actorName,role,route,subject');
    expect(file.text).toContain('GET /trail/streams/team-north');
    await page(manager, '/trail/access-log').expect(403);

    // Its "read up to" in GOV.UK date boxes: nothing was read before 2000; the old single field still works.
    const before2000 = await page(inspector, '/trail/access-log?subject=team-north&to-day=1&to-month=1&to-year=2000').expect(200);
    expect(before2000.text).not.toContain('GET /trail/streams/team-north');
    expect(before2000.text).toMatch(/name="to-year"[^>]*value="2000"/);
    const sameOld = await page(inspector, '/trail/access-log?subject=team-north&to=2000-01-01T00:00').expect(200);
    expect(sameOld.text).not.toContain('GET /trail/streams/team-north');
    expect(sameOld.text).toMatch(/name="to-year"[^>]*value="2000"/);

    // The export form's boxes keep what was typed when something is wrong.
    const wrongFormat = await page(inspector, '/trail/export/download?format=x&from-day=2&from-month=1&from-year=2020').expect(
      400,
    );
    expect(wrongFormat.text).toMatch(/name="from-day"[^>]*value="2"/);
    expect(wrongFormat.text).toMatch(/name="from-year"[^>]*value="2020"/);
    expect(wrongFormat.text).not.toContain('datetime-local');
  });

  it('shows a failed check when the SQLite file was tampered with', async () => {
    const db = new Database(join(storage.env.DATA_DIR, 'events.sqlite'));
    try {
      db.exec('DROP TRIGGER IF EXISTS events_are_immutable_update; DROP TRIGGER IF EXISTS events_are_immutable_delete;');
      const row = db.prepare('SELECT position FROM events WHERE stream_id = ? AND revision = ?').get('review-R1', 1) as {
        position: number;
      };
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
        JSON.stringify({ teamId: 'north', note: 'rewritten' }),
        row.position,
      );
      const report = await page(inspector, '/trail/verify').expect(200);
      expect(report.text).toContain('Verification failed: the trail has been altered');
      expect(report.text).not.toContain('govuk-panel');
      expect(report.text).toMatch(/content was changed/);
      expect(report.text).toContain(`Position ${row.position}`);
      expect(report.text).toContain('href="/trail/streams/review-R1"');
    } finally {
      db.close();
    }
  });
});
