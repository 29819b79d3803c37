/** Template downloads: the heading row of each import (and one example row), as CSV and as XLSX. */
import { auditTemplateHeadings, type FrameworkDomainHeading } from './audit-rows';
import { INDICATOR_COLUMNS } from './indicator-rows';
import { USER_COLUMNS } from './user-rows';

export interface Template {
  headings: string[];
  example: string[];
}

export function auditTemplate(domains: FrameworkDomainHeading[]): Template {
  const headings = auditTemplateHeadings(domains);
  const example: Record<string, string> = {
    'Case reference': 'CASE-40213',
    Team: 'cin-north',
    'Audit date': '09/04/2020',
    Auditor: 'Quinn Auditor',
    'Overall grade': 'Requires improvement',
    'Overall grade reason': '',
    Strengths: 'Child seen alone on each visit',
    'Areas for development': 'Chronology not up to date',
    Programme: '',
  };
  return { headings, example: headings.map((h, i) => example[h] ?? (i % 3 === 0 ? 'Good' : i % 3 === 1 ? 'RI' : '')) };
}

/** Indicator values: a council-wide figure with its ratio, as the scorecard's example. */
export const indicatorTemplate = (): Template => ({
  headings: INDICATOR_COLUMNS.map((c) => c.heading),
  example: ['contacts-24h', '', '2020-06', '68.1', '1318', '1935', 'From the case system extract'],
});

/** Staff: name, role, teams (several separated by semicolons). Never a password. */
export const userTemplate = (): Template => ({
  headings: USER_COLUMNS.map((c) => c.heading),
  example: ['Quinn Auditor', 'QA officer', 'cin-north; cp-east'],
});

const csvCell = (s: string): string => (/[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** UTF-8 with a BOM, so Excel opens it with the right characters. */
export const templateCsv = (t: Template): string =>
  `\uFEFF${[t.headings, t.example].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;

/**
 * Built once per content: the zip inside an .xlsx stamps each file with the time it was written, so a
 * template built afresh for every download would differ byte for byte from the last one (and from
 * what the same request answered as at an earlier time) with nothing in it changed.
 */
const builtTemplates = new Map<string, Promise<Buffer>>();

export function templateXlsx(t: Template, sheetName: string): Promise<Buffer> {
  const key = JSON.stringify([t, sheetName]);
  let built = builtTemplates.get(key);
  if (!built) {
    built = buildXlsx(t, sheetName);
    builtTemplates.set(key, built);
  }
  return built;
}

async function buildXlsx(t: Template, sheetName: string): Promise<Buffer> {
  // Loaded on the first download, not at start-up (about 8 MB of heap most servers never need).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(t.headings).font = { bold: true };
  sheet.addRow(t.example);
  sheet.columns.forEach((c) => (c.width = 22));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
