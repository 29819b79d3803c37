import { changeOf, changeText, countsText, distributionOf, goodOrBetterText, percent2 } from './impact-figures';
import type { Grade } from '../audits';

const many = (n: number, grade: Grade): Grade[] => Array<Grade>(n).fill(grade);

describe('impact figures', () => {
  it('a neglect deep dive of 16 cases, 3 good, 10 RI, 3 inadequate, is 18.75% good (not rounded to a whole percent)', () => {
    const d = distributionOf([...many(3, 'good'), ...many(10, 'requires-improvement'), ...many(3, 'inadequate')]);
    expect(d.graded).toBe(16);
    expect(d.good).toEqual({ count: 3, percent: 18.75 });
    expect(d.requiresImprovement).toEqual({ count: 10, percent: 62.5 });
    expect(d.inadequate).toEqual({ count: 3, percent: 18.75 });
    expect(goodOrBetterText(d)).toBe('3 of 16 good or better (18.75%)');
    expect(countsText(d)).toBe('3 good, 10 requires improvement, 3 inadequate');
  });

  it('not applicable is counted apart and left out of the percentages', () => {
    const d = distributionOf(['good', 'not-applicable', 'inadequate']);
    expect(d).toMatchObject({ graded: 2, notApplicable: 1, good: { count: 1, percent: 50 } });
  });

  it('no graded cases: no percentage (null), not 0%', () => {
    expect(distributionOf([]).good).toEqual({ count: 0, percent: null });
    expect(percent2(1, 3)).toBe(33.33);
    expect(percent2(2, 3)).toBe(66.67);
  });

  it('a change of grade in words, and whether it is better or worse', () => {
    expect(changeText('Management oversight', 'inadequate', 'good')).toBe('Management oversight: inadequate → good');
    expect(changeOf('inadequate', 'good')).toBe('improved');
    expect(changeOf('good', 'requires-improvement')).toBe('declined');
    expect(changeOf('good', 'good')).toBe('unchanged');
    expect(changeOf(null, 'good')).toBe('not comparable');
    expect(changeOf('not-applicable', 'good')).toBe('not comparable');
  });
});
