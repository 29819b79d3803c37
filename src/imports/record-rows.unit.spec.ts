import { parseNumber } from './cells';
import { mapIndicatorHeadings, parseIndicatorRow, periodOf } from './indicator-rows';
import { mapUserHeadings, parseUserRow } from './user-rows';

describe('numbers as people type them', () => {
  it.each([
    ['68.1', 68.1],
    ['68.1%', 68.1],
    ['1,318', 1318],
    ['1,318.5', 1318.5],
    [' 12 ', 12],
    [1318, 1318],
  ])('%s is read as %s', (written, value) => {
    expect(parseNumber(written)).toEqual({ ok: true, value });
  });

  it('a blank cell is no number; a comma as the decimal mark or a word is refused, quoting it', () => {
    expect(parseNumber(null)).toEqual({ ok: true, value: null });
    expect(parseNumber('68,1')).toMatchObject({ ok: false, message: expect.stringContaining("'68,1' is not a number") });
    expect(parseNumber('lots')).toMatchObject({ ok: false, message: expect.stringContaining('write a number such as 68.1') });
  });
});

describe('indicator value rows', () => {
  const map = mapIndicatorHeadings(['Indicator code', 'team', 'Month', 'Value', 'Numerator', 'Denominator', 'Notes']);

  it('headings by any of their names; a blank team is a council-wide figure', () => {
    expect(map.errors).toEqual([]);
    expect(parseIndicatorRow(map, 2, ['Contacts-24h', '', '2020-06', '68.1%', '1,318', 1935, ''])).toEqual({
      value: { row: 2, code: 'contacts-24h', period: '2020-06', value: 68.1, numerator: 1318, denominator: 1935 },
      errors: [],
    });
  });

  it('a period Excel turned into a date cell is read as its month; a quarter is kept as written', () => {
    expect(periodOf(new Date(Date.UTC(2020, 5, 1)))).toBe('2020-06');
    expect(periodOf('2020/21  q1')).toBe('2020/21 Q1');
  });

  it('every problem of a row, each by its column as the file heads it', () => {
    expect(parseIndicatorRow(map, 7, ['', 'mash', '', 'high', '', 'x'])).toEqual({
      value: null,
      errors: [
        { row: 7, column: 'Indicator code', message: "The indicator's code (e.g. contacts-24h) is missing" },
        { row: 7, column: 'Month', message: 'The period (e.g. 2020-06 or 2020/21 Q1) is missing' },
        { row: 7, column: 'Value', message: expect.stringContaining("'high' is not a number") },
        { row: 7, column: 'Denominator', message: expect.stringContaining("'x' is not a number") },
      ],
    });
  });
});

describe('staff rows', () => {
  it('roles by id or name, teams separated by semicolons, commas or lines', () => {
    const map = mapUserHeadings(['Full name', 'Role', 'Team ids']);
    expect(map.errors).toEqual([]);
    expect(parseUserRow(map, 2, [' Ava  Auditor ', 'Quality assurance officer', 'cin-north; cp-east,cin-north'])).toEqual({
      value: { row: 2, name: 'Ava Auditor', role: 'qa-officer', teamIds: ['cin-north', 'cp-east'] },
      errors: [],
    });
    expect(parseUserRow(map, 3, ['Tom', 'Team-Manager', ''])).toMatchObject({ value: { role: 'team-manager', teamIds: [] } });
    expect(parseUserRow(map, 4, ['Ivy', 'Administrator', ''])).toMatchObject({ value: { role: 'admin' } });
  });

  it('a password column is refused: Casetrail never imports passwords', () => {
    for (const heading of ['Password', 'pass word', 'PIN']) {
      expect(mapUserHeadings(['Name', 'Role', heading]).errors).toEqual([
        { row: 1, column: heading, message: expect.stringContaining('Casetrail never imports passwords') },
      ]);
    }
    expect(mapUserHeadings(['Name', 'Role', 'Mapping']).errors[0].message).toContain('is not a column Casetrail imports here');
  });

  it('a missing name or a word that is not a role, in plain English', () => {
    const map = mapUserHeadings(['Name', 'Role']);
    expect(parseUserRow(map, 5, ['', 'Boss'])).toEqual({
      value: null,
      errors: [
        { row: 5, column: 'Name', message: "The person's name is missing" },
        {
          row: 5,
          column: 'Role',
          message: "'Boss' is not a role; use QA officer, IRO, Team manager, Improvement lead, Inspector or Admin",
        },
      ],
    });
  });
});
