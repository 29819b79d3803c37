/**
 * RAG status of an improvement action, explained, for any day `on`. Computed from recorded
 * facts at the moment of asking, never stored, so it cannot go stale and the same code answers
 * "today" and "as at 30 June 2020".
 */
import { toUtcDate, type LocalDate } from './local-date';
import { workingDaysBetween } from './working-days';

export const ACTION_RAGS = ['blue', 'grey', 'red', 'amber', 'green'] as const;
export type ActionRag = (typeof ACTION_RAGS)[number];

export const CONFIDENCES = ['on-track', 'at-risk', 'off-track'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Days without a progress report after which an open action turns amber ("amber drift" guard). */
export const STALE_AFTER_DAYS = 30;

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
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export const calendarDaysBetween = (from: LocalDate, to: LocalDate): number =>
  Math.round((toUtcDate(to).getTime() - toUtcDate(from).getTime()) / 86_400_000);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The latest fact dated on or before `on` (ties: the one recorded last). */
function latestOnOrBefore<T>(facts: T[], dateOf: (fact: T) => LocalDate, on: LocalDate): T | undefined {
  let latest: T | undefined;
  for (const fact of facts) if (dateOf(fact) <= on && (!latest || dateOf(fact) >= dateOf(latest))) latest = fact;
  return latest;
}

/**
 * Rules, in order (every rule that applies adds its reason; the colour is the first match):
 * 1 completed on or before `on` (and not reopened by then) -> blue; 2 `on` before startOn -> grey; 3 `on` after the due
 * date -> red; 4 latest progress off-track -> red; 5 latest progress at-risk -> amber; 6 due
 * date revised later than the original -> amber; 7 no progress in the 30 days before `on`
 * (counting from startOn when none was ever reported) -> amber; 8 otherwise green.
 * Rules 2-5 and 7 describe work still to do, so they are not applied to a completed action;
 * its slippage (6) stays on the record.
 */
export function ragFor(facts: ActionFacts, on: LocalDate): ActionRagResult {
  const matched: { rag: ActionRag; reason: string }[] = [];
  const revision = latestOnOrBefore(facts.dueDateRevisions, (r) => r.revisedOn, on);
  const dueOn = revision?.newDueOn ?? facts.originalDueOn;
  const completion = completionOn(facts, on);
  const completed = completion !== undefined;

  const slippedDays = calendarDaysBetween(facts.originalDueOn, dueOn);
  const slipped = slippedDays > 0 ? { rag: 'amber' as const, reason: `slipped ${plural(slippedDays, 'day')}` } : undefined;

  if (completion) {
    matched.push({ rag: 'blue', reason: `completed on ${completion.completedOn}` });
    if (completion.verifiedOn != null && completion.verifiedOn <= on) matched.push({ rag: 'blue', reason: 'verified' });
    if (slipped) matched.push(slipped);
  } else {
    const latest = latestOnOrBefore(facts.progress, (p) => p.reportedOn, on);
    if (on < facts.startOn) matched.push({ rag: 'grey', reason: 'not started' });
    if (on > dueOn) {
      matched.push({ rag: 'red', reason: `overdue by ${plural(workingDaysBetween(dueOn, on), 'working day')}` });
    }
    if (latest?.confidence === 'off-track') matched.push({ rag: 'red', reason: `off track (update of ${latest.reportedOn})` });
    if (latest?.confidence === 'at-risk') matched.push({ rag: 'amber', reason: `at risk (update of ${latest.reportedOn})` });
    if (slipped) matched.push(slipped);
    const quietDays = calendarDaysBetween(latest?.reportedOn ?? facts.startOn, on);
    if (quietDays > STALE_AFTER_DAYS) matched.push({ rag: 'amber', reason: `no update for ${plural(quietDays, 'day')}` });
  }

  if (matched.length === 0) return { rag: 'green', reasons: ['on track'], dueOn, open: true };
  return { rag: matched[0].rag, reasons: matched.map((m) => m.reason), dueOn, open: !completed };
}

/** Worst first, for "the RAG of a recommendation's worst open action". */
export const RAG_SEVERITY: Record<ActionRag, number> = { red: 4, amber: 3, green: 2, grey: 1, blue: 0 };

export interface RecommendationFacts {
  /** The day the recommendation is to be met by (from its timescale). */
  dueOn: LocalDate;
  /** The timescale in words, for the reason ("immediately", "within 3 months"). */
  timescaleText?: string;
  /** Each action answering it, with its RAG on the day asked about. */
  actions: { actionId: string; rag: ActionRag; open: boolean; reasons?: string[]; completedOn?: LocalDate | null }[];
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
  const notMet = `past its timescale (${timescale}due ${facts.dueOn}) and not met`;
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
        ...(late > 0 ? [`met ${plural(late, 'day')} after its timescale`] : []),
      ],
      worstActionId: null,
      answered: true,
      met: true,
    };
  }
  const worst = open.reduce((w, a) => (RAG_SEVERITY[a.rag] > RAG_SEVERITY[w.rag] ? a : w));
  const worstReasons = `worst open action ${worst.actionId}: ${(worst.reasons ?? [worst.rag]).join('; ')}`;
  if (pastDue) {
    return {
      rag: 'red',
      reasons: [`${notMet}: ${open.length} of ${plural(facts.actions.length, 'action')} open`, worstReasons],
      worstActionId: worst.actionId,
      answered: true,
      met: false,
    };
  }
  return { rag: worst.rag, reasons: [worstReasons], worstActionId: worst.actionId, answered: true, met: false };
}

/** Days an action may stay amber before it is flagged for escalation (the "amber drift" guard). */
export const ESCALATE_AMBER_AFTER_DAYS = 60;

/**
 * "Amber drift": when the action is amber on `on` and has been amber every day for more than
 * `afterDays` days, the words that flag it for escalation to the board; otherwise null. Looks
 * back at most a year (an action amber all that time is flagged either way).
 */
export function amberEscalation(facts: ActionFacts, on: LocalDate, afterDays = ESCALATE_AMBER_AFTER_DAYS): string | null {
  if (ragFor(facts, on).rag !== 'amber') return null;
  let since = on;
  for (let back = 1; back <= 366; back++) {
    const day = toUtcDate(on);
    day.setUTCDate(day.getUTCDate() - back);
    const earlier = day.toISOString().slice(0, 10);
    if (ragFor(facts, earlier).rag !== 'amber') break;
    since = earlier;
  }
  const days = calendarDaysBetween(since, on);
  return days > afterDays ? `amber since ${since} (${plural(days, 'day')}): escalate to the improvement board` : null;
}
