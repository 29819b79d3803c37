/**
 * The board report in its three formats, from one document (board-report.model.ts): HTML with a
 * print stylesheet (A4, a page per section), Word (.docx, built with the `docx` package) and CSV
 * per table. Deterministic: the same report gives the same bytes of HTML and the same document text.
 */
import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { cellText, footerText, type BoardReport, type ReportTable } from './board-report.model';

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const PRINT_CSS = `
@page { size: A4; margin: 15mm 12mm 18mm 12mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #0b0c0c; margin: 0 auto; max-width: 186mm; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 6mm 0 3mm; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; }
.marking { font-weight: bold; text-transform: uppercase; letter-spacing: 0.05em; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 4mm; font-size: 9pt; }
th, td { border: 1px solid #b1b4b6; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #f3f2f1; }
td.n { text-align: right; }
tr { break-inside: avoid; }
footer { margin-top: 8mm; font-size: 8pt; color: #505a5f; overflow-wrap: anywhere; }
@media print {
  section + section { break-before: page; page-break-before: always; }
  footer { break-inside: avoid; }
  body { max-width: none; }
}
`;

const numeric = (t: ReportTable, i: number): boolean => t.rows.some((r) => r[i]?.kind !== 'text') && i > 0;

function htmlTable(t: ReportTable): string {
  if (!t.rows.length) return `<h3>${escapeHtml(t.title)}</h3>\n<p>${escapeHtml(t.empty)}</p>`;
  const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric(t, i) ? ' class="n"' : ''}>${escapeHtml(cellText(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<h3>${escapeHtml(t.title)}</h3>\n<table data-table="${escapeHtml(t.id)}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** The report's body (no <html> shell): the web page embeds it, the HTML format wraps it. */
export function reportBodyHtml(report: BoardReport): string {
  const marking = report.marking ? `<p class="marking">${escapeHtml(report.marking)}</p>\n` : '';
  const sections = report.sections
    .map(
      (s) =>
        `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.paragraphs
          .map((p) => `<p>${escapeHtml(p)}</p>`)
          .join('\n')}\n${s.tables.map(htmlTable).join('\n')}\n</section>`,
    )
    .join('\n');
  const suppression = report.suppressionThreshold
    ? `<p>Published version: counts from 1 to ${report.suppressionThreshold - 1} are shown as "fewer than ${report.suppressionThreshold}", ` +
      'further cells are suppressed so that none can be worked out from totals, and no percentage or median of fewer than ' +
      `${report.suppressionThreshold} is shown.</p>\n`
    : '';
  return (
    `<header>\n${marking}<h1>${escapeHtml(report.title)}</h1>\n<p>${escapeHtml(report.from)} to ${escapeHtml(report.to)}; ` +
    `figures for ${escapeHtml(report.on)}.</p>\n${suppression}</header>\n${sections}\n<footer>${escapeHtml(footerText(report))}</footer>`
  );
}

export function renderHtml(report: BoardReport): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.title)}</title>
<style>${PRINT_CSS}</style>
</head>
<body>
${reportBodyHtml(report)}
</body>
</html>
`;
}

/** One table as CSV (RFC 4180: quoted where needed, CRLF line ends). */
export function renderCsv(table: ReportTable): string {
  const field = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [table.columns.map(field).join(','), ...table.rows.map((r) => r.map((c) => field(cellText(c))).join(','))];
  return lines.join('\r\n') + '\r\n';
}

/** Every table of the report, by id. */
export const reportTables = (report: BoardReport): ReportTable[] => report.sections.flatMap((s) => s.tables);

function docxTable(t: ReportTable): (Paragraph | Table)[] {
  const title = new Paragraph({ text: t.title, heading: HeadingLevel.HEADING_3 });
  if (!t.rows.length) return [title, new Paragraph(t.empty)];
  const row = (cells: string[], header: boolean): TableRow =>
    new TableRow({
      tableHeader: header,
      cantSplit: true,
      children: cells.map(
        (value, i) =>
          new TableCell({
            children: [
              new Paragraph({
                alignment: !header && numeric(t, i) ? AlignmentType.RIGHT : AlignmentType.LEFT,
                children: [new TextRun({ text: value, bold: header, size: 18 })],
              }),
            ],
          }),
      ),
    });
  return [
    title,
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [row(t.columns, true), ...t.rows.map((r) => row(r.map(cellText), false))],
    }),
  ];
}

export async function renderDocx(report: BoardReport): Promise<Buffer> {
  const marking = report.marking ? [new Paragraph({ children: [new TextRun({ text: report.marking, bold: true })] })] : [];
  const children: (Paragraph | Table)[] = [
    ...marking,
    new Paragraph({ text: report.title, heading: HeadingLevel.TITLE }),
    new Paragraph(`${report.from} to ${report.to}; figures for ${report.on}.`),
  ];
  report.sections.forEach((s, index) => {
    if (index > 0) children.push(new Paragraph({ children: [new PageBreak()] }));
    children.push(new Paragraph({ text: s.title, heading: HeadingLevel.HEADING_1 }));
    for (const p of s.paragraphs) children.push(new Paragraph(p));
    for (const t of s.tables) children.push(...docxTable(t));
  });
  const doc = new Document({
    creator: 'Casetrail',
    title: report.title,
    description: footerText(report),
    styles: { default: { document: { run: { font: 'Arial', size: 22 } } } },
    sections: [
      {
        properties: {
          page: { size: { width: 11906, height: 16838 }, margin: { top: 850, bottom: 1020, left: 680, right: 680 } },
        },
        headers: { default: new Header({ children: marking.length ? [new Paragraph(report.marking!)] : [] }) },
        footers: {
          default: new Footer({ children: [new Paragraph({ children: [new TextRun({ text: footerText(report), size: 14 })] })] }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
