import { assertNever, ConflictError, dayOf, parsePeriod, RuleBrokenError, type Decider } from '@casetrail/kernel';
import {
  SELF_ASSESSMENT_EVENT_SCHEMA_VERSIONS,
  type SelfAssessmentEvent,
  type SelfAssessmentRecorded,
} from './self-assessments.events';

export type SelfAssessmentCommand = { type: 'RecordSelfAssessment'; now: string } & SelfAssessmentRecorded['data'];

export type SelfAssessmentState = { status: 'none' } | { status: 'recorded'; score: number };

export class SelfAssessmentAlreadyRecorded extends ConflictError {
  readonly code = 'SELF_ASSESSMENT_ALREADY_RECORDED';
  constructor(service: string, period: string) {
    super(`The ${service} self-assessment for ${period} is already recorded.`);
  }
}
export class SelfAssessmentPeriodNotQuarter extends RuleBrokenError {
  readonly code = 'SELF_ASSESSMENT_PERIOD_NOT_QUARTER';
  constructor(period: string) {
    super(`A self-assessment is quarterly: its period looks like "2020/21 Q1", not "${period}".`);
  }
}
export class SelfAssessmentBeforeQuarterStarts extends RuleBrokenError {
  readonly code = 'SELF_ASSESSMENT_BEFORE_QUARTER_STARTS';
  constructor(period: string, from: string) {
    super(`${period} starts on ${from}: a quarter cannot be assessed before it has begun.`);
  }
}

export const selfAssessmentDecider: Decider<SelfAssessmentCommand, SelfAssessmentEvent, SelfAssessmentState> = {
  name: 'self-assessment',
  initialState: { status: 'none' },
  schemaVersions: SELF_ASSESSMENT_EVENT_SCHEMA_VERSIONS,

  decide(command, state) {
    switch (command.type) {
      case 'RecordSelfAssessment': {
        if (state.status !== 'none') throw new SelfAssessmentAlreadyRecorded(command.service, command.period);
        const quarter = parsePeriod(command.period);
        if (!quarter || quarter.frequency !== 'quarterly') throw new SelfAssessmentPeriodNotQuarter(command.period);
        if (quarter.from > dayOf(command.now)) throw new SelfAssessmentBeforeQuarterStarts(command.period, quarter.from);
        const { type: _type, now: _now, ...data } = command;
        return [{ type: 'SelfAssessmentRecorded', data }];
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'SelfAssessmentRecorded':
        return { status: 'recorded', score: event.data.score };
      default:
        return state;
    }
  },
};
