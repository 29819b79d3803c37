import { PROFILES, TestApp, type User } from '../support/test-app';

describe.each(PROFILES.filter((p) => p.enabled))('bank holidays recorded by an administrator ($name)', (profile) => {
  let storage: Awaited<ReturnType<typeof profile.create>>;
  let t: TestApp;
  let admin: User, iro: User;

  beforeAll(async () => {
    storage = await profile.create();
    t = await TestApp.start(storage.env);
    admin = await t.userWithToken('admin');
    iro = await t.userWithToken('iro');
    await t.as(admin).post('/api/v1/teams', { teamId: 'lac-1', name: 'LAC 1', service: 'Looked after' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
  });

  it('an extra bank holiday moves DR due dates computed after it; only an admin records one', async () => {
    const raised = await t
      .as(iro)
      .post('/api/v1/disputes', {
        childRef: 'C-1',
        teamId: 'lac-1',
        category: 'matching',
        summary: 'Drift.',
        desiredOutcome: 'Panel.',
        raisedOn: '2020-07-13',
      })
      .expect(201);
    expect(raised.body.dueOn).toBe('2020-07-20');
    const id = raised.body.disputeId as string;

    await t.as(iro).post('/api/v1/calendar/bank-holidays', { date: '2020-07-15', reason: 'x' }).expect(403);
    await t.as(admin).post('/api/v1/calendar/bank-holidays', { date: '2020-07-15' }).expect(400);
    const added = await t
      .as(admin)
      .post('/api/v1/calendar/bank-holidays', { date: '2020-07-15', reason: 'A one-off holiday' })
      .expect(201);
    expect(added.body.events[0]).toMatchObject({ type: 'BankHolidayAdded', data: { date: '2020-07-15' } });
    const again = await t.as(admin).post('/api/v1/calendar/bank-holidays', { date: '2020-07-15', reason: 'again' }).expect(409);
    expect(again.body.details.code).toBe('ALREADY_A_BANK_HOLIDAY');

    const list = await t.as(iro).get('/api/v1/calendar/bank-holidays?year=2020').expect(200);
    expect(list.body.bankHolidays).toContain('2020-07-15');
    expect(list.body.recorded).toEqual([expect.objectContaining({ date: '2020-07-15', reason: 'A one-off holiday' })]);

    const view = await t.as(iro).get(`/api/v1/disputes/${id}?on=2020-07-20`).expect(200);
    expect(view.body).toMatchObject({ dueOn: '2020-07-21', overdue: false });
  });
});
