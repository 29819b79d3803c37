/**
 * Small-number suppression for reports that leave the council (audience "external"), the way
 * published children's statistics do it. Pure: a grid of counts in, what may be shown out.
 *
 * Rules (each has a unit test named after it in suppression.spec.ts):
 * 1. Primary: a count from 1 to threshold-1 is shown as "fewer than <threshold>"; 0 is shown.
 * 2. Secondary: in every line that adds up (a row with its row total, a column with its column
 *    total), a hidden entry must never be the only hidden one, and when the total is shown at least
 *    one hidden entry must be a count of threshold or more (so the hidden entries' sum cannot pin
 *    down a small one). The smallest such count is hidden next, else the smallest other cell, else
 *    the total; repeated until every line passes.
 * 3. A percentage whose denominator (or numerator) is under the threshold is not shown.
 * 4. A median of fewer than threshold values is not shown.
 */

export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

export type Visibility = 'shown' | 'small' | 'secondary';

export interface CountGrid {
  /** rows x columns of counts (the totals included, when flagged below). */
  values: number[][];
  /** The last value of every row is the sum of the others. */
  rowTotals: boolean;
  /** The last row is the sum of the others. */
  columnTotals: boolean;
}

export const smallText = (threshold: number): string => `fewer than ${threshold}`;
export const SECONDARY_TEXT = 'suppressed';

const isSmall = (value: number, threshold: number): boolean => value > 0 && value < threshold;

/** Rule 1 and rule 2: which cells of a grid may be shown. */
export function suppressCounts(grid: CountGrid, threshold = DEFAULT_SUPPRESSION_THRESHOLD): Visibility[][] {
  const { values } = grid;
  const mask: Visibility[][] = values.map((row) => row.map((v) => (isSmall(v, threshold) ? 'small' : 'shown')));
  if (!values.length) return mask;
  const width = values[0].length;
  // Each line: its cells' coordinates, the last one being the total.
  const lines: [number, number][][] = [];
  if (grid.rowTotals && width > 1) for (let r = 0; r < values.length; r++) lines.push(values[r].map((_, c) => [r, c]));
  if (grid.columnTotals && values.length > 1) for (let c = 0; c < width; c++) lines.push(values.map((_, r) => [r, c]));

  const hidden = ([r, c]: [number, number]): boolean => mask[r][c] !== 'shown';
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const cells = line.slice(0, -1);
      const total = line[line.length - 1];
      const hiddenCells = cells.filter(hidden);
      const hiddenCount = hiddenCells.length + (hidden(total) ? 1 : 0);
      if (hiddenCount === 0) continue;
      const needsLarge = !hidden(total) && !hiddenCells.some(([r, c]) => values[r][c] >= threshold);
      if (hiddenCount >= 2 && !needsLarge) continue;
      const shown = cells.filter((cell) => !hidden(cell));
      const bySize = (a: [number, number], b: [number, number]): number => values[a[0]][a[1]] - values[b[0]][b[1]];
      const large = shown.filter(([r, c]) => values[r][c] >= threshold).sort(bySize);
      const next = large[0] ?? (needsLarge ? undefined : shown.sort(bySize)[0]) ?? (hidden(total) ? undefined : total);
      if (!next) continue; // nothing left to hide in this line
      mask[next[0]][next[1]] = 'secondary';
      changed = true;
    }
  }
  return mask;
}

/** Rule 3: a percentage, or null when its numerator or denominator is under the threshold (0 of 5 or more is shown). */
export function safePercent(
  percent: number | null,
  numerator: number,
  denominator: number,
  threshold = DEFAULT_SUPPRESSION_THRESHOLD,
): number | null {
  if (percent === null || denominator < threshold || isSmall(numerator, threshold)) return null;
  return percent;
}

/** Rule 4: a median of fewer than threshold values is not shown. */
export const safeMedian = (median: number | null, n: number, threshold = DEFAULT_SUPPRESSION_THRESHOLD): number | null =>
  median === null || n < threshold ? null : median;
