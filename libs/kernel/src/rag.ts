/**
 * RAG status of an improvement action, explained, for any day `on`. Computed from recorded
 * facts at the moment of asking, never stored, so it cannot go stale and the same code answers
 * "today" and "as at 30 June 2020".
 */
import { addCalendarMonths, addDays, dayInWords, toUtcDate, type LocalDate } from './local-date';
import { PUBLISHED_CALENDAR, type WorkingDayCalendar } from './working-days';
import { counted } from './words';

export const ACTION_RAGS = ['blue', 'grey', 'red', 'amber', 'green'] as const;
export type ActionRag = (typeof ACTION_RAGS)[number];

export const CONFIDENCES = ['on-track', 'at-risk', 'off-track'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Days without a progress report after which an open action turned amber before it was a plan setting. */
export const STALE_AFTER_DAYS = 30;

export const NO_UPDATE_UNITS = ['months', 'days'] as const;
export type NoUpdateUnit = (typeof NO_UPDATE_UNITS)[number];

/**
 * The thresholds of a plan's action RAG, set by the board for each plan (recorded as events).
 * - redFromWorkingDaysOverdue: an open action past its due date is red once it is this many
 *   working days overdue (0: red from the first day after its due date); before, amber.
 * - noUpdateFor: an open action with no progress report for longer than this is amber. An
 *   update on 1 July with "1 month" keeps the action out of amber until 1 August inclusive.
 * - escalateAmberAfterDays: an action amber every day for more than this many days is flagged
 *   for escalation to the board ("amber drift").
 */
export interface RagSettings {
  redFromWorkingDaysOverdue: number;
  noUpdateFor: { count: number; unit: NoUpdateUnit };
  escalateAmberAfterDays: number;
}

/** Days an action may stay amber before it is flagged for escalation (the "amber drift" guard). */
export const ESCALATE_AMBER_AFTER_DAYS = 60;

/** The settings of a plan that has not changed them: red from the first day overdue, amber after a calendar month without an update, escalation after 60 days of amber. */
export const DEFAULT_RAG_SETTINGS: RagSettings = Object.freeze({
  redFromWorkingDaysOverdue: 0,
  noUpdateFor: Object.freeze({ count: 1, unit: 'months' as const }),
  escalateAmberAfterDays: ESCALATE_AMBER_AFTER_DAYS,
});

/** Limits of each setting (validated by the plan decider; shown on the form). */
export const RAG_SETTING_LIMITS = {
  redFromWorkingDaysOverdue: { min: 0, max: 60 },
  noUpdateFor: { months: { min: 1, max: 12 }, days: { min: 1, max: 366 } },
  escalateAmberAfterDays: { min: 1, max: 366 },
} as const;

/** "1 calendar month", "30 days". */
export const noUpdatePeriodText = (period: RagSettings['noUpdateFor']): string =>
  period.unit === 'months'
    ? `${period.count} calendar month${period.count === 1 ? '' : 's'}`
    : `${period.count} day${period.count === 1 ? '' : 's'}`;

/** The last day an update made on `reportedOn` keeps the action out of amber. */
export const updateCoversUntil = (reportedOn: LocalDate, period: RagSettings['noUpdateFor']): LocalDate =>
  period.unit === 'months' ? addCalendarMonths(reportedOn, period.count) : addDays(reportedOn, period.count);

/** How a RAG is computed beyond the facts: the plan's settings and the working-day calendar in force. */
export interface RagContext {
  settings?: RagSettings;
  /** The working-day calendar with the bank holidays an administrator recorded; the published one by default. */
  calendar?: WorkingDayCalendar;
}

export interface ActionFacts {
  startOn: LocalDate;
  /** The due date the action was added with. */
  originalDueOn: LocalDate;
  /** Approved changes of due date, each counting from the day it was made. */
  dueDateRevisions: { revisedOn: LocalDate; newDueOn: LocalDate }[];
  progress: { reportedOn: LocalDate; confidence: Confidence }[];
  completedOn?: LocalDate | null;
  verifiedOn?: LocalDate | null;
  /**
   * Every completion, including those later undone by reopening (`reopenedOn`), so that a day
   * between a completion and its reopening still shows the action completed.
   */
  completions?: Completion[];
}

export interface Completion {
  completedOn: LocalDate;
  verifiedOn?: LocalDate | null;
  /** The day the action was reopened, ending this completion; null while it stands. */
  reopenedOn?: LocalDate | null;
}

/**
 * The completion standing on `on`: completed on or before it and not reopened by then (an
 * action reopened on a day is open from that day). The latest such one when there are several.
 */
export function completionOn(facts: ActionFacts, on: LocalDate): Completion | undefined {
  const all: Completion[] = [...(facts.completions ?? [])];
  if (facts.completedOn != null) all.push({ completedOn: facts.completedOn, verifiedOn: facts.verifiedOn ?? null });
  const standing = all.filter((c) => c.completedOn <= on && (c.reopenedOn == null || c.reopenedOn > on));
  return latestOnOrBefore(standing, (c) => c.completedOn, on);
}

export interface ActionRagResult {
  rag: ActionRag;
  /** One reason per rule that applies, in rule order; the colour is the first rule's. */
  reasons: string[];
  /** The due date in force on `on` (the latest revision made on or before it). */
  dueOn: LocalDate;
  /** Not completed on or before `on`. */
  open: boolean;
  /** Working days between the due date in force and a completion after it; null when open or completed on time. */
  lateWorkingDays: number | null;
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export const calendarDaysBetween = (from: LocalDate, to: LocalDate): number =>
  Math.round((toUtcDate(to).getTime() - toUtcDate(from).getTime()) / 86_400_000);

/** The latest fact dated on or before `on` (ties: the one recorded last). */
function latestOnOrBefore<T>(facts: T[], dateOf: (fact: T) => LocalDate, on: LocalDate): T | undefined {
  let latest: T | undefined;
  for (const fact of facts) if (dateOf(fact) <= on && (!latest || dateOf(fact) >= dateOf(latest))) latest = fact;
  return latest;
}

/**
 * Rules, in order (every rule that applies adds its reason; the colour is the first match):
 * 1 completed on or before `on` (and not reopened by then) -> blue ("completed on D, N working days late" when after the
 * due date in force); 2 `on` before startOn -> grey; 3 `on` after the due
 * date -> red once overdue by the plan's working days (amber before); 4 latest progress off-track -> red; 5 latest
 * progress at-risk -> amber; 6 due date revised later than the original -> amber; 7 no progress for longer than the
 * plan's no-update period (a calendar month by default; counting from startOn when none was ever reported) -> amber;
 * 8 otherwise green. Working days count with the calendar given (recorded bank holidays included).
 * Rules 2-5 and 7 describe work still to do, so they are not applied to a completed action;
 * its slippage (6) stays on the record.
 */
export function ragFor(facts: ActionFacts, on: LocalDate, context: RagContext = {}): ActionRagResult {
  const settings = context.settings ?? DEFAULT_RAG_SETTINGS;
  const calendar = context.calendar ?? PUBLISHED_CALENDAR;
  const matched: { rag: ActionRag; reason: string }[] = [];
  const revision = latestOnOrBefore(facts.dueDateRevisions, (r) => r.revisedOn, on);
  const dueOn = revision?.newDueOn ?? facts.originalDueOn;
  const completion = completionOn(facts, on);
  const completed = completion !== undefined;

  const slippedDays = calendarDaysBetween(facts.originalDueOn, dueOn);
  const slipped = slippedDays > 0 ? { rag: 'amber' as const, reason: `slipped ${counted(slippedDays, 'day')}` } : undefined;

  const lateWorkingDays =
    completion && completion.completedOn > dueOn ? calendar.workingDaysBetween(dueOn, completion.completedOn) : null;
  if (completion) {
    const late = lateWorkingDays ? `, ${counted(lateWorkingDays, 'working day')} late` : '';
    matched.push({ rag: 'blue', reason: `completed on ${dayInWords(completion.completedOn)}${late}` });
    if (completion.verifiedOn != null && completion.verifiedOn <= on) matched.push({ rag: 'blue', reason: 'verified' });
    if (slipped) matched.push(slipped);
  } else {
    const latest = latestOnOrBefore(facts.progress, (p) => p.reportedOn, on);
    if (on < facts.startOn) matched.push({ rag: 'grey', reason: 'not started' });
    if (on > dueOn) {
      const overdue = calendar.workingDaysBetween(dueOn, on);
      const reason = `overdue by ${counted(overdue, 'working day')}`;
      if (overdue >= settings.redFromWorkingDaysOverdue) matched.push({ rag: 'red', reason });
      else
        matched.push({
          rag: 'amber',
          reason: `${reason} (red from ${counted(settings.redFromWorkingDaysOverdue, 'working day')})`,
        });
    }
    if (latest?.confidence === 'off-track')
      matched.push({ rag: 'red', reason: `off track (update of ${dayInWords(latest.reportedOn)})` });
    if (latest?.confidence === 'at-risk')
      matched.push({ rag: 'amber', reason: `at risk (update of ${dayInWords(latest.reportedOn)})` });
    if (slipped) matched.push(slipped);
    const lastUpdate = latest?.reportedOn ?? facts.startOn;
    if (on > updateCoversUntil(lastUpdate, settings.noUpdateFor)) {
      matched.push({ rag: 'amber', reason: `no update for ${counted(calendarDaysBetween(lastUpdate, on), 'day')}` });
    }
  }

  if (matched.length === 0) return { rag: 'green', reasons: ['on track'], dueOn, open: true, lateWorkingDays: null };
  return { rag: matched[0].rag, reasons: matched.map((m) => m.reason), dueOn, open: !completed, lateWorkingDays };
}

/** Worst first, for "the RAG of a recommendation's worst open action". */
export const RAG_SEVERITY: Record<ActionRag, number> = { red: 4, amber: 3, green: 2, grey: 1, blue: 0 };

export interface RecommendationFacts {
  /** The day the recommendation is to be met by (from its timescale). */
  dueOn: LocalDate;
  /** The timescale in words, for the reason ("immediately", "within 3 months"). */
  timescaleText?: string;
  /** Each action answering it, with its RAG on the day asked about. */
  actions: {
    actionId: string;
    /** Its title, which names it in the reason (people read titles, not ids); the id when absent. */
    title?: string;
    rag: ActionRag;
    open: boolean;
    reasons?: string[];
    completedOn?: LocalDate | null;
  }[];
}

export interface RecommendationRagResult {
  rag: ActionRag;
  /** Why, in words, worst first. */
  reasons: string[];
  /** The open action that gives the colour (the worst one), if any. */
  worstActionId: string | null;
  /** At least one action answers it. */
  answered: boolean;
  /** Every action answering it was complete on the day. */
  met: boolean;
}

export const NO_ACTION_ANSWERS = 'no action answers this recommendation';

/**
 * RAG of an inspection recommendation for a day `on`, against its own timescale:
 * 1 no action answers it -> red once past its due date, amber before (flagged, never blank);
 * 2 every action complete -> blue, met (saying so when it was met after its timescale);
 * 3 past its due date with an action still open -> red, "past its timescale and not met";
 * 4 otherwise the RAG of its worst open action.
 */
export function recommendationRagFor(facts: RecommendationFacts, on: LocalDate): RecommendationRagResult {
  const timescale = facts.timescaleText ? `"${facts.timescaleText}", ` : '';
  const pastDue = on > facts.dueOn;
  const notMet = `past its timescale (${timescale}due ${dayInWords(facts.dueOn)}) and not met`;
  if (facts.actions.length === 0) {
    return {
      rag: pastDue ? 'red' : 'amber',
      reasons: pastDue ? [notMet, NO_ACTION_ANSWERS] : [NO_ACTION_ANSWERS],
      worstActionId: null,
      answered: false,
      met: false,
    };
  }
  const open = facts.actions.filter((a) => a.open);
  if (open.length === 0) {
    const metOn =
      facts.actions
        .map((a) => a.completedOn ?? '')
        .sort()
        .at(-1) ?? '';
    const late = metOn > facts.dueOn ? calendarDaysBetween(facts.dueOn, metOn) : 0;
    return {
      rag: 'blue',
      reasons: [
        'met: every action answering it is complete',
        ...(late > 0 ? [`met ${counted(late, 'day')} after its timescale`] : []),
      ],
      worstActionId: null,
      answered: true,
      met: true,
    };
  }
  const worst = open.reduce((w, a) => (RAG_SEVERITY[a.rag] > RAG_SEVERITY[w.rag] ? a : w));
  const worstName = worst.title ? `"${worst.title}"` : worst.actionId;
  const worstReasons = `worst open action ${worstName}: ${(worst.reasons ?? [worst.rag]).join('; ')}`;
  if (pastDue) {
    return {
      rag: 'red',
      reasons: [`${notMet}: ${open.length} of ${counted(facts.actions.length, 'action')} open`, worstReasons],
      worstActionId: worst.actionId,
      answered: true,
      met: false,
    };
  }
  return { rag: worst.rag, reasons: [worstReasons], worstActionId: worst.actionId, answered: true, met: false };
}

/**
 * "Amber drift": when the action is amber on `on` and has been amber every day for more than
 * the plan's escalation days, the words that flag it for escalation to the board; otherwise
 * null. Looks back at most a year and a day (an action amber all that time is flagged either way).
 */
export function amberEscalation(facts: ActionFacts, on: LocalDate, context: RagContext = {}): string | null {
  const afterDays = (context.settings ?? DEFAULT_RAG_SETTINGS).escalateAmberAfterDays;
  if (ragFor(facts, on, context).rag !== 'amber') return null;
  let since = on;
  for (let back = 1; back <= 367; back++) {
    const earlier = addDays(on, -back);
    if (ragFor(facts, earlier, context).rag !== 'amber') break;
    since = earlier;
  }
  const days = calendarDaysBetween(since, on);
  return days > afterDays
    ? `amber since ${dayInWords(since)} (${counted(days, 'day')}): escalate to the improvement board`
    : null;
}
