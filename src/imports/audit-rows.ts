/** The historic case-audit import's columns and how one row becomes an audit (pure: no I/O). */
import type { Grade, OverallGrade } from '../audits';
import { cellText, parseDay, parseGrade, parseList, type Cell } from './cells';
import { cellOf, filledIn, headingNamer, mapHeadings } from './headings';
import type { ColumnSpec, HeadingMap, ParsedRow, RowError } from './headings';

export interface FrameworkDomainHeading {
  key: string;
  title: string;
}

export interface AuditImportRow {
  row: number;
  caseRef: string;
  teamId: string;
  auditedOn: string;
  submittedOn: string;
  /** Domain key -> grade, only the domains audited (blank cells are left out). */
  grades: Record<string, Grade>;
  /** Domain key -> evidence, where an evidence column is given. */
  evidence: Record<string, string>;
  overallGrade: OverallGrade;
  overallGradeReason?: string;
  strengths: string[];
  areasForDevelopment: string[];
  programmeId?: string;
  /** The Auditor cell as written (a user's name or id), when given. */
  auditor?: string;
}

/** The fixed columns, in template order (the domains come between Audit date and Overall grade). */
export const AUDIT_FIXED_COLUMNS: ColumnSpec[] = [
  { field: 'caseRef', heading: 'Case reference', aliases: ['case ref', 'case', 'case id'], required: true },
  { field: 'teamId', heading: 'Team', aliases: ['team id', 'team code'], required: true },
  { field: 'auditedOn', heading: 'Audit date', aliases: ['audited on', 'date audited', 'date of audit'], required: true },
  { field: 'auditor', heading: 'Auditor', aliases: ['audited by'] },
  { field: 'submittedOn', heading: 'Submitted on', aliases: ['date submitted'] },
];
export const AUDIT_TRAILING_COLUMNS: ColumnSpec[] = [
  { field: 'overallGrade', heading: 'Overall grade', aliases: ['overall', 'overall rating', 'grade'], required: true },
  { field: 'overallGradeReason', heading: 'Overall grade reason', aliases: ['reason for overall grade'] },
  { field: 'strengths', heading: 'Strengths', aliases: ['what is working well'] },
  { field: 'areasForDevelopment', heading: 'Areas for development', aliases: ['areas for improvement', 'worries'] },
  { field: 'programmeId', heading: 'Programme', aliases: ['programme id', 'audit programme'] },
];

const domainField = (key: string): string => `domain:${key}`;
const evidenceField = (key: string): string => `evidence:${key}`;

/** Every column of the audit import for this framework, in template order. */
export function auditColumns(domains: FrameworkDomainHeading[]): ColumnSpec[] {
  return [
    ...AUDIT_FIXED_COLUMNS,
    ...domains.flatMap((d): ColumnSpec[] => [
      { field: domainField(d.key), heading: d.title, aliases: [d.key] },
      { field: evidenceField(d.key), heading: `${d.title} evidence`, aliases: [`${d.key} evidence`] },
    ]),
    ...AUDIT_TRAILING_COLUMNS,
  ];
}

/** The template's heading row (domains graded, without the optional evidence columns). */
export const auditTemplateHeadings = (domains: FrameworkDomainHeading[]): string[] =>
  auditColumns(domains)
    .filter((c) => !c.field.startsWith('evidence:') && c.field !== 'submittedOn')
    .map((c) => c.heading);

export const mapAuditHeadings = (headings: Cell[], domains: FrameworkDomainHeading[]): HeadingMap =>
  mapHeadings(headings, auditColumns(domains));

/** One row of the file as an audit, or every problem with it (all of them, not only the first). */
export function parseAuditRow(
  map: HeadingMap,
  row: number,
  cells: Cell[],
  domains: FrameworkDomainHeading[],
): ParsedRow<AuditImportRow> {
  const errors: RowError[] = [];
  const column = headingNamer(map, auditColumns(domains));
  const text = (field: string): string => cellText(cellOf(map, cells, field));
  const required = (field: string, what: string): string => {
    const value = text(field);
    if (value === '') errors.push({ row, column: column(field), message: `${what} is missing` });
    return value;
  };

  const caseRef = required('caseRef', "The case reference (the case system's id, never a name)");
  const teamId = required('teamId', 'The team id (e.g. cin-north)');
  let auditedOn = '';
  const audited = parseDay(cellOf(map, cells, 'auditedOn'));
  if (!audited.ok) errors.push({ row, column: column('auditedOn'), message: audited.message });
  else if (audited.value === null) errors.push({ row, column: column('auditedOn'), message: 'The audit date is missing' });
  else auditedOn = audited.value;
  let submittedOn = auditedOn;
  const submitted = parseDay(cellOf(map, cells, 'submittedOn'));
  if (!submitted.ok) errors.push({ row, column: column('submittedOn'), message: submitted.message });
  else if (submitted.value !== null) submittedOn = submitted.value;

  const grades: Record<string, Grade> = {};
  const evidence: Record<string, string> = {};
  for (const d of domains) {
    const grade = parseGrade(cellOf(map, cells, domainField(d.key)), true);
    if (!grade.ok) errors.push({ row, column: column(domainField(d.key)), message: grade.message });
    else if (grade.value !== null) grades[d.key] = grade.value;
    const said = text(evidenceField(d.key));
    if (said !== '') {
      if (grade.ok && grade.value === null) {
        errors.push({
          row,
          column: column(evidenceField(d.key)),
          message: `there is evidence but no grade for ${d.title}; grade the domain or leave both blank`,
        });
      } else evidence[d.key] = said;
    }
  }
  let overallGrade: OverallGrade | null = null;
  const overall = parseGrade(cellOf(map, cells, 'overallGrade'), false);
  if (!overall.ok) errors.push({ row, column: column('overallGrade'), message: overall.message });
  else if (overall.value === null) {
    errors.push({
      row,
      column: column('overallGrade'),
      message: 'The overall grade is missing; a historic audit is imported as submitted',
    });
  } else overallGrade = overall.value as OverallGrade;
  if (overall.ok && domains.length && Object.values(grades).every((g) => g === 'not-applicable')) {
    errors.push({ row, column: '', message: 'No domain is graded; grade at least one domain of the audit framework' });
  }
  if (errors.length || overallGrade === null) return { value: null, errors };
  return {
    value: {
      row,
      caseRef,
      teamId,
      auditedOn,
      submittedOn,
      grades,
      evidence,
      overallGrade,
      strengths: parseList(cellOf(map, cells, 'strengths')),
      areasForDevelopment: parseList(cellOf(map, cells, 'areasForDevelopment')),
      ...filledIn(map, cells, ['overallGradeReason', 'programmeId', 'auditor']),
    },
    errors: [],
  };
}
