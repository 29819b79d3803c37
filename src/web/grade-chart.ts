import type { Ratings } from '../audits';

/** The four overall grades, best first, as the chart and its table show them. */
export const CHART_GRADES = [
  { key: 'outstanding', label: 'Outstanding', css: 'ct-grade-outstanding' },
  { key: 'good', label: 'Good', css: 'ct-grade-good' },
  { key: 'requiresImprovement', label: 'Requires improvement', css: 'ct-grade-requires-improvement' },
  { key: 'inadequate', label: 'Inadequate', css: 'ct-grade-inadequate' },
] as const;

export interface ChartRow {
  label: string;
  audits: number;
  goodOrBetterPercent: number | null;
  counts: number[];
  /** Bar segments in chart units (the bar is 100 wide, so widths are percentages of the row's audits). */
  segments: { x: number; width: number; css: string; label: string; count: number }[];
  y: number;
}

export const BAR_HEIGHT = 24;
const ROW_GAP = 12;

/** Stacked bars, one per team (and one for all teams), each as wide as 100% of its submitted audits. */
export function gradeChart(rows: { label: string; ratings: Ratings }[]): { rows: ChartRow[]; height: number } {
  const chartRows = rows.map(({ label, ratings }, index) => {
    const counts = CHART_GRADES.map((g) => ratings.overall[g.key].count);
    const total = counts.reduce((a, b) => a + b, 0);
    let x = 0;
    const segments = CHART_GRADES.flatMap((g, i) => {
      if (!total || !counts[i]) return [];
      const width = (counts[i] / total) * 100;
      const segment = { x, width, css: g.css, label: g.label, count: counts[i] };
      x += width;
      return [segment];
    });
    return {
      label,
      audits: ratings.audits,
      goodOrBetterPercent: ratings.goodOrBetterPercent,
      counts,
      segments,
      y: index * (BAR_HEIGHT + ROW_GAP),
    };
  });
  return { rows: chartRows, height: Math.max(1, chartRows.length) * (BAR_HEIGHT + ROW_GAP) };
}
