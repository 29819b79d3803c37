import { assertNotInFuture, BusinessDateInFuture, latestBusinessDate } from '../src';

describe('business dates', () => {
  const now = '2026-03-10T23:30:00Z';

  it('allow today and earlier', () => {
    expect(() => assertNotInFuture('auditedOn', '2026-03-10', now)).not.toThrow();
    expect(() => assertNotInFuture('auditedOn', '2019-01-01', now)).not.toThrow();
  });

  it('allow one day of grace for clocks ahead of the server', () => {
    expect(latestBusinessDate(now)).toBe('2026-03-11');
    expect(() => assertNotInFuture('auditedOn', '2026-03-11', now)).not.toThrow();
  });

  it('reject a date more than a day in the future, naming the field', () => {
    expect(() => assertNotInFuture('auditedOn', '2026-03-12', now)).toThrow(BusinessDateInFuture);
    expect(() => assertNotInFuture('auditedOn', '2026-03-12', now)).toThrow(/auditedOn 12 March 2026 is in the future/);
  });
});
