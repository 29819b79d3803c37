/** Historic audit files for the import tests and the benchmark: the same rows as CSV or XLSX. */
import ExcelJS from 'exceljs';

const WRITTEN = ['Outstanding', 'Good', 'requires improvement to be good', 'Inadequate'];
const SHORT = ['Outstanding', 'Good', 'RI', 'Inadequate'];
export const TEAMS = ['cin-north', 'cp-east'];

export const AUDIT_HEADINGS = [
  'Case reference',
  'Team',
  'Audit date',
  'Auditor',
  'Voice of the child',
  'management-oversight',
  'Planning',
  'Overall grade',
  'Strengths',
  'Areas for development',
];

/** Row i (0-based): overall grade i % 4, two domains graded, planning left blank (not audited). */
export function auditRows(count: number, startDay = Date.UTC(2020, 3, 1)): (string | Date)[][] {
  return Array.from({ length: count }, (_, i) => {
    const grade = i % 4;
    const day = new Date(startDay + i * 86_400_000);
    return [
      `CASE-${1000 + i}`,
      TEAMS[i % TEAMS.length],
      day,
      'Quinn Auditor',
      WRITTEN[grade],
      SHORT[grade],
      '',
      SHORT[grade],
      i % 2 ? 'Child seen alone\nClear plan' : '',
      grade >= 2 ? 'Chronology not up to date' : '',
    ];
  });
}

const ukDay = (d: Date): string =>
  `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
const csvCell = (value: string | Date): string => {
  const s = value instanceof Date ? ukDay(value) : value;
  return /[",;\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** As Excel saves "CSV UTF-8": a BOM, CRLF line ends, UK dates. */
export const auditCsv = (rows: (string | Date)[][], headings = AUDIT_HEADINGS, delimiter = ','): string =>
  `\uFEFF${[headings, ...rows].map((r) => r.map(csvCell).join(delimiter)).join('\r\n')}\r\n`;

/** The same rows as a workbook, with real date cells. */
export async function auditXlsx(rows: (string | Date)[][], headings = AUDIT_HEADINGS): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Audits');
  sheet.addRow(headings);
  for (const row of rows) sheet.addRow(row);
  sheet.getColumn(3).numFmt = 'dd/mm/yyyy';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A table as Excel saves "CSV UTF-8" (BOM, CRLF), any headings. */
export const tableCsv = (headings: string[], rows: (string | number)[][], delimiter = ','): string =>
  auditCsv(
    rows.map((r) => r.map(String)),
    headings,
    delimiter,
  );

/** The same table as a workbook. */
export async function tableXlsx(headings: string[], rows: (string | number | Date)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(headings);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const INDICATOR_HEADINGS = ['Indicator', 'Team', 'Period', 'Value', 'Numerator', 'Denominator'];

/** Monthly values of contacts-24h for 2020-04 on: council-wide (team blank) and per team, alternately. */
export const indicatorRows = (count: number): (string | number)[][] =>
  Array.from({ length: count }, (_, i) => {
    const month = 4 + Math.floor(i / 3);
    const period = `${2020 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}`;
    const denominator = 200 + i;
    const numerator = 150 + i;
    return [
      'contacts-24h',
      ['', ...TEAMS][i % 3],
      period,
      Math.round((numerator / denominator) * 1000) / 10,
      numerator,
      denominator,
    ];
  });
