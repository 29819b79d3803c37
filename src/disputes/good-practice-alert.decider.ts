import { assertNever, assertNotInFuture, type Decider, type LocalDate, conflict } from '@casetrail/kernel';
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

export const goodPracticeAlertDecider: Decider<GoodPracticeAlertCommand, GoodPracticeAlertRaised, GoodPracticeAlertState> = {
  name: 'good-practice alert',
  initialState: { raised: false },
  schemaVersions: GOOD_PRACTICE_ALERT_EVENT_SCHEMA_VERSIONS,

  decide(command, state) {
    switch (command.type) {
      case 'RaiseGoodPracticeAlert': {
        if (state.raised) throw new GoodPracticeAlertAlreadyRaised(command.alertId);
        assertNotInFuture('raisedOn', command.raisedOn, command.now);
        const { type: _type, now: _now, ...data } = command;
        return [{ type: 'GoodPracticeAlertRaised', data }];
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    return event.type === 'GoodPracticeAlertRaised' ? { raised: true } : state;
  },
};
