import { normalise, parseDay, parseGrade, parseList } from './cells';

describe('grades as people write them', () => {
  it.each([
    ['Good', 'good'],
    ['good', 'good'],
    ['Outstanding', 'outstanding'],
    ['RI', 'requires-improvement'],
    ['ri', 'requires-improvement'],
    ['Requires improvement', 'requires-improvement'],
    ['requires improvement to be good', 'requires-improvement'],
    ['Requires-Improvement', 'requires-improvement'],
    ['Inadequate', 'inadequate'],
    [' Inadequate. ', 'inadequate'],
  ])('%s is read as %s', (written, grade) => {
    expect(parseGrade(written, true)).toEqual({ ok: true, value: grade });
  });

  it('a blank cell means the domain was not audited', () => {
    expect(parseGrade(null, true)).toEqual({ ok: true, value: null });
    expect(parseGrade('   ', true)).toEqual({ ok: true, value: null });
  });

  it('N/A is not applicable for a domain, but never an overall grade', () => {
    expect(parseGrade('N/A', true)).toEqual({ ok: true, value: 'not-applicable' });
    expect(parseGrade('Not applicable', false)).toMatchObject({ ok: false });
  });

  it('a word that is not a grade is refused in plain English, quoting it', () => {
    expect(parseGrade('Gud', false)).toEqual({
      ok: false,
      message: "'Gud' is not a grade; use Outstanding, Good, Requires improvement or Inadequate",
    });
  });
});

describe('dates', () => {
  it('2020-04-09 is the ninth of April', () => expect(parseDay('2020-04-09')).toEqual({ ok: true, value: '2020-04-09' }));
  it('09/04/2020 is read day first (UK order)', () => expect(parseDay('09/04/2020')).toEqual({ ok: true, value: '2020-04-09' }));
  it('9/4/2020 without leading zeros too', () => expect(parseDay('9/4/2020')).toEqual({ ok: true, value: '2020-04-09' }));
  it('an Excel date cell is its day', () =>
    expect(parseDay(new Date(Date.UTC(2020, 3, 9)))).toEqual({ ok: true, value: '2020-04-09' }));
  it('an Excel serial number is a day in the 1900 date system', () =>
    expect(parseDay(43930)).toEqual({ ok: true, value: '2020-04-09' }));
  it('a day that is not in the calendar is refused', () => {
    expect(parseDay('31/02/2020')).toMatchObject({ ok: false, message: expect.stringContaining("'31/02/2020'") });
    expect(parseDay('2020-02-30')).toMatchObject({ ok: false });
  });
  it('US order with a month above 12 is refused rather than guessed', () =>
    expect(parseDay('04/13/2020')).toMatchObject({ ok: false }));
  it('text that is not a date is refused', () =>
    expect(parseDay('last Tuesday')).toEqual({
      ok: false,
      message: "'last Tuesday' is not a date; write it as 2020-04-09 or 09/04/2020 (day first)",
    }));
  it('a blank cell is no date', () => expect(parseDay(null)).toEqual({ ok: true, value: null }));
});

describe('headings and lists', () => {
  it('headings compare without case, spaces, hyphens or a BOM', () => {
    expect(normalise('\uFEFF Voice-of-Child ')).toBe(normalise('voice of child'));
    expect(normalise('Case_Reference')).toBe('case reference');
  });
  it('a list cell has one entry per line', () => expect(parseList('One\r\n\n Two ')).toEqual(['One', 'Two']));
});
