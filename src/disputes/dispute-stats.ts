/**
 * DR statistics per English financial quarter, as councils report them ("Qtr 1 = 29 formal
 * dispute resolutions"). Pure: computed from the recorded facts as at the end of the range.
 */
import {
  addDays,
  financialQuarter,
  PUBLISHED_CALENDAR,
  type LocalDate,
  type WorkingDayCalendar,
  ruleBroken,
  dayInWords,
} from '@casetrail/kernel';
import { becameFormalOn, statusAt, type DisputeFacts } from './dispute-clock';
import { DISPUTE_CATEGORIES, DISPUTE_OUTCOMES, type DisputeCategory, type DisputeOutcome } from './disputes.events';

export interface DisputePeriodStats {
  /** Informal: raised at the informal stage in the period. Formal: became formal in the period (raised formal, or escalated). */
  raised: { informal: number; formal: number };
  /** DRs raised in the period, by category. */
  byCategory: Record<DisputeCategory, number>;
  /**
   * Formal DRs by category, counted in the period they became formal (raised at a formal stage, or
   * escalated from the informal one): a DR raised informally in Q1 and escalated in Q2 counts in Q2.
   */
  formalByCategory: Record<DisputeCategory, number>;
  /** DRs raised in the period, by the highest stage they had reached by the end of the period (not later). */
  highestStageReached: Record<string, number>;
  /** DRs whose (latest) resolution falls in the period. */
  resolved: number;
  /** The same DRs, by outcome. */
  resolvedByOutcome: Record<DisputeOutcome, number>;
  /** Formal DRs resolved in the period, and how many of them on or before their formal target date. */
  resolvedWithinFormalTarget: { resolvedFormal: number; count: number; percent: number | null };
  /** Working days from raising to resolution, over the DRs resolved in the period. */
  medianWorkingDaysToResolve: number | null;
  cafcassReferrals: number;
  goodPracticeAlerts: number;
}

export interface QuarterStats extends DisputePeriodStats {
  /** e.g. "2020/21 Q1". */
  quarter: string;
  /** The part of the quarter inside the range. */
  from: LocalDate;
  to: LocalDate;
}

export interface DisputeStats {
  from: LocalDate;
  to: LocalDate;
  quarters: QuarterStats[];
  totals: DisputePeriodStats;
}

export const MAX_STATS_YEARS = 10;

export class StatsRangeInvalid extends ruleBroken(
  'STATS_RANGE_INVALID',
  (from: LocalDate, to: LocalDate) =>
    `Statistics need "from" (${dayInWords(from)}) on or before "to" (${dayInWords(to)}), at most ${MAX_STATS_YEARS} years apart.`,
) {}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One DR as the statistics see it at the end of the range. */
interface Summary {
  facts: DisputeFacts;
  startedInformal: boolean;
  formalOn: LocalDate | null;
  resolvedOn: LocalDate | null;
  outcome: DisputeOutcome | null;
  withinTarget: boolean | null;
}

/** The most senior stage the DR had entered on or before `asAt` (it was raised by then). */
export function highestStageAt(facts: DisputeFacts, asAt: LocalDate): string {
  const index = (key: string): number => facts.protocol.stages.findIndex((s) => s.key === key);
  const entered = facts.stages.filter((s) => s.enteredOn <= asAt);
  return entered.reduce((top, s) => (index(s.stage) > index(top) ? s.stage : top), entered[0].stage);
}

function summarise(facts: DisputeFacts, asAt: LocalDate, calendar: WorkingDayCalendar): Summary {
  const { protocol } = facts;
  const change = statusAt(facts, asAt);
  const resolution = change?.status === 'resolved' ? change : null;
  const resolvedOn = resolution?.on ?? null;
  const formalOn = becameFormalOn(facts, asAt);
  const targetOn = formalOn ? calendar.addWorkingDays(formalOn, protocol.formalTargetWorkingDays) : null;
  return {
    facts,
    startedInformal: facts.stages[0].stage === protocol.stages[0].key,
    formalOn,
    resolvedOn,
    outcome: resolution?.outcome ?? null,
    withinTarget: resolvedOn && targetOn ? resolvedOn <= targetOn : null,
  };
}

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

function periodStats(
  disputes: Summary[],
  alerts: LocalDate[],
  from: LocalDate,
  to: LocalDate,
  calendar: WorkingDayCalendar,
): DisputePeriodStats {
  const within = (d: LocalDate | null): boolean => d !== null && d >= from && d <= to;
  const raised = disputes.filter((d) => within(d.facts.raisedOn));
  const resolved = disputes.filter((d) => within(d.resolvedOn));
  const resolvedFormal = resolved.filter((d) => d.withinTarget !== null);
  const onTime = resolvedFormal.filter((d) => d.withinTarget).length;
  const byCategory = zeroes(DISPUTE_CATEGORIES);
  const highestStageReached: Record<string, number> = {};
  for (const d of raised) {
    byCategory[d.facts.category]++;
    // As the period's report would have said it: escalations after the period do not count here.
    const highest = highestStageAt(d.facts, to);
    highestStageReached[highest] = (highestStageReached[highest] ?? 0) + 1;
  }
  const becameFormal = disputes.filter((d) => within(d.formalOn));
  const formalByCategory = zeroes(DISPUTE_CATEGORIES);
  for (const d of becameFormal) formalByCategory[d.facts.category]++;
  const resolvedByOutcome = zeroes(DISPUTE_OUTCOMES);
  for (const d of resolved) if (d.outcome) resolvedByOutcome[d.outcome]++;
  return {
    raised: {
      informal: raised.filter((d) => d.startedInformal).length,
      formal: becameFormal.length,
    },
    byCategory,
    formalByCategory,
    highestStageReached,
    resolved: resolved.length,
    resolvedByOutcome,
    resolvedWithinFormalTarget: {
      resolvedFormal: resolvedFormal.length,
      count: onTime,
      percent: resolvedFormal.length ? Math.round((1000 * onTime) / resolvedFormal.length) / 10 : null,
    },
    medianWorkingDaysToResolve: median(resolved.map((d) => calendar.workingDaysBetween(d.facts.raisedOn, d.resolvedOn!))),
    cafcassReferrals: disputes.filter((d) => within(d.facts.cafcassReferral?.referredOn ?? null)).length,
    goodPracticeAlerts: alerts.filter(within).length,
  };
}

/** Statistics for every financial quarter that overlaps [from, to], and for the whole range. */
export function disputeStats(
  disputes: DisputeFacts[],
  goodPracticeAlertDates: LocalDate[],
  from: LocalDate,
  to: LocalDate,
  calendar: WorkingDayCalendar = PUBLISHED_CALENDAR,
): DisputeStats {
  if (from > to || addDays(from, 366 * MAX_STATS_YEARS) < to) throw new StatsRangeInvalid(from, to);
  const summaries = disputes.filter((d) => d.raisedOn <= to).map((d) => summarise(d, to, calendar));
  const quarters: QuarterStats[] = [];
  for (let day = from; day <= to;) {
    const q = financialQuarter(day);
    const qTo = q.to < to ? q.to : to;
    quarters.push({
      quarter: q.label,
      from: day,
      to: qTo,
      ...periodStats(summaries, goodPracticeAlertDates, day, qTo, calendar),
    });
    day = addDays(q.to, 1);
  }
  return { from, to, quarters, totals: periodStats(summaries, goodPracticeAlertDates, from, to, calendar) };
}
