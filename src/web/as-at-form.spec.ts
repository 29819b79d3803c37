import { asAtFromForm, keptQuery, pageNow } from './as-at-form';

const now = new Date('2026-11-22T10:00:00Z');
const at = (originalUrl: string) => asAtFromForm({ originalUrl }, now);

describe('"Show this page as at" form', () => {
  it("turns the field into asAt on the same page, keeping the page's own query", () => {
    expect(at('/disputes?status=open&asAtLocal=2026-03-31T23:59')).toEqual({
      redirect: '/disputes?status=open&asAt=2026-03-31T23%3A59%3A00Z',
    });
  });

  it('replaces an earlier asAt instead of adding a second one', () => {
    expect(at('/plans?asAt=2020-01-01T00:00:00Z&asAtLocal=2021-01-01T09:30')).toEqual({
      redirect: '/plans?asAt=2021-01-01T09%3A30%3A00Z',
    });
  });

  it('says what is wrong with a malformed, unreal or future time', () => {
    expect(at('/plans?asAtLocal=yesterday')).toEqual({ problem: 'Enter a date and time, for example 2026-11-20T17:00' });
    expect(at('/plans?asAtLocal=2026-02-29T10:00')).toEqual({
      problem: 'Enter a real date and time, for example 2026-11-20T17:00',
    });
    expect(at('/plans?asAtLocal=2026-11-22T10:01')).toEqual({
      problem: 'The date and time must be in the past: nothing later is known yet',
    });
  });

  it('does nothing on a page without the field', () => {
    expect(at('/plans?asAt=2020-01-01T00:00:00Z')).toBeNull();
  });

  it('keeps the page query for the form and links to the page now without asAt', () => {
    expect(keptQuery('/audits?teamId=t1&asAt=2020-01-01T00:00:00Z&asAtLocal=x')).toEqual([{ name: 'teamId', value: 't1' }]);
    expect(pageNow('/audits?teamId=t1&asAt=2020-01-01T00:00:00Z')).toBe('/audits?teamId=t1');
  });
});
