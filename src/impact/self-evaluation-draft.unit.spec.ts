import { draftWords } from './self-evaluation-draft';

describe('the self-evaluation draft says its counts in words', () => {
  it('one case audited, not "1 cases"; several in the plural', () => {
    expect(draftWords.programmeAudited('thematic', 'Neglect', 1, '2026/27 Q2')).toBe(
      'The thematic audit programme "Neglect": 1 case audited in 2026/27 Q2.',
    );
    expect(draftWords.programmeAudited('thematic', 'Neglect', 16, '2026/27 Q2')).toBe(
      'The thematic audit programme "Neglect": 16 cases audited in 2026/27 Q2.',
    );
    expect(draftWords.auditsCompleted(1, '2026/27 Q2')).toBe('1 case audit was completed in 2026/27 Q2');
    expect(draftWords.auditsCompleted(2, '2026/27 Q2')).toBe('2 case audits were completed in 2026/27 Q2');
    expect(draftWords.casesInBoth(1, 1, 0)).toBe('of the 1 case audited in both, 1 improved and 0 declined');
  });

  it('0 of 1 action, not "0 of 1 actions"', () => {
    expect(draftWords.planProgress('SIP', 0, 1, '2026-09-30')).toBe(
      'The improvement plan "SIP": 0 of 1 action for the service\'s teams completed by 30 September 2026.',
    );
    expect(draftWords.planProgress('SIP', 2, 3, '2026-09-30')).toBe(
      'The improvement plan "SIP": 2 of 3 actions for the service\'s teams completed by 30 September 2026.',
    );
  });

  it('one dispute resolution was resolved, one formal one within the target', () => {
    expect(draftWords.disputes({ formal: 1, informal: 0 }, 1, { count: 1, resolvedFormal: 1 }, '2026/27 Q2')).toBe(
      "1 formal and 0 informal dispute resolutions were raised about children of the service's teams in 2026/27 Q2; " +
        '1 was resolved, 1 of 1 formal one within the target (100%).',
    );
    expect(draftWords.disputes({ formal: 2, informal: 1 }, 3, { count: 1, resolvedFormal: 2 }, '2026/27 Q2')).toBe(
      "2 formal and 1 informal dispute resolutions were raised about children of the service's teams in 2026/27 Q2; " +
        '3 were resolved, 1 of 2 formal ones within the target (50%).',
    );
    expect(draftWords.disputes({ formal: 0, informal: 0 }, 0, { count: 0, resolvedFormal: 0 }, '2026/27 Q2')).toMatch(
      /; 0 were resolved\.$/,
    );
  });

  it('an indicator in days says one day', () => {
    expect(draftWords.measure(1, 'days')).toBe('1 day');
    expect(draftWords.measure(12, 'days')).toBe('12 days');
    expect(draftWords.measure(75, 'percent')).toBe('75%');
    expect(draftWords.measure(31.5, 'rate-per-10k')).toBe('31.5 per 10,000');
  });
});
