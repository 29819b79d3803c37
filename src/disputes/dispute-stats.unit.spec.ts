import { DEFAULT_DISPUTE_PROTOCOL } from './dispute-protocol.decider';
import type { DisputeFacts, StageEntryFacts, StatusChange } from './dispute-clock';
import { disputeStats, median } from './dispute-stats';
import type { DisputeCategory } from './disputes.events';

const protocol = { version: 1, ...DEFAULT_DISPUTE_PROTOCOL };
const at = (stage: string, enteredOn: string): StageEntryFacts => ({
  stage,
  enteredOn,
  bypassed: [],
  reason: null,
  response: null,
});
const dr = (
  id: string,
  category: DisputeCategory,
  stages: StageEntryFacts[],
  resolvedOn?: string,
  referredOn?: string,
): DisputeFacts => ({
  disputeId: id,
  teamId: 'lac-1',
  category,
  raisedOn: stages[0].enteredOn,
  protocol,
  stages,
  statusChanges: resolvedOn ? [{ status: 'resolved', on: resolvedOn, outcome: 'resolved', note: '' } as StatusChange] : [],
  cafcassReferral: referredOn ? { referredOn, reason: 'x' } : null,
});

/*
 * Hand-checked (England and Wales calendar, 8 May 2020 and 25 May 2020 bank holidays):
 * A informal 14 Apr, stage-1 21 Apr (formal; target 20 May), resolved 5 May: 15 working days, within target.
 * B informal 22 Jun, stage-2 6 Jul (formal in Q2; target 3 Aug), resolved 20 Aug: 43 working days, late.
 * C raised at stage-1 on 4 May (formal in Q1), referred to Cafcass 20 May, open.
 * D informal 1 Jun, resolved 3 Jun: 2 working days, never formal.
 * E informal 1 Jul, open.
 */
const disputes = [
  dr('A', 'matching', [at('informal', '2020-04-14'), at('stage-1', '2020-04-21')], '2020-05-05'),
  dr('B', 'care-plan', [at('informal', '2020-06-22'), at('stage-2', '2020-07-06')], '2020-08-20'),
  dr('C', 'matching', [at('stage-1', '2020-05-04')], undefined, '2020-05-20'),
  dr('D', 'delegated-authority', [at('informal', '2020-06-01')], '2020-06-03'),
  dr('E', 'education', [at('informal', '2020-07-01')]),
];
const alerts = ['2020-04-30', '2020-06-30', '2020-07-01'];
const categories = (counts: Partial<Record<DisputeCategory, number>>) => expect.objectContaining({ ...counts, other: 0 });

describe('DR statistics per financial quarter', () => {
  it('counts, targets and medians per quarter and for the range', () => {
    const stats = disputeStats(disputes, alerts, '2020-04-01', '2020-09-30');
    expect(stats.quarters.map((q) => [q.quarter, q.from, q.to])).toEqual([
      ['2020/21 Q1', '2020-04-01', '2020-06-30'],
      ['2020/21 Q2', '2020-07-01', '2020-09-30'],
    ]);
    const [q1, q2] = stats.quarters;
    expect(q1).toMatchObject({
      raised: { informal: 3, formal: 2 },
      byCategory: categories({ matching: 2, 'care-plan': 1, 'delegated-authority': 1, education: 0 }),
      // B was still informal at the end of Q1: its escalation to stage-2 on 6 July is Q2's.
      highestStageReached: { informal: 2, 'stage-1': 2 },
      resolved: 2,
      resolvedWithinFormalTarget: { resolvedFormal: 1, count: 1, percent: 100 },
      medianWorkingDaysToResolve: 8.5,
      cafcassReferrals: 1,
      goodPracticeAlerts: 2,
    });
    expect(q2).toMatchObject({
      raised: { informal: 1, formal: 1 },
      byCategory: categories({ education: 1, matching: 0 }),
      highestStageReached: { informal: 1 },
      resolved: 1,
      resolvedWithinFormalTarget: { resolvedFormal: 1, count: 0, percent: 0 },
      medianWorkingDaysToResolve: 43,
      cafcassReferrals: 0,
      goodPracticeAlerts: 1,
    });
    expect(stats.totals).toEqual({
      raised: { informal: 4, formal: 3 },
      byCategory: {
        'care-plan': 1,
        'pathway-plan': 0,
        'delegated-authority': 1,
        matching: 2,
        placement: 0,
        'health-assessment': 0,
        education: 1,
        permanence: 0,
        'cp-plan': 0,
        other: 0,
      },
      formalByCategory: categories({ matching: 2, 'care-plan': 1, education: 0 }),
      highestStageReached: { informal: 2, 'stage-1': 2, 'stage-2': 1 },
      resolved: 3,
      resolvedByOutcome: { resolved: 3, 'partly-resolved': 0, withdrawn: 0, unresolved: 0, 'referred-to-cafcass': 0 },
      resolvedWithinFormalTarget: { resolvedFormal: 2, count: 1, percent: 50 },
      medianWorkingDaysToResolve: 15,
      cafcassReferrals: 1,
      goodPracticeAlerts: 3,
    });
  });

  it('formal DRs are counted by category in the quarter they became formal, not the quarter raised', () => {
    const [q1, q2] = disputeStats(disputes, alerts, '2020-04-01', '2020-09-30').quarters;
    // B (care plan) was raised informally on 22 June (Q1) and escalated to stage-2 on 6 July (Q2).
    expect(q1.formalByCategory).toEqual(categories({ matching: 2, 'care-plan': 0 }));
    expect(q2.formalByCategory).toEqual(categories({ 'care-plan': 1, matching: 0 }));
    // Informal counts stay with the quarter raised: B is Q1's.
    expect(q1.raised.informal).toBe(3);
    expect(q2.raised.informal).toBe(1);
  });

  it('the highest stage reached is as at the end of each quarter, not the stage reached later', () => {
    const [q1, q2] = disputeStats(disputes, alerts, '2020-04-01', '2020-09-30').quarters;
    expect(q1.highestStageReached).toEqual({ informal: 2, 'stage-1': 2 });
    expect(q2.highestStageReached).toEqual({ informal: 1 });
  });

  it('resolutions are counted by outcome, including unresolved and referred to Cafcass', () => {
    const ended = (id: string, outcome: StatusChange & { status: 'resolved' }) => ({
      ...dr(id, 'other', [at('informal', '2020-04-06')]),
      statusChanges: [outcome],
    });
    const stats = disputeStats(
      [
        ended('U', { status: 'resolved', on: '2020-04-20', outcome: 'unresolved', note: '' }),
        ended('R', { status: 'resolved', on: '2020-04-21', outcome: 'referred-to-cafcass', note: '' }),
      ],
      [],
      '2020-04-01',
      '2020-06-30',
    );
    expect(stats.totals.resolvedByOutcome).toMatchObject({ unresolved: 1, 'referred-to-cafcass': 1, resolved: 0 });
  });

  it('answers as at the end of the range: later escalations and resolutions do not count', () => {
    const stats = disputeStats(disputes, alerts, '2020-05-01', '2020-06-30');
    expect(stats.quarters).toHaveLength(1);
    // A partial quarter counts only the days inside the range (A was raised in April: not counted).
    expect(stats.quarters[0]).toMatchObject({ quarter: '2020/21 Q1', from: '2020-05-01', to: '2020-06-30' });
    expect(stats.totals).toMatchObject({
      raised: { informal: 2, formal: 1 },
      // B had not yet been escalated on 30 June.
      highestStageReached: { informal: 2, 'stage-1': 1 },
      resolved: 2,
      resolvedWithinFormalTarget: { resolvedFormal: 1, count: 1, percent: 100 },
      goodPracticeAlerts: 1,
    });
  });

  it('rounds the percentage to one decimal and gives null when nothing formal was resolved', () => {
    const late = dr('F', 'other', [at('stage-1', '2020-04-01')], '2020-06-01');
    const s = disputeStats([disputes[0], disputes[0], late], [], '2020-04-01', '2020-06-30');
    expect(s.totals.resolvedWithinFormalTarget).toEqual({ resolvedFormal: 3, count: 2, percent: 66.7 });
    expect(disputeStats([disputes[3]], [], '2020-04-01', '2020-06-30').totals.resolvedWithinFormalTarget).toEqual({
      resolvedFormal: 0,
      count: 0,
      percent: null,
    });
  });

  it('the median of an even count is the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
