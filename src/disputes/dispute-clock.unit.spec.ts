import { workingDayCalendar } from '@casetrail/kernel';
import { DEFAULT_DISPUTE_PROTOCOL } from './dispute-protocol.decider';
import { disputeClock, stageDueOn, statusOn, type DisputeFacts, type StageEntryFacts } from './dispute-clock';

const protocol = { version: 1, ...DEFAULT_DISPUTE_PROTOCOL };
const entry = (stage: string, enteredOn: string, response: string | null = null): StageEntryFacts => ({
  stage,
  enteredOn,
  bypassed: [],
  reason: null,
  response: response
    ? { respondentId: 'tm-1', respondentName: null, respondedOn: response, response: 'Answered', satisfactory: null }
    : null,
});
const facts = (stages: StageEntryFacts[], extra: Partial<DisputeFacts> = {}): DisputeFacts => ({
  disputeId: 'd-1',
  teamId: 'lac-1',
  category: 'matching',
  raisedOn: stages[0].enteredOn,
  protocol,
  stages,
  statusChanges: [],
  cafcassReferral: null,
  ...extra,
});

describe('DR clock', () => {
  it('a DR raised on Thursday 9 April 2020 at stage-1 is due on 20 April (Good Friday and Easter Monday skipped)', () => {
    expect(stageDueOn(protocol, 'stage-1', '2020-04-09')).toBe('2020-04-20');
    expect(disputeClock(facts([entry('stage-1', '2020-04-09')]), '2020-04-09')).toMatchObject({
      dueOn: '2020-04-20',
      formal: true,
    });
  });

  it('a DR raised on Monday 4 May 2020 is due on 12 May (VE day, Friday 8 May, skipped)', () => {
    expect(disputeClock(facts([entry('informal', '2020-05-04')]), '2020-05-04')).toMatchObject({
      stage: 'informal',
      dueOn: '2020-05-12',
      formal: false,
      formalTargetOn: null,
    });
  });

  it('a stage is overdue the day after its due date while no response is recorded', () => {
    const dr = facts([entry('informal', '2020-05-04', '2020-05-14')]);
    expect(disputeClock(dr, '2020-05-12')).toMatchObject({ overdue: false, workingDaysOverdue: 0 });
    expect(disputeClock(dr, '2020-05-13')).toMatchObject({ overdue: true, workingDaysOverdue: 1 });
    // Answered on the 14th: from then on the DR is not overdue, but the stage is shown as answered late.
    const after = disputeClock(dr, '2020-05-15');
    expect(after).toMatchObject({ overdue: false });
    expect(after.stages[0]).toMatchObject({ overdue: true, workingDaysOverdue: 2, response: { respondedOn: '2020-05-14' } });
    // As at the 13th, the response of the 14th had not been given yet.
    expect(disputeClock(dr, '2020-05-13').stages[0].response).toBeNull();
  });

  it('a stage left before its due date without a response was not overdue', () => {
    const dr = facts([entry('informal', '2020-05-04'), { ...entry('stage-2', '2020-05-06'), bypassed: ['stage-1'] }]);
    const clock = disputeClock(dr, '2020-05-13');
    expect(clock.stages.map((s) => [s.stage, s.dueOn, s.leftOn, s.overdue])).toEqual([
      ['informal', '2020-05-12', '2020-05-06', false],
      ['stage-2', '2020-05-14', null, false],
    ]);
    expect(clock).toMatchObject({ stage: 'stage-2', overdue: false, becameFormalOn: '2020-05-06' });
  });

  it('a formal DR is over target when unresolved after 20 working days from becoming formal', () => {
    // Formal on 12 May 2020; 25 May (spring bank holiday) is skipped: target 10 June.
    const dr = facts([entry('informal', '2020-05-04', '2020-05-11'), entry('stage-1', '2020-05-12', '2020-05-18')]);
    expect(disputeClock(dr, '2020-06-10')).toMatchObject({ formalTargetOn: '2020-06-10', overTarget: false });
    expect(disputeClock(dr, '2020-06-11')).toMatchObject({ overTarget: true, overdue: false });
    const resolved = {
      ...dr,
      statusChanges: [{ status: 'resolved' as const, on: '2020-06-12', outcome: 'resolved' as const, note: 'ok' }],
    };
    expect(disputeClock(resolved, '2020-06-20')).toMatchObject({
      status: 'resolved',
      overTarget: false,
      resolvedWithinTarget: false,
    });
    // As at a day before the resolution it was still open and over target.
    expect(disputeClock(resolved, '2020-06-11')).toMatchObject({ status: 'open', overTarget: true, resolvedOn: null });
  });

  it('a reopened DR is open again from the day it was reopened', () => {
    const dr = facts([entry('informal', '2020-05-04', '2020-05-05')], {
      statusChanges: [
        { status: 'resolved', on: '2020-05-06', outcome: 'resolved', note: 'ok' },
        { status: 'open', on: '2020-05-20', reason: 'Broke down' },
      ],
    });
    expect(disputeClock(dr, '2020-05-10').status).toBe('resolved');
    expect(disputeClock(dr, '2020-05-20').status).toBe('open');
  });

  it('reopening a DR restarts the stage clock: the stage is due its working days after the reopening day', () => {
    // Raised informal on Monday 4 May 2020 (due 12 May, VE day skipped), resolved 6 May, reopened Wednesday 3 June.
    const dr = facts([entry('informal', '2020-05-04')], {
      statusChanges: [
        { status: 'resolved', on: '2020-05-06', outcome: 'resolved', note: 'ok' },
        { status: 'open', on: '2020-06-03', reason: 'Panel cancelled' },
      ],
    });
    const reopened = disputeClock(dr, '2020-06-03');
    // Not "overdue by 15 working days" since 12 May: it has 5 working days again, to Wednesday 10 June.
    expect(reopened).toMatchObject({ status: 'open', dueOn: '2020-06-10', overdue: false, workingDaysOverdue: 0 });
    expect(reopened.stages[0]).toMatchObject({ clockStartedOn: '2020-06-03', restartedOn: '2020-06-03', overdue: false });
    expect(disputeClock(dr, '2020-06-11')).toMatchObject({ overdue: true, workingDaysOverdue: 1 });
    // As at a day before the reopening, the clock had not restarted.
    expect(disputeClock(dr, '2020-05-20').stages[0]).toMatchObject({ dueOn: '2020-05-12', restartedOn: null });
  });

  it('a restarted stage clock stays with that stage when the reopened DR is escalated', () => {
    const dr = facts([entry('informal', '2020-05-04'), entry('stage-1', '2020-06-05')], {
      statusChanges: [
        { status: 'resolved', on: '2020-05-06', outcome: 'resolved', note: 'ok' },
        { status: 'open', on: '2020-06-03', reason: 'Panel cancelled' },
      ],
    });
    const clock = disputeClock(dr, '2020-06-05');
    expect(clock.stages.map((s) => [s.stage, s.clockStartedOn, s.dueOn, s.overdue])).toEqual([
      ['informal', '2020-06-03', '2020-06-10', false],
      ['stage-1', '2020-06-05', '2020-06-12', false],
    ]);
  });

  it('a bank holiday an administrator added moves due dates and overdue counts past it', () => {
    // Raised Monday 4 May 2020: due 12 May on the published calendar; with an extra holiday on 11 May, 13 May.
    const dr = facts([entry('informal', '2020-05-04')]);
    const calendar = workingDayCalendar([{ date: '2020-05-11' }]);
    expect(disputeClock(dr, '2020-05-13', calendar)).toMatchObject({ dueOn: '2020-05-13', overdue: false });
    expect(disputeClock(dr, '2020-05-13')).toMatchObject({ dueOn: '2020-05-12', overdue: true, workingDaysOverdue: 1 });
  });

  it("statusOn, which filters lists before the clock runs, gives the clock's status on every day", () => {
    const dr = facts([entry('informal', '2020-05-04', '2020-05-05'), entry('stage-1', '2020-05-07')], {
      statusChanges: [
        { status: 'resolved', on: '2020-05-06', outcome: 'resolved', note: 'ok' },
        { status: 'open', on: '2020-05-07', reason: 'Broke down' },
        { status: 'resolved', on: '2020-05-20', outcome: 'resolved', note: 'ok' },
      ],
    });
    const days = ['2020-05-01', '2020-05-04', '2020-05-05', '2020-05-06', '2020-05-07', '2020-05-19', '2020-05-20', '2020-06-01'];
    expect(days.map((on) => statusOn(dr, on))).toEqual(days.map((on) => disputeClock(dr, on).status));
    expect(days.map((on) => statusOn(dr, on))).toEqual([
      'not-raised',
      'open',
      'open',
      'resolved',
      'open',
      'open',
      'resolved',
      'resolved',
    ]);
  });

  it('before the DR was raised it is not-raised, never overdue', () => {
    expect(disputeClock(facts([entry('informal', '2020-05-04')]), '2020-05-01')).toMatchObject({
      status: 'not-raised',
      overdue: false,
    });
  });
});
