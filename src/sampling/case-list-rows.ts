/** The case list upload's columns, the columns it refuses, and how a row becomes a listed case (pure). */
import {
  cellText,
  parseDay,
  type Cell,
  cellOf,
  headingOf,
  mapHeadings,
  type ColumnSpec,
  type HeadingMap,
  type RowError,
} from '../imports';
import { caseRefProblem, TEAM_ID_PATTERN } from './sampling.dto';
import type { ListedCase } from './sampling.events';

export const CASE_LIST_COLUMNS: ColumnSpec[] = [
  { field: 'caseRef', heading: 'Case reference', aliases: ['case ref', 'case id', 'case'], required: true },
  { field: 'teamId', heading: 'Team', aliases: ['team id', 'team code'], required: true },
  { field: 'category', heading: 'Category', aliases: ['case category', 'case type', 'legal status'] },
  { field: 'workerId', heading: 'Worker id', aliases: ['worker', 'allocated worker', 'social worker id'] },
  { field: 'openSince', heading: 'Open since', aliases: ['opened', 'open date', 'start date', 'episode start'] },
];

/**
 * A heading that looks like a child's name or date of birth: refused, so that such data is never
 * read, let alone recorded (Casetrail keeps case references, never names).
 */
export function refusedHeading(normalised: string): string | null {
  if (/\b(name|names|forename|forenames|surname|first name|last name|given name|family name)\b/.test(normalised)) {
    return "looks like a person's name: Casetrail keeps case references, never names; remove this column and upload again";
  }
  if (/\b(dob|d o b|d\.o\.b\.?|date of birth|birth date|birthdate|born|birthday)\b/.test(normalised)) {
    return 'looks like a date of birth: Casetrail keeps case references only; remove this column and upload again';
  }
  return null;
}

export const mapCaseListHeadings = (headings: Cell[]): HeadingMap => mapHeadings(headings, CASE_LIST_COLUMNS, refusedHeading);

export function parseCaseListRow(map: HeadingMap, row: number, cells: Cell[]): { value: ListedCase | null; errors: RowError[] } {
  const errors: RowError[] = [];
  const text = (field: string): string => cellText(cellOf(map, cells, field));
  const column = (field: string, fallback: string): string => headingOf(map, field, fallback);
  const caseRef = text('caseRef');
  const refProblem = caseRef ? caseRefProblem(caseRef) : 'The case reference is missing';
  if (refProblem) {
    errors.push({
      row,
      column: column('caseRef', 'Case reference'),
      message: caseRef ? `${refProblem} (not '${caseRef}')` : refProblem,
    });
  }
  const teamId = text('teamId');
  if (!TEAM_ID_PATTERN.test(teamId)) {
    errors.push({
      row,
      column: column('teamId', 'Team'),
      message: teamId ? `'${teamId}' is not a team id (e.g. cin-north)` : 'The team is missing',
    });
  }
  const category = text('category');
  const workerId = text('workerId');
  if (category.length > 40)
    errors.push({ row, column: column('category', 'Category'), message: 'The category is longer than 40 characters' });
  if (workerId.length > 40)
    errors.push({ row, column: column('workerId', 'Worker id'), message: 'The worker id is longer than 40 characters' });
  const open = parseDay(cellOf(map, cells, 'openSince'));
  if (!open.ok) errors.push({ row, column: column('openSince', 'Open since'), message: open.message });
  if (errors.length || !open.ok) return { value: null, errors };
  return { value: { caseRef, teamId, category, workerId, openSince: open.value ?? '' }, errors: [] };
}
