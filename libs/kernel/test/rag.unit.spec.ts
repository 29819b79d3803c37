import {
  amberEscalation,
  DEFAULT_RAG_SETTINGS,
  ragFor,
  recommendationRagFor,
  WorkingDayCalendar,
  type ActionFacts,
  type RagSettings,
} from '../src';

/** Starts Monday 1 June 2020, due Friday 31 July 2020, last update 1 July 2020 (on track). */
const action = (changes: Partial<ActionFacts> = {}): ActionFacts => ({
  startOn: '2020-06-01',
  originalDueOn: '2020-07-31',
  dueDateRevisions: [],
  progress: [{ reportedOn: '2020-07-01', confidence: 'on-track' }],
  ...changes,
});

describe('action RAG, rule by rule', () => {
  it('1. completed on or before the day -> blue, "completed on D"', () => {
    expect(ragFor(action({ completedOn: '2020-07-10' }), '2020-07-15')).toEqual({
      rag: 'blue',
      reasons: ['completed on 10 July 2020'],
      dueOn: '2020-07-31',
      open: false,
      lateWorkingDays: null,
    });
    expect(ragFor(action({ completedOn: '2020-07-10' }), '2020-07-10').rag).toBe('blue');
  });

  it('1. a completion after the due date says how many working days late it was (bank holidays left out)', () => {
    // Due Friday 31 July, completed Thursday 6 August: Monday to Thursday.
    expect(ragFor(action({ completedOn: '2020-08-06' }), '2020-08-10')).toMatchObject({
      rag: 'blue',
      reasons: ['completed on 6 August 2020, 4 working days late'],
      lateWorkingDays: 4,
    });
    // Due Friday 28 August, completed Thursday 3 September: the summer bank holiday (31 August) is not counted.
    const late = action({ originalDueOn: '2020-08-28', completedOn: '2020-09-03' });
    expect(ragFor(late, '2020-09-03')).toMatchObject({
      reasons: ['completed on 3 September 2020, 3 working days late'],
      lateWorkingDays: 3,
    });
  });

  it('1. a verified completion adds "verified", from the day of verification', () => {
    const verified = action({ completedOn: '2020-07-10', verifiedOn: '2020-07-20' });
    expect(ragFor(verified, '2020-07-20').reasons).toEqual(['completed on 10 July 2020', 'verified']);
    expect(ragFor(verified, '2020-07-19').reasons).toEqual(['completed on 10 July 2020']);
  });

  it('1. a completion after the day does not count yet', () => {
    expect(ragFor(action({ completedOn: '2020-07-10' }), '2020-07-09')).toMatchObject({ rag: 'green', open: true });
  });

  it('1. a reopened action keeps its earlier completion: as on a day between completion and reopening it was completed', () => {
    const reopened = action({
      originalDueOn: '2020-09-30',
      completedOn: null,
      completions: [{ completedOn: '2020-07-10', verifiedOn: '2020-07-20', reopenedOn: '2020-08-03' }],
    });
    expect(ragFor(reopened, '2020-07-25')).toMatchObject({ rag: 'blue', reasons: ['completed on 10 July 2020', 'verified'] });
    expect(ragFor(reopened, '2020-07-15').reasons).toEqual(['completed on 10 July 2020']);
    // Open again from the day of reopening.
    expect(ragFor(reopened, '2020-08-03')).toMatchObject({ rag: 'amber', open: true });
    expect(ragFor(reopened, '2020-07-09')).toMatchObject({ rag: 'green', open: true });
  });

  it('1. after reopening and a second completion, each day shows the completion standing then', () => {
    const twice = action({
      completedOn: '2020-08-20',
      completions: [
        { completedOn: '2020-07-10', reopenedOn: '2020-07-15' },
        { completedOn: '2020-08-20', reopenedOn: null },
      ],
    });
    expect(ragFor(twice, '2020-07-12').reasons).toEqual(['completed on 10 July 2020']);
    expect(ragFor(twice, '2020-07-20').rag).toBe('green');
    expect(ragFor(twice, '2020-09-01').reasons).toEqual(['completed on 20 August 2020, 14 working days late']);
  });

  it('2. before the start date -> grey, "not started"', () => {
    expect(ragFor(action({ progress: [] }), '2020-05-31')).toMatchObject({ rag: 'grey', reasons: ['not started'] });
  });

  it('3. after the due date -> red, "overdue by N working days"', () => {
    // Due Friday 31 July; Wednesday 5 August is 3 working days later.
    const recent = action({ progress: [{ reportedOn: '2020-07-29', confidence: 'on-track' }] });
    expect(ragFor(recent, '2020-08-05')).toMatchObject({ rag: 'red', reasons: ['overdue by 3 working days'] });
    expect(ragFor(recent, '2020-07-31').rag).toBe('green');
  });

  it('3. overdue counts working days: weekends and bank holidays do not count', () => {
    // Due Friday 28 August 2020; Monday 31 August was the summer bank holiday.
    const due = action({ originalDueOn: '2020-08-28', progress: [{ reportedOn: '2020-08-20', confidence: 'on-track' }] });
    expect(ragFor(due, '2020-09-01').reasons).toEqual(['overdue by 1 working day']);
    expect(ragFor(due, '2020-08-31')).toMatchObject({ rag: 'red', reasons: ['overdue by 0 working days'] });
  });

  it('4. latest progress off track -> red', () => {
    const offTrack = action({ progress: [{ reportedOn: '2020-07-01', confidence: 'off-track' }] });
    expect(ragFor(offTrack, '2020-07-02')).toMatchObject({ rag: 'red', reasons: ['off track (update of 1 July 2020)'] });
  });

  it('5. latest progress at risk -> amber', () => {
    const atRisk = action({ progress: [{ reportedOn: '2020-07-01', confidence: 'at-risk' }] });
    expect(ragFor(atRisk, '2020-07-02')).toMatchObject({ rag: 'amber', reasons: ['at risk (update of 1 July 2020)'] });
  });

  it('4-5. only the latest report made on or before the day counts', () => {
    const history = action({
      progress: [
        { reportedOn: '2020-06-15', confidence: 'off-track' },
        { reportedOn: '2020-07-01', confidence: 'on-track' },
        { reportedOn: '2020-07-20', confidence: 'at-risk' },
      ],
    });
    expect(ragFor(history, '2020-06-30').rag).toBe('red');
    expect(ragFor(history, '2020-07-10').rag).toBe('green');
    expect(ragFor(history, '2020-07-20').rag).toBe('amber');
  });

  it('6. due date revised later than the original -> amber, "slipped N days" (calendar days)', () => {
    const slipped = action({ dueDateRevisions: [{ revisedOn: '2020-07-06', newDueOn: '2020-08-14' }] });
    expect(ragFor(slipped, '2020-07-07')).toEqual({
      rag: 'amber',
      reasons: ['slipped 14 days'],
      dueOn: '2020-08-14',
      lateWorkingDays: null,
      open: true,
    });
    // Before the revision was made, the original date was in force.
    expect(ragFor(slipped, '2020-07-05')).toMatchObject({ rag: 'green', dueOn: '2020-07-31' });
  });

  it('6. a due date brought forward is not slippage', () => {
    const earlier = action({ dueDateRevisions: [{ revisedOn: '2020-07-06', newDueOn: '2020-07-24' }] });
    expect(ragFor(earlier, '2020-07-07')).toMatchObject({ rag: 'green', dueOn: '2020-07-24' });
  });

  it('7. no progress for more than a calendar month -> amber, "no update for N days"', () => {
    expect(ragFor(action(), '2020-07-31')).toMatchObject({ rag: 'green' }); // 30 days: still inside
    expect(ragFor(action(), '2020-07-31').reasons).toEqual(['on track']);
    const quiet = action({ originalDueOn: '2020-09-30' });
    expect(ragFor(quiet, '2020-08-01').rag).toBe('green'); // 1 July + 1 month = 1 August, inclusive
    expect(ragFor(quiet, '2020-08-02')).toMatchObject({ rag: 'amber', reasons: ['no update for 32 days'] });
  });

  it('7. counts from the start date when no progress was ever reported', () => {
    const never = action({ progress: [] });
    expect(ragFor(never, '2020-07-01').rag).toBe('green'); // 30 days after 1 June
    expect(ragFor(never, '2020-07-02')).toMatchObject({ rag: 'amber', reasons: ['no update for 31 days'] });
  });

  it('8. otherwise green, "on track"', () => {
    expect(ragFor(action(), '2020-07-15')).toEqual({
      rag: 'green',
      reasons: ['on track'],
      dueOn: '2020-07-31',
      open: true,
      lateWorkingDays: null,
    });
  });
});

describe('action RAG precedence: every rule adds its reason, the first decides the colour', () => {
  it('overdue, off track, slipped and silent: red, with all four reasons in rule order', () => {
    const worst = action({
      progress: [{ reportedOn: '2020-06-05', confidence: 'off-track' }],
      dueDateRevisions: [{ revisedOn: '2020-06-20', newDueOn: '2020-07-03' }],
      originalDueOn: '2020-06-26',
    });
    expect(ragFor(worst, '2020-07-10')).toMatchObject({
      rag: 'red',
      reasons: ['overdue by 5 working days', 'off track (update of 5 June 2020)', 'slipped 7 days', 'no update for 35 days'],
    });
  });

  it('at risk beats slipped and silence, but both still show', () => {
    const drifting = action({
      progress: [{ reportedOn: '2020-06-01', confidence: 'at-risk' }],
      dueDateRevisions: [{ revisedOn: '2020-06-10', newDueOn: '2020-08-31' }],
    });
    expect(ragFor(drifting, '2020-07-15').reasons).toEqual([
      'at risk (update of 1 June 2020)',
      'slipped 31 days',
      'no update for 44 days',
    ]);
    expect(ragFor(drifting, '2020-07-15').rag).toBe('amber');
  });

  it('not started beats slipped', () => {
    const slippedEarly = action({ progress: [], dueDateRevisions: [{ revisedOn: '2020-05-20', newDueOn: '2020-08-07' }] });
    expect(ragFor(slippedEarly, '2020-05-25')).toMatchObject({ rag: 'grey', reasons: ['not started', 'slipped 7 days'] });
  });

  it('overdue beats at risk', () => {
    const late = action({ progress: [{ reportedOn: '2020-07-30', confidence: 'at-risk' }] });
    expect(ragFor(late, '2020-08-03')).toMatchObject({
      rag: 'red',
      reasons: ['overdue by 1 working day', 'at risk (update of 30 July 2020)'],
    });
  });

  it('completed beats everything: a late completion is blue, and its slippage stays on the record', () => {
    const lateButDone = action({
      completedOn: '2020-08-20',
      progress: [{ reportedOn: '2020-06-01', confidence: 'off-track' }],
      dueDateRevisions: [{ revisedOn: '2020-07-01', newDueOn: '2020-08-10' }],
    });
    expect(ragFor(lateButDone, '2020-09-30')).toMatchObject({
      rag: 'blue',
      reasons: ['completed on 20 August 2020, 8 working days late', 'slipped 10 days'],
    });
  });
});

describe('recommendation RAG: against its own timescale', () => {
  const due = { dueOn: '2020-10-03', timescaleText: 'within 3 months' };
  const green = { actionId: 'a1', rag: 'green' as const, open: true, reasons: ['on track'] };

  it('past its timescale and not met is red, with the reason in words, even when its actions are on track', () => {
    expect(recommendationRagFor({ ...due, actions: [green] }, '2020-10-04')).toMatchObject({
      rag: 'red',
      reasons: [
        'past its timescale ("within 3 months", due 3 October 2020) and not met: 1 of 1 action open',
        'worst open action a1: on track',
      ],
      worstActionId: 'a1',
      met: false,
    });
    expect(recommendationRagFor({ ...due, actions: [green] }, '2020-10-03').rag).toBe('green');
  });

  it('a recommendation with no action is flagged "no action answers this recommendation", never shown as nothing', () => {
    expect(recommendationRagFor({ ...due, actions: [] }, '2020-09-01')).toMatchObject({
      rag: 'amber',
      reasons: ['no action answers this recommendation'],
      answered: false,
    });
    expect(recommendationRagFor({ ...due, actions: [] }, '2020-10-04')).toMatchObject({
      rag: 'red',
      reasons: [
        'past its timescale ("within 3 months", due 3 October 2020) and not met',
        'no action answers this recommendation',
      ],
    });
  });

  it('met when every action answering it is complete: blue, saying when it was met late', () => {
    const done = { actionId: 'a1', rag: 'blue' as const, open: false, completedOn: '2020-10-13' };
    expect(recommendationRagFor({ ...due, actions: [done] }, '2020-11-01')).toMatchObject({
      rag: 'blue',
      reasons: ['met: every action answering it is complete', 'met 10 days after its timescale'],
      met: true,
    });
  });

  it('before its timescale, the worst open action gives the colour', () => {
    const amber = { actionId: 'a2', rag: 'amber' as const, open: true, reasons: ['slipped 3 days'] };
    const done = { actionId: 'a3', rag: 'blue' as const, open: false };
    expect(recommendationRagFor({ ...due, actions: [green, amber, done] }, '2020-09-01')).toMatchObject({
      rag: 'amber',
      reasons: ['worst open action a2: slipped 3 days'],
      worstActionId: 'a2',
    });
  });

  it('the worst open action is named by its title when it has one', () => {
    const amber = {
      actionId: 'a2',
      title: 'Audit 20 cases a month',
      rag: 'amber' as const,
      open: true,
      reasons: ['slipped 3 days'],
    };
    expect(recommendationRagFor({ ...due, actions: [green, amber] }, '2020-09-01').reasons).toEqual([
      'worst open action "Audit 20 cases a month": slipped 3 days',
    ]);
  });
});

describe('amber drift: long-standing amber is flagged for escalation', () => {
  // At risk from 1 July, due 30 September: amber every day from 1 July.
  const drifting = action({ originalDueOn: '2020-09-30', progress: [{ reportedOn: '2020-07-01', confidence: 'at-risk' }] });

  it('amber for more than 60 days is flagged, saying since when', () => {
    expect(amberEscalation(drifting, '2020-08-30')).toBeNull(); // 60 days
    expect(amberEscalation(drifting, '2020-08-31')).toBe('amber since 1 July 2020 (61 days): escalate to the improvement board');
  });

  it('an action that is not amber on the day is not flagged, however long it was amber before', () => {
    const recovered = action({
      originalDueOn: '2020-12-31',
      progress: [
        { reportedOn: '2020-07-01', confidence: 'at-risk' },
        { reportedOn: '2020-09-15', confidence: 'on-track' },
      ],
    });
    expect(amberEscalation(recovered, '2020-09-20')).toBeNull();
  });
});

describe('action RAG thresholds are settings of each plan', () => {
  const settings = (changes: Partial<RagSettings>): RagSettings => ({ ...DEFAULT_RAG_SETTINGS, ...changes });

  it('the defaults: red from the first day overdue, amber after a calendar month without an update, escalation after 60 days', () => {
    expect(DEFAULT_RAG_SETTINGS).toEqual({
      redFromWorkingDaysOverdue: 0,
      noUpdateFor: { count: 1, unit: 'months' },
      escalateAmberAfterDays: 60,
    });
  });

  it('red from N working days overdue: amber, saying when it turns red, until then', () => {
    // Due Friday 31 July 2020 with an update on 29 July; Wednesday 5 August is 3 working days overdue.
    const recent = action({ progress: [{ reportedOn: '2020-07-29', confidence: 'on-track' }] });
    const red5 = { settings: settings({ redFromWorkingDaysOverdue: 5 }) };
    expect(ragFor(recent, '2020-08-05', red5)).toMatchObject({
      rag: 'amber',
      reasons: ['overdue by 3 working days (red from 5 working days)'],
    });
    expect(ragFor(recent, '2020-08-07', red5)).toMatchObject({ rag: 'red', reasons: ['overdue by 5 working days'] });
    // The default keeps red from the first day after the due date.
    expect(ragFor(recent, '2020-08-01').rag).toBe('red');
  });

  it('no update for a calendar month: an update on 1 July keeps the action out of amber until 1 August inclusive', () => {
    const quiet = action({ originalDueOn: '2020-12-31' });
    expect(ragFor(quiet, '2020-08-01').rag).toBe('green');
    expect(ragFor(quiet, '2020-08-02')).toMatchObject({ rag: 'amber', reasons: ['no update for 32 days'] });
    // The fixed 30 days it replaces tripped on a 31-day month: 1 August was amber.
    const thirtyDays = { settings: settings({ noUpdateFor: { count: 30, unit: 'days' } }) };
    expect(ragFor(quiet, '2020-07-31', thirtyDays).rag).toBe('green');
    expect(ragFor(quiet, '2020-08-01', thirtyDays)).toMatchObject({ rag: 'amber', reasons: ['no update for 31 days'] });
    // An update on 31 January covers February to its last day.
    const january = action({ originalDueOn: '2021-12-31', progress: [{ reportedOn: '2021-01-31', confidence: 'on-track' }] });
    expect(ragFor(january, '2021-02-28').rag).toBe('green');
    expect(ragFor(january, '2021-03-01').rag).toBe('amber');
    // A quarterly update rhythm: 3 calendar months.
    const quarterly = { settings: settings({ noUpdateFor: { count: 3, unit: 'months' } }) };
    expect(ragFor(quiet, '2020-10-01', quarterly).rag).toBe('green');
    expect(ragFor(quiet, '2020-10-02', quarterly).rag).toBe('amber');
  });

  it("escalation of long-standing amber after the plan's number of days", () => {
    const drifting = action({ originalDueOn: '2020-12-31', progress: [{ reportedOn: '2020-07-01', confidence: 'at-risk' }] });
    const after30 = { settings: settings({ escalateAmberAfterDays: 30 }) };
    expect(amberEscalation(drifting, '2020-07-31', after30)).toBeNull(); // 30 days
    expect(amberEscalation(drifting, '2020-08-01', after30)).toBe(
      'amber since 1 July 2020 (31 days): escalate to the improvement board',
    );
    expect(amberEscalation(drifting, '2020-08-01')).toBeNull(); // the default 60 days
  });
});

describe('plan RAG counts working days with the admin-recorded bank holidays', () => {
  // Due Friday 31 July 2020; an administrator recorded Monday 3 August as an extra bank holiday.
  const recorded = new WorkingDayCalendar([{ date: '2020-08-03' }]);
  const recent = action({ progress: [{ reportedOn: '2020-07-29', confidence: 'on-track' }] });

  it('a recorded bank holiday is not a working day overdue', () => {
    expect(ragFor(recent, '2020-08-05').reasons).toEqual(['overdue by 3 working days']);
    expect(ragFor(recent, '2020-08-05', { calendar: recorded }).reasons).toEqual(['overdue by 2 working days']);
  });

  it('nor does it count towards the working days before an action turns red', () => {
    const red3 = { settings: { ...DEFAULT_RAG_SETTINGS, redFromWorkingDaysOverdue: 3 }, calendar: recorded };
    expect(ragFor(recent, '2020-08-05', red3).rag).toBe('amber');
    expect(ragFor(recent, '2020-08-06', red3).rag).toBe('red');
  });
});
