/**
 * Issue 17, item 10: a team manager records self-assessments only for the services their teams
 * belong to (a self-assessment's service id is the team's service in lower case with hyphens,
 * src/teams/service-id.ts), through the API and the page alike. Improvement leads and
 * administrators record for any service.
 */
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { serviceIdOf } from '../../src/teams/service-id';
import { PROFILES, TestApp } from '../support/test-app';
import { signIn, webUser } from '../support/web-http';

const answers = {
  period: '2020/21 Q1',
  score: 6,
  whatWeKnow: 'Visits are timely; plans drift.',
  howWeKnow: 'Monthly case audits.',
  whatNext: 'Manager oversight at every review.',
};

describe.each(PROFILES.filter((p) => p.enabled))('who records a self-assessment ($name)', (profile) => {
  let app: TestApp;
  let drop: () => Promise<void>;
  let manager: { token: string };
  let lead: { token: string };
  const head = (): Promise<bigint> => app.app.get<EventStore>(EVENT_STORE).headPosition();
  const record = (token: string, service: string) =>
    app.http
      .post('/api/v1/self-assessments')
      .set('Authorization', `Bearer ${token}`)
      .send({ ...answers, service });

  beforeAll(async () => {
    const created = await profile.create();
    drop = created.drop;
    app = await TestApp.start(created.env);
    const admin = await app.userWithToken('admin');
    for (const [teamId, service] of [
      ['cin-north', 'Children in need'],
      ['cin-south', 'Children in need'],
      ['cp-east', 'Child protection'],
    ]) {
      await app.http
        .post('/api/v1/teams')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ teamId, name: `Team ${teamId}`, service })
        .expect(201);
    }
    manager = await webUser(app, 'team-manager', 'mo', { teamIds: ['cin-north'], name: 'Mo Manager' });
    lead = await app.userWithToken('improvement-lead', [], 'Lee Lead');
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it("a service's id is its team's service in lower case with hyphens", () => {
    expect(serviceIdOf('Children in need')).toBe('children-in-need');
    expect(serviceIdOf('  Children’s social care (MASH) ')).toBe('children-s-social-care-mash');
  });

  it('a team manager may record a self-assessment only for the services their teams belong to', async () => {
    await record(manager.token, 'children-in-need').expect(201);

    const before = await head();
    const other = await record(manager.token, 'child-protection').expect(403);
    expect(other.body.message).toContain('only for the services your teams belong to');
    await record(manager.token, 'mash-assessment').expect(403); // a service no team belongs to
    const noService = await app.http
      .post('/api/v1/self-assessments')
      .set('Authorization', `Bearer ${manager.token}`)
      .send(answers);
    expect(noService.status).toBe(403);
    // The page is held to the same rule.
    const page = await signIn(app, 'mo');
    await page.post('/self-assessments', { ...answers, score: '6', service: 'child-protection' }).expect(403);
    expect(await head()).toBe(before);
  });

  it('an improvement lead records for any service', async () => {
    await record(lead.token, 'child-protection').expect(201);
    await record(lead.token, 'mash-assessment').expect(201);
  });
});
