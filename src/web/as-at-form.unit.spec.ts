import { asAtFromForm, filterInstant, filterLocal, keptQuery, pageNow, partsOfLocal, ukTimeOf, ukWhen } from './as-at-form';

const now = new Date('2026-11-22T10:00:00Z');
const at = (originalUrl: string) => asAtFromForm({ originalUrl }, now);

describe('"Show this page as at" form', () => {
  it("turns the field into asAt on the same page, keeping the page's own query", () => {
    expect(at('/disputes?status=open&asAtLocal=2026-01-31T23:59')).toEqual({
      redirect: '/disputes?status=open&asAt=2026-01-31T23%3A59%3A00Z',
    });
  });

  it('reads the date and time as UK time: GMT in winter, BST in summer, on both sides of each change of the clocks', () => {
    // 23:59 on 31 March 2026 is BST: 22:59 UTC.
    expect(at('/disputes?asAtLocal=2026-03-31T23:59')).toEqual({ redirect: '/disputes?asAt=2026-03-31T22%3A59%3A00Z' });
    // Half past midnight BST on 1 July 2020 is 23:30 UTC on 30 June.
    expect(at('/disputes?asAtLocal=2020-07-01T00:30')).toEqual({ redirect: '/disputes?asAt=2020-06-30T23%3A30%3A00Z' });
    // Spring, Sunday 29 March 2026: 00:59 is GMT, 02:00 is BST, and 01:30 never happened.
    expect(at('/plans?asAtLocal=2026-03-29T00:59')).toEqual({ redirect: '/plans?asAt=2026-03-29T00%3A59%3A00Z' });
    expect(at('/plans?asAtLocal=2026-03-29T02:00')).toEqual({ redirect: '/plans?asAt=2026-03-29T01%3A00%3A00Z' });
    expect(at('/plans?asAtLocal=2026-03-29T01:30')).toEqual({
      problem:
        'There was no 01:30 on 29 March 2026 in the UK: the clocks went forward from 1 a.m. to 2 a.m. Enter a time before 1 a.m. or from 2 a.m.',
    });
    // Autumn, Sunday 25 October 2026: 00:59 is BST, 02:00 is GMT, and 01:30 (which happened twice) is the first, BST.
    expect(at('/plans?asAtLocal=2026-10-25T00:59')).toEqual({ redirect: '/plans?asAt=2026-10-24T23%3A59%3A00Z' });
    expect(at('/plans?asAtLocal=2026-10-25T02:00')).toEqual({ redirect: '/plans?asAt=2026-10-25T02%3A00%3A00Z' });
    expect(at('/plans?asAtLocal=2026-10-25T01:30')).toEqual({ redirect: '/plans?asAt=2026-10-25T00%3A30%3A00Z' });
  });

  it('replaces an earlier asAt instead of adding a second one', () => {
    expect(at('/plans?asAt=2020-01-01T00:00:00Z&asAtLocal=2021-01-01T09:30')).toEqual({
      redirect: '/plans?asAt=2021-01-01T09%3A30%3A00Z',
    });
  });

  it("reads the trail's date and time filters as UK time too, and shows them back the same way", () => {
    expect(filterInstant('2026-07-01T00:30')).toBe('2026-06-30T23:30:00Z');
    expect(filterInstant('2026-12-01T00:30')).toBe('2026-12-01T00:30:00Z');
    expect(filterLocal('2026-06-30T23:30:00Z')).toBe('2026-07-01T00:30');
    // Anything else goes to the API's DTO as it came, which refuses it with its own words.
    expect(filterInstant('yesterday')).toBe('yesterday');
    expect(filterInstant('2026-03-29T01:30')).toBe('2026-03-29T01:30');
  });

  it('shows an instant again as UK time, with its zone', () => {
    expect(ukTimeOf('2020-06-30T23:30:00.000Z')).toBe('2020-07-01T00:30');
    // One style on every page (src/web/dates.ts): "5 December 2026 at 14:05", on the clocks in England.
    expect(ukWhen('2020-06-30T23:30:00.000Z')).toBe('1 July 2020 at 00:30');
    expect(ukWhen('2026-12-05T14:05:00Z')).toBe('5 December 2026 at 14:05');
  });

  it('says what is wrong with a malformed, unreal or future time', () => {
    expect(at('/plans?asAtLocal=yesterday')).toEqual({
      problem: 'Enter the date and time as numbers, for example 20 11 2026 and 17 00',
    });
    expect(at('/plans?asAtLocal=2026-02-29T10:00')).toEqual({
      problem: 'Enter a real date and time, for example 20 11 2026 and 17 00',
    });
    expect(at('/plans?asAtLocal=2026-11-22T10:01')).toEqual({
      problem: 'The date and time must be in the past: nothing later is known yet',
    });
  });

  it('reads GOV.UK date boxes with hour and minute (day, month, year, hour, minute), and nothing else of the page', () => {
    const boxes = (d: string, m: string, y: string, h: string, min: string) =>
      `/disputes?status=open&asAtLocal-day=${d}&asAtLocal-month=${m}&asAtLocal-year=${y}&asAtLocal-hour=${h}&asAtLocal-minute=${min}`;
    // 7:05 p.m. BST on 1 July 2020 is 18:05 UTC; single digits are read as typed.
    expect(at(boxes('1', '7', '2020', '19', '5'))).toEqual({ redirect: '/disputes?status=open&asAt=2020-07-01T18%3A05%3A00Z' });
    expect(at(boxes('31', '2', '2026', '10', '00'))).toEqual({
      problem: 'Enter a real date and time, for example 20 11 2026 and 17 00',
    });
    expect(at(boxes('1', 'July', '2020', '', ''))).toEqual({
      problem: 'Enter the date and time as numbers, for example 20 11 2026 and 17 00',
    });
    expect(partsOfLocal('2020-07-01T00:30')).toEqual({ day: '1', month: '7', year: '2020', hour: '00', minute: '30' });
    expect(keptQuery(boxes('1', '7', '2020', '19', '5'))).toEqual([{ name: 'status', value: 'open' }]);
  });

  it('does nothing on a page without the field', () => {
    expect(at('/plans?asAt=2020-01-01T00:00:00Z')).toBeNull();
  });

  it('keeps the page query for the form and links to the page now without asAt', () => {
    expect(keptQuery('/audits?teamId=t1&asAt=2020-01-01T00:00:00Z&asAtLocal=x')).toEqual([{ name: 'teamId', value: 't1' }]);
    expect(pageNow('/audits?teamId=t1&asAt=2020-01-01T00:00:00Z')).toBe('/audits?teamId=t1');
  });
});
