import { count, forAudience, med, pct, suppressTable, text, type BoardReport, type ReportTable } from './board-report.model';

const table: ReportTable = {
  id: 't',
  title: 'T',
  columns: ['Team', 'A', 'B', 'C', 'D', 'Total'],
  rows: [[text('MASH'), count(0), count(3), count(4), count(7), count(14)]],
  sums: { rowTotals: true, columnTotals: false },
  empty: '',
};
const shown = (t: ReportTable): string[][] =>
  t.rows.map((r) => r.map((c) => (c.kind === 'text' ? c.text : c.kind === 'count' ? String(c.value) : String(c.value))));

describe('the report for its audience', () => {
  it('the external table of 0, 3, 4, 7 and a total hides 3, 4 and 7; the internal one shows them', () => {
    expect(shown(suppressTable(table, 5))).toEqual([['MASH', '0', 'fewer than 5', 'fewer than 5', 'suppressed', '14']]);
    const report = {
      audience: 'internal',
      sections: [{ id: 's', title: 'S', paragraphs: [], tables: [table] }],
    } as unknown as BoardReport;
    const internal = forAudience(report);
    expect(shown(internal.sections[0].tables[0])).toEqual([['MASH', '0', '3', '4', '7', '14']]);
    expect(internal.marking).toBe('Official – sensitive');
    const external = forAudience({ ...report, audience: 'external' });
    expect(external.marking).toBeNull();
    expect(shown(external.sections[0].tables[0])[0][2]).toBe('fewer than 5');
  });

  it('no percentage in a row with a hidden count, nor with a denominator under 5; no median of fewer than 5', () => {
    const t: ReportTable = {
      id: 'p',
      title: 'P',
      columns: ['Team', 'Audits', 'Good', '%', 'Median'],
      rows: [
        [text('A'), count(10), count(3), pct(30, 3, 10), med(9, 3)],
        [text('B'), count(10), count(6), pct(60, 6, 10), med(9, 10)],
      ],
      empty: '',
    };
    expect(shown(suppressTable(t, 5))).toEqual([
      ['A', '10', 'fewer than 5', 'suppressed', 'suppressed'],
      ['B', '10', '6', '60', '9'],
    ]);
  });
});
