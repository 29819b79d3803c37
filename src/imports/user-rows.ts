/** The users import's columns and how one row becomes a user (pure: no I/O). Never a password. */
import { ROLES, type Role } from '../shared';
import { cellText, normalise, quoted, type Cell } from './cells';
import { cellOf, headingNamer, mapHeadings, type ColumnSpec, type HeadingMap, type ParsedRow, type RowError } from './headings';

export interface UserImportRow {
  row: number;
  name: string;
  role: Role;
  teamIds: string[];
}

export const USER_COLUMNS: ColumnSpec[] = [
  { field: 'name', heading: 'Name', aliases: ['full name', 'staff name', 'user'], required: true },
  { field: 'role', heading: 'Role', required: true },
  { field: 'teamIds', heading: 'Teams', aliases: ['team', 'team ids', 'team id'] },
];

/** How people write each role: its id (`qa-officer`, hyphens or spaces) or its name. */
const ROLE_WORDS: Record<string, Role> = {
  ...Object.fromEntries(ROLES.map((r) => [normalise(r), r])),
  'independent reviewing officer': 'iro',
  administrator: 'admin',
  'quality assurance officer': 'qa-officer',
};
export const ROLE_HINT = 'use QA officer, IRO, Team manager, Improvement lead, Inspector or Admin';

/** Casetrail never takes a password from a file: each person signs in with a token or through the identity provider. */
const refusePasswords = (heading: string): string | null =>
  /\b(pass ?words?|pwd|secret|pin)\b/.test(heading)
    ? 'Casetrail never imports passwords: remove this column. An administrator issues each person a token, or they sign in through your identity provider'
    : null;

export const mapUserHeadings = (headings: Cell[]): HeadingMap => mapHeadings(headings, USER_COLUMNS, refusePasswords);

/** One row of the file as a user, or every problem with it. */
export function parseUserRow(map: HeadingMap, row: number, cells: Cell[]): ParsedRow<UserImportRow> {
  const errors: RowError[] = [];
  const column = headingNamer(map, USER_COLUMNS);
  const name = cellText(cellOf(map, cells, 'name')).replace(/\s+/g, ' ');
  if (name === '') errors.push({ row, column: column('name'), message: "The person's name is missing" });
  const roleCell = cellOf(map, cells, 'role');
  const role = ROLE_WORDS[normalise(cellText(roleCell))];
  if (cellText(roleCell) === '') errors.push({ row, column: column('role'), message: `The role is missing; ${ROLE_HINT}` });
  else if (!role) errors.push({ row, column: column('role'), message: `${quoted(roleCell)} is not a role; ${ROLE_HINT}` });
  const teamIds = cellText(cellOf(map, cells, 'teamIds'))
    .split(/[;,\r\n]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (errors.length || !role) return { value: null, errors };
  return { value: { row, name, role, teamIds: [...new Set(teamIds)] }, errors: [] };
}
