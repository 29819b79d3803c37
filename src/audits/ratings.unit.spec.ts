import type { Grade, OverallGrade } from './audits.events';
import {
  agreementOf,
  cohensKappa,
  linearWeightedKappa,
  percent,
  rate,
  summarySentence,
  wholePercent,
  type GradedAudit,
} from './ratings';

describe('grade arithmetic', () => {
  it('percentages have one decimal place and are exact for eighths', () => {
    expect([percent(1, 8), percent(2, 8), percent(5, 8)]).toEqual([12.5, 25, 62.5]);
    expect([percent(1, 3), percent(2, 3), percent(0, 0)]).toEqual([33.3, 66.7, null]);
  });

  it('rates effective grades; not-applicable is left out of the graded percentages', () => {
    const audit = (overall: OverallGrade, planning?: Grade): GradedAudit => ({
      effectiveOverallGrade: overall,
      effectiveDomainGrades: planning ? { planning } : {},
    });
    const ratings = rate(
      [
        audit('good', 'good'),
        audit('requires-improvement', 'not-applicable'),
        audit('requires-improvement', 'inadequate'),
        audit('inadequate'),
        ...Array.from({ length: 4 }, () => audit('inadequate', 'inadequate')),
      ],
      ['voice-of-child', 'planning'],
    );
    expect(ratings.audits).toBe(8);
    expect(ratings.overall).toEqual({
      outstanding: { count: 0, percent: 0 },
      good: { count: 1, percent: 12.5 },
      requiresImprovement: { count: 2, percent: 25 },
      inadequate: { count: 5, percent: 62.5 },
    });
    expect(ratings.goodOrBetterPercent).toBe(12.5);
    // Planning recorded in 7 audits: 1 n/a, 6 graded (1 good, 5 inadequate). Voice of child never recorded.
    expect(ratings.domains).toEqual({
      planning: {
        outstanding: { count: 0, percent: 0 },
        good: { count: 1, percent: 16.7 },
        requiresImprovement: { count: 0, percent: 0 },
        inadequate: { count: 5, percent: 83.3 },
        notApplicable: { count: 1, percent: 14.3 },
      },
    });
  });

  it('no audits: counts of zero and no percentages', () => {
    const ratings = rate([]);
    expect(ratings.overall.good).toEqual({ count: 0, percent: null });
    expect(ratings.goodOrBetterPercent).toBeNull();
  });

  it('the summary sentence names the grades that occurred, best first', () => {
    expect(summarySentence({ outstanding: 0, good: 1, 'requires-improvement': 2, inadequate: 5 })).toBe(
      '8 cases audited: 1 good, 2 requires improvement, 5 inadequate',
    );
    expect(summarySentence({ outstanding: 1, good: 0, 'requires-improvement': 0, inadequate: 0 })).toBe(
      '1 case audited: 1 outstanding',
    );
    expect(summarySentence({ outstanding: 0, good: 0, 'requires-improvement': 0, inadequate: 0 })).toBe('No cases audited yet');
  });
});

describe("Cohen's kappa", () => {
  const times = (n: number, pair: [OverallGrade, OverallGrade]): [OverallGrade, OverallGrade][] => Array(n).fill(pair);

  it('matches a hand-computed example', () => {
    // 10 audits. po = 7/10. Auditor: good 6, RI 3, inadequate 1; moderator: good 4, RI 4, inadequate 2.
    // pe = .6*.4 + .3*.4 + .1*.2 = .38; kappa = (.7 - .38) / (1 - .38) = .32 / .62 = 0.516.
    const result = cohensKappa([
      ...times(4, ['good', 'good']),
      ...times(2, ['requires-improvement', 'requires-improvement']),
      ...times(2, ['good', 'requires-improvement']),
      ...times(1, ['inadequate', 'inadequate']),
      ...times(1, ['requires-improvement', 'inadequate']),
    ]);
    expect(result).toEqual({ kappa: 0.516, weightedKappa: 0.615, observedAgreement: 0.7, expectedAgreement: 0.38, reason: null });
  });

  it('linear weighted kappa counts a near miss (good against requires improvement) as partial agreement', () => {
    // Same 10 audits, weights 1 - |i - j| / 3: the 3 disagreements are one grade apart (weight 2/3).
    // po_w = (7 + 3 * 2/3) / 10 = 0.9; pe_w = sum of auditor share x moderator share x weight = 0.74;
    // kappa_w = (0.9 - 0.74) / (1 - 0.74) = 0.16 / 0.26 = 0.615, above the unweighted 0.516.
    const nearMisses = [
      ...times(4, ['good', 'good']),
      ...times(2, ['requires-improvement', 'requires-improvement']),
      ...times(2, ['good', 'requires-improvement']),
      ...times(1, ['inadequate', 'inadequate']),
      ...times(1, ['requires-improvement', 'inadequate']),
    ];
    expect(linearWeightedKappa(nearMisses)).toBe(0.615);
    // Outstanding against inadequate is the worst miss: weighted kappa is then lower, not higher.
    const farMisses = [...times(3, ['outstanding', 'outstanding']), ...times(3, ['inadequate', 'inadequate'])];
    expect(linearWeightedKappa([...farMisses, ['outstanding', 'inadequate']])).toBeLessThan(
      linearWeightedKappa([...farMisses, ['outstanding', 'good']])!,
    );
  });

  it('agreement percentages are whole numbers, rounded half up, as councils publish them', () => {
    expect([wholePercent(2, 3), wholePercent(1, 3), wholePercent(1, 8), wholePercent(3, 16), wholePercent(0, 0)]).toEqual([
      67,
      33,
      13,
      19,
      null,
    ]);
  });

  it('perfect agreement across grades is 1; systematic disagreement is negative', () => {
    expect(cohensKappa([...times(3, ['good', 'good']), ...times(3, ['inadequate', 'inadequate'])]).kappa).toBe(1);
    expect(cohensKappa([...times(3, ['good', 'inadequate']), ...times(3, ['inadequate', 'good'])]).kappa).toBe(-1);
  });

  it('is not given for fewer than 5 moderated audits', () => {
    const result = cohensKappa(times(4, ['good', 'good']));
    expect(result).toMatchObject({ kappa: null, observedAgreement: 1, reason: expect.stringMatching(/at least 5.*are 4/) });
  });

  it('is undefined when everyone gave the same single grade', () => {
    expect(cohensKappa(times(6, ['good', 'good']))).toMatchObject({ kappa: null, reason: expect.stringMatching(/undefined/) });
  });
});

describe('moderation agreement', () => {
  it('agreement rate counts agreement from the grades, not the "agreed" flag', () => {
    // A stored moderation from before the flag was checked: "agreed" beside a different grade.
    const result = agreementOf([
      { auditorOverallGrade: 'good', overallGrade: 'requires-improvement', agreed: true },
      { auditorOverallGrade: 'good', overallGrade: 'good', agreed: true },
      { auditorOverallGrade: 'inadequate', overallGrade: 'inadequate', agreed: false },
    ]);
    expect(result).toMatchObject({ moderated: 3, agreed: 2, agreementRate: 67, gradeMatchRate: 67 });
  });
});
