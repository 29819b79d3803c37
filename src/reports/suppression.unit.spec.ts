import { safeMedian, safePercent, suppressCounts, type Visibility } from './suppression';

/** What an outsider sees of a grid: the value, "<5" or "x". */
const seen = (values: number[][], mask: Visibility[][]): string[][] =>
  values.map((row, r) => row.map((v, c) => (mask[r][c] === 'shown' ? String(v) : mask[r][c] === 'small' ? '<5' : 'x')));

describe('small-number suppression', () => {
  it('a count from 1 to 4 is shown as fewer than 5, and 0 and 5 or more are shown', () => {
    const values = [[0, 1, 4, 5, 9]];
    expect(seen(values, suppressCounts({ values, rowTotals: false, columnTotals: false }))).toEqual([
      ['0', '<5', '<5', '5', '9'],
    ]);
  });

  it('the threshold is configurable', () => {
    const values = [[0, 3, 9, 10]];
    expect(seen(values, suppressCounts({ values, rowTotals: false, columnTotals: false }, 10))).toEqual([
      ['0', '<5', '<5', '10'],
    ]);
  });

  it('cells of 0, 3, 4, 7 and a total: 3 and 4 are hidden, and 7 too so that neither can be worked out from the total', () => {
    const values = [[0, 3, 4, 7, 14]];
    const mask = suppressCounts({ values, rowTotals: true, columnTotals: false });
    expect(seen(values, mask)).toEqual([['0', '<5', '<5', 'x', '14']]);
    // Whatever the outsider tries: 3 and 4 are not the only values consistent with what is shown.
    const consistent: number[][] = [];
    for (let a = 1; a <= 4; a++)
      for (let b = 1; b <= 4; b++) for (let c = 5; c <= 14; c++) if (a + b + c === 14) consistent.push([a, b, c]);
    expect(new Set(consistent.map(([a]) => a)).size).toBeGreaterThan(1);
    expect(new Set(consistent.map(([, b]) => b)).size).toBeGreaterThan(1);
  });

  it('the same cells in an internal report are all shown (no suppression without the external audience)', () => {
    // The builder only calls suppressCounts for the external audience; this pins the primary rule's scope.
    const values = [[0, 3, 4, 7, 14]];
    expect(suppressCounts({ values, rowTotals: true, columnTotals: false }, 1).flat()).toEqual([
      'shown',
      'shown',
      'shown',
      'shown',
      'shown',
    ]);
  });

  it('a single small cell in a line with a total is never the only hidden one', () => {
    const values = [[2, 10, 20, 32]];
    expect(seen(values, suppressCounts({ values, rowTotals: true, columnTotals: false }))).toEqual([['<5', 'x', '20', '32']]);
  });

  it('secondary suppression reaches the columns too, until every line with a total is safe', () => {
    const values = [
      [2, 10, 12],
      [8, 9, 17],
      [10, 19, 29],
    ];
    const mask = suppressCounts({ values, rowTotals: true, columnTotals: true });
    for (const line of [
      ...values.map((row, r) => row.map((_, c) => mask[r][c])),
      ...[0, 1, 2].map((c) => values.map((_, r) => mask[r][c])),
    ]) {
      const hidden = line.filter((v) => v !== 'shown').length;
      expect(hidden === 0 || hidden >= 2).toBe(true);
    }
    expect(mask[0][0]).toBe('small');
  });

  it('a line with no count of 5 or more to hide hides its total, so the small cells cannot be recovered from it', () => {
    const values = [[0, 3, 4, 7]];
    expect(seen(values, suppressCounts({ values, rowTotals: true, columnTotals: false }))).toEqual([['0', '<5', '<5', 'x']]);
  });

  it('a small total is hidden like any small count', () => {
    const values = [[0, 1, 1]];
    expect(seen(values, suppressCounts({ values, rowTotals: true, columnTotals: false }))).toEqual([['0', '<5', '<5']]);
  });

  it('no percentage with a denominator under 5, nor of a count under 5', () => {
    expect(safePercent(75, 3, 4)).toBeNull();
    expect(safePercent(40, 2, 5)).toBeNull();
    expect(safePercent(0, 0, 5)).toBe(0);
    expect(safePercent(60, 6, 10)).toBe(60);
  });

  it('no median of fewer than 5 values', () => {
    expect(safeMedian(12, 4)).toBeNull();
    expect(safeMedian(12, 5)).toBe(12);
  });
});
