import { assertNotInFuture, deciderOf, dataOf, type LocalDate, conflict } from '@casetrail/kernel';
import { GOOD_PRACTICE_ALERT_EVENT_SCHEMA_VERSIONS, type GoodPracticeAlertRaised } from './disputes.events';

export type GoodPracticeAlertCommand = {
  type: 'RaiseGoodPracticeAlert';
  now: string;
  alertId: string;
  childRef: string;
  teamId: string;
  raisedBy: string;
  raisedOn: LocalDate;
  summary: string;
};

export type GoodPracticeAlertState = { raised: boolean };

export class GoodPracticeAlertAlreadyRaised extends conflict(
  'GOOD_PRACTICE_ALERT_ALREADY_RAISED',
  (alertId: string) => `A good-practice alert with the id ${alertId} has already been raised.`,
) {}

export const goodPracticeAlertDecider = deciderOf<GoodPracticeAlertCommand, GoodPracticeAlertRaised, GoodPracticeAlertState>({
  name: 'good-practice alert',
  initialState: { raised: false },
  schemaVersions: GOOD_PRACTICE_ALERT_EVENT_SCHEMA_VERSIONS,

  decide: {
    RaiseGoodPracticeAlert(command, state) {
      if (state.raised) throw new GoodPracticeAlertAlreadyRaised(command.alertId);
      assertNotInFuture('raisedOn', command.raisedOn, command.now);
      return [{ type: 'GoodPracticeAlertRaised', data: dataOf(command) }];
    },
  },

  evolve: {
    GoodPracticeAlertRaised: () => ({ raised: true }),
  },
});
