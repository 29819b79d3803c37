import { businessDateOf } from './late-changes';

describe('the business date of a command', () => {
  it('is the first date field that says when the recorded thing happened', () => {
    expect(businessDateOf({ type: 'RaiseDispute', raisedOn: '2020-06-20', now: 'x' })).toBe('2020-06-20');
    expect(businessDateOf({ type: 'ReportProgress', reportedOn: '2020-05-01' })).toBe('2020-05-01');
  });

  it('planning dates are not business dates', () => {
    expect(businessDateOf({ type: 'AddAction', startOn: '2020-04-01', dueOn: '2020-06-30' })).toBeNull();
    expect(businessDateOf({ type: 'ReviseDueDate', newDueOn: '2020-06-30', revisedOn: '2020-05-02' })).toBe('2020-05-02');
  });

  it("a measurement's business date is the last day of its period", () => {
    expect(businessDateOf({ type: 'RecordMeasurement', period: '2020-06' })).toBe('2020-06-30');
    expect(businessDateOf({ type: 'RecordMeasurement', period: '2020/21 Q1' })).toBe('2020-06-30');
  });

  it('a command without a date is not checked', () => {
    expect(businessDateOf({ type: 'GradeDomain', domain: 'planning' })).toBeNull();
  });
});
