/**
 * The board report in its three formats, from one document (board-report.model.ts): HTML with a
 * print stylesheet (A4, a page per section), Word (.docx, built with the `docx` package) and CSV
 * per table. Deterministic: the same report gives the same bytes of HTML and the same document text.
 */
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

/** A column of figures (right-aligned). */
export const numeric = (t: ReportTable, i: number): boolean => t.rows.some((r) => r[i]?.kind !== 'text') && i > 0;

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

/**
 * The Word document. `docx` is loaded on the first download, not at start-up: it costs the server
 * about 3 MB of heap that most instances never need (test/e2e/export-memory.e2e.spec.ts runs the
 * server in a 64 MB heap).
 */
export async function renderDocx(report: BoardReport): Promise<Buffer> {
  const { buildDocx } = await import('./board-report.docx');
  return buildDocx(report);
}
