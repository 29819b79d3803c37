import { BusinessDateInFuture } from '@casetrail/kernel';
import { deciderSpec } from '@casetrail/testing';
import {
  GoodPracticeAlertAlreadyRaised,
  goodPracticeAlertDecider,
  type GoodPracticeAlertCommand,
} from './good-practice-alert.decider';
import type { GoodPracticeAlertRaised } from './disputes.events';

const now = '2026-05-11T10:00:00.000Z';
const { given } = deciderSpec(goodPracticeAlertDecider);
const alert = {
  alertId: 'gpa-1',
  childRef: 'CHILD-1',
  teamId: 'north',
  raisedBy: 'iro-1',
  raisedOn: '2026-05-11',
  summary: 'The plan was reviewed on time and the child chaired part of the meeting.',
};
const raise = (changes: Partial<GoodPracticeAlertCommand> = {}): GoodPracticeAlertCommand => ({
  type: 'RaiseGoodPracticeAlert',
  now,
  ...alert,
  ...changes,
});
const raised: GoodPracticeAlertRaised = { type: 'GoodPracticeAlertRaised', data: alert };

describe('good-practice alert decider', () => {
  it('raising an alert records it as given', () => given([]).when(raise()).then([raised]));

  it('an alert is raised once', () => given([raised]).when(raise()).thenThrows(GoodPracticeAlertAlreadyRaised, /gpa-1/));

  it('an alert records what has happened: its day may be at most one day ahead (a clock ahead of the server)', () =>
    given([])
      .when(raise({ raisedOn: '2026-05-13' }))
      .thenThrows(BusinessDateInFuture, /raisedOn 13 May 2026 is in the future/));

  it('one day of grace for a clock ahead of the server', () =>
    given([])
      .when(raise({ raisedOn: '2026-05-12' }))
      .then([{ type: 'GoodPracticeAlertRaised', data: { ...alert, raisedOn: '2026-05-12' } }]));
});
