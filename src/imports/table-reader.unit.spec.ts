import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { auditColumns, parseAuditRow } from './audit-rows';
import { describe as describeError, mapHeadings } from './headings';
import { detectDelimiter, readTable, UnreadableFileError, type TableRow } from './table-reader';

const rowsOf = async (input: Buffer | string, format: 'csv' | 'xlsx'): Promise<TableRow[]> => {
  const rows: TableRow[] = [];
  for await (const row of readTable(Readable.from([Buffer.from(input)]), format)) rows.push(row);
  return rows;
};

const DOMAINS = [
  { key: 'voice-of-child', title: 'Voice of the child' },
  { key: 'management-oversight', title: 'Management oversight' },
];

describe('reading CSV', () => {
  it('a comma-separated file with a BOM gives its rows with spreadsheet row numbers', async () => {
    const rows = await rowsOf('\uFEFFCase reference,Team\nCASE-1,cin-north\n\nCASE-2,"cp-east"\n', 'csv');
    expect(rows).toEqual([
      { row: 1, cells: ['Case reference', 'Team'] },
      { row: 2, cells: ['CASE-1', 'cin-north'] },
      { row: 4, cells: ['CASE-2', 'cp-east'] },
    ]);
  });

  it('a semicolon-separated file (as Excel writes it in some locales) is detected', async () => {
    const rows = await rowsOf('Case reference;Team;Strengths\r\nCASE-1;cin-north;"Seen, alone"\r\n', 'csv');
    expect(rows[1].cells).toEqual(['CASE-1', 'cin-north', 'Seen, alone']);
  });

  it('the delimiter is whichever appears more outside quotes', () => {
    expect(detectDelimiter('a;b;"c,d,e"')).toBe(';');
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('only')).toBe(',');
  });

  it('a file cut off inside a quote is unreadable, not half read', async () => {
    await expect(rowsOf('Case reference,Team\nCASE-1,"cin-north\n', 'csv')).rejects.toBeInstanceOf(UnreadableFileError);
  });
});

describe('reading XLSX', () => {
  it('a worksheet gives text, numbers and date cells with its row numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Audits');
    sheet.addRow(['Case reference', 'Audit date', 'Score']);
    sheet.addRow(['CASE-1', new Date(Date.UTC(2020, 3, 9)), 3]);
    sheet.addRow([]);
    sheet.addRow([{ richText: [{ text: 'CASE-' }, { text: '2' }] }, '09/04/2020', { formula: '1+1', result: 2 }]);
    const rows = await rowsOf(Buffer.from(await workbook.xlsx.writeBuffer()), 'xlsx');
    expect(rows).toEqual([
      { row: 1, cells: ['Case reference', 'Audit date', 'Score'] },
      { row: 2, cells: ['CASE-1', new Date(Date.UTC(2020, 3, 9)), 3] },
      { row: 4, cells: ['CASE-2', '09/04/2020', 2] },
    ]);
  });

  it('a file that is not a workbook is unreadable', async () => {
    await expect(rowsOf('Case reference,Team\n', 'xlsx')).rejects.toBeInstanceOf(UnreadableFileError);
  });
});

describe('audit headings and rows', () => {
  const columns = auditColumns(DOMAINS);
  const headings = ['Case Reference', 'team', 'Audit date', 'voice-of-child', 'Management Oversight', 'Overall grade'];

  it('a domain column is found by its key or its name, whatever the case', () => {
    const map = mapHeadings(headings, columns);
    expect(map.errors).toEqual([]);
    expect(map.index.get('domain:voice-of-child')).toBe(3);
    expect(map.index.get('domain:management-oversight')).toBe(4);
  });

  it('an unknown column, a repeated column and a missing required column are reported on row 1', () => {
    const map = mapHeadings(['Case reference', 'Child name', 'Voice of the child', 'voice-of-child', 'Overall grade'], columns);
    expect(map.errors.map((e) => e.column)).toEqual(['Child name', 'voice-of-child', 'Team', 'Audit date']);
  });

  it('a good row becomes an audit; blank domains are not audited', () => {
    const map = mapHeadings(headings, columns);
    const parsed = parseAuditRow(map, 2, ['CASE-1', 'cin-north', '09/04/2020', 'RI', '', 'Requires improvement'], DOMAINS);
    expect(parsed.value).toMatchObject({
      caseRef: 'CASE-1',
      teamId: 'cin-north',
      auditedOn: '2020-04-09',
      submittedOn: '2020-04-09',
      grades: { 'voice-of-child': 'requires-improvement' },
      overallGrade: 'requires-improvement',
    });
  });

  it('a bad grade is reported with its row, the heading as written, and what to write instead', () => {
    const map = mapHeadings(headings, columns);
    const parsed = parseAuditRow(map, 14, ['CASE-1', 'cin-north', '2020-04-09', 'Good', 'Gud', 'Good'], DOMAINS);
    expect(parsed.errors.map(describeError)).toEqual([
      "Row 14, Management Oversight: 'Gud' is not a grade; use Outstanding, Good, Requires improvement or Inadequate (or N/A where the domain does not apply)",
    ]);
  });

  it('every problem of a row is reported, not only the first', () => {
    const map = mapHeadings(headings, columns);
    const parsed = parseAuditRow(map, 3, ['', 'cin-north', 'yesterday', 'Good', '', ''], DOMAINS);
    expect(parsed.errors.map((e) => e.column)).toEqual(['Case Reference', 'Audit date', 'Overall grade']);
  });
});
