import { dayInWords, dayOf, parsePeriod, recordDeciderOf, dataOf, conflict, ruleBroken } from '@casetrail/kernel';
import {
  SELF_ASSESSMENT_EVENT_SCHEMA_VERSIONS,
  type SelfAssessmentEvent,
  type SelfAssessmentRecorded,
} from './self-assessments.events';

export type SelfAssessmentCommand = { type: 'RecordSelfAssessment'; now: string } & SelfAssessmentRecorded['data'];

export type SelfAssessmentState = { status: 'none' } | { status: 'recorded'; score: number | null };

export class SelfAssessmentAlreadyRecorded extends conflict(
  'SELF_ASSESSMENT_ALREADY_RECORDED',
  (service: string, period: string) => `The ${service} self-assessment for ${period} is already recorded.`,
) {}
export class SelfAssessmentPeriodNotQuarter extends ruleBroken(
  'SELF_ASSESSMENT_PERIOD_NOT_QUARTER',
  (period: string) => `A self-assessment is quarterly: its period looks like "2020/21 Q1", not "${period}".`,
) {}
export class SelfAssessmentScoreOffScale extends ruleBroken(
  'SELF_ASSESSMENT_SCORE_OFF_SCALE',
  (score: number) =>
    `The score is on a scale of 0 to 10, to one decimal place at most (for example 6.5), not ${score}; or leave it blank.`,
) {}
/** 0 to 10, whole or with one decimal place (6.5); blank (undefined) is allowed. */
export const onScoreScale = (score: number): boolean =>
  Number.isFinite(score) && score >= 0 && score <= 10 && Math.abs(score * 10 - Math.round(score * 10)) < 1e-9;

export class SelfAssessmentBeforeQuarterStarts extends ruleBroken(
  'SELF_ASSESSMENT_BEFORE_QUARTER_STARTS',
  (period: string, from: string) => `${period} starts on ${dayInWords(from)}: a quarter cannot be assessed before it has begun.`,
) {}

export const selfAssessmentDecider = recordDeciderOf<SelfAssessmentCommand, SelfAssessmentEvent, SelfAssessmentState>(
  'self-assessment',
  SELF_ASSESSMENT_EVENT_SCHEMA_VERSIONS,
  {
    alreadyExists: { RecordSelfAssessment: (command) => new SelfAssessmentAlreadyRecorded(command.service, command.period) },

    decide: {
      RecordSelfAssessment(command) {
        const quarter = parsePeriod(command.period);
        if (!quarter || quarter.frequency !== 'quarterly') throw new SelfAssessmentPeriodNotQuarter(command.period);
        if (quarter.from > dayOf(command.now)) throw new SelfAssessmentBeforeQuarterStarts(command.period, quarter.from);
        if (command.score != null && !onScoreScale(command.score)) throw new SelfAssessmentScoreOffScale(command.score);
        const { score, sources, ...data } = dataOf(command);
        // Sources as plain objects of their three fields, whatever the caller passed.
        const kept = sources?.map(({ part, label, href }) => ({ part, label, href }));
        return [
          {
            type: 'SelfAssessmentRecorded',
            data: { ...data, ...(score != null ? { score } : {}), ...(kept?.length ? { sources: kept } : {}) },
          },
        ];
      },
    },

    evolve: {
      SelfAssessmentRecorded: (_state, event) => ({ status: 'recorded', score: event.data.score ?? null }),
    },
  },
);
