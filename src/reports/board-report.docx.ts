/** The board report as a Word document (.docx, the `docx` package): loaded only when one is downloaded. */
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
import { numeric } from './board-report.render';

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

export async function buildDocx(report: BoardReport): Promise<Buffer> {
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
