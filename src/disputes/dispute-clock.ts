/**
 * The DR clock: due dates, overdue and over-target, answered for any day `on` from the
 * recorded facts alone (never stored as flags, which would go stale). Pure: no I/O, no clock.
 */
import { PUBLISHED_CALENDAR, type LocalDate, type WorkingDayCalendar } from '@casetrail/kernel';
import type { DisputeCategory, DisputeOutcome, DisputeProtocol } from './disputes.events';

export interface StageResponseFacts {
  respondentId: string;
  respondentName: string | null;
  respondedOn: LocalDate;
  response: string;
  satisfactory: boolean | null;
}

export interface StageEntryFacts {
  stage: string;
  enteredOn: LocalDate;
  /** Stages skipped on the way here (escalations only). */
  bypassed: string[];
  /** Why it was escalated here (null for the stage it was raised at). */
  reason: string | null;
  response: StageResponseFacts | null;
}

export type StatusChange =
  | { status: 'resolved'; on: LocalDate; outcome: DisputeOutcome; note: string }
  | { status: 'open'; on: LocalDate; reason: string };

/** What the read model keeps about one DR: everything the clock and the statistics need. */
export interface DisputeFacts {
  disputeId: string;
  teamId: string;
  category: DisputeCategory;
  raisedOn: LocalDate;
  protocol: DisputeProtocol;
  /** In the order entered. */
  stages: StageEntryFacts[];
  /** Resolutions and reopenings, in the order recorded. */
  statusChanges: StatusChange[];
  cafcassReferral: { referredOn: LocalDate; reason: string; afterLocalProcess?: boolean } | null;
}

export interface StageClock extends StageEntryFacts {
  title: string;
  respondentRole: string;
  /**
   * The day this stage's clock last (re)started, as at `on`: the day the DR entered the stage, or
   * the latest reopening while the DR was at this stage (a reopening restarts the stage clock).
   */
  clockStartedOn: LocalDate;
  /** Set when a reopening restarted the clock: the day of that reopening. */
  restartedOn: LocalDate | null;
  /** `responseWorkingDays` after `clockStartedOn`, that day not counted. */
  dueOn: LocalDate;
  /** The day the DR moved on from this stage (escalated or resolved), as at `on`; null while current. */
  leftOn: LocalDate | null;
  /** Waited past its due date for a response: still waiting on `on`, answered late, or left unanswered after it. */
  overdue: boolean;
  workingDaysOverdue: number;
}

export interface DisputeClock {
  on: LocalDate;
  /** As at `on`: not-raised when `on` is before the DR was raised. */
  status: 'open' | 'resolved' | 'not-raised';
  stage: string;
  dueOn: LocalDate;
  /** Open, and the current stage is past its due date with no response. */
  overdue: boolean;
  workingDaysOverdue: number;
  formal: boolean;
  becameFormalOn: LocalDate | null;
  formalTargetOn: LocalDate | null;
  /** Formal and not resolved after its target date. */
  overTarget: boolean;
  resolvedOn: LocalDate | null;
  outcome: DisputeOutcome | null;
  /** For a resolved formal DR: resolved on or before its target date. */
  resolvedWithinTarget: boolean | null;
  stages: StageClock[];
}

const stageOf = (protocol: DisputeProtocol, key: string) => {
  const stage = protocol.stages.find((s) => s.key === key);
  if (!stage) throw new Error(`Stage ${key} is not in protocol version ${protocol.version}`);
  return stage;
};

/** "N working days after the day the DR entered the stage, that day not counted". */
export const stageDueOn = (
  protocol: DisputeProtocol,
  stage: string,
  enteredOn: LocalDate,
  calendar: WorkingDayCalendar = PUBLISHED_CALENDAR,
): LocalDate => calendar.addWorkingDays(enteredOn, stageOf(protocol, stage).responseWorkingDays);

const minDate = (...dates: (LocalDate | null)[]): LocalDate =>
  dates.filter((d): d is LocalDate => d !== null).reduce((a, b) => (a < b ? a : b));

/** The last resolution or reopening on or before `on` (null when none). */
export function statusAt(facts: DisputeFacts, on: LocalDate): StatusChange | null {
  let last: StatusChange | null = null;
  for (const change of facts.statusChanges) if (change.on <= on) last = change;
  return last;
}

/**
 * The DR's status on `on`, as its clock gives it (not-raised before it entered a stage, resolved
 * when the last resolution or reopening by then is a resolution): cheap, so a list filtered by
 * status runs the clock only for the DRs it shows.
 */
export function statusOn(facts: DisputeFacts, on: LocalDate): DisputeClock['status'] {
  if (!facts.stages.some((s) => s.enteredOn <= on)) return 'not-raised';
  return statusAt(facts, on)?.status === 'resolved' ? 'resolved' : 'open';
}

export function becameFormalOn(facts: DisputeFacts, on: LocalDate): LocalDate | null {
  const informal = facts.protocol.stages[0].key;
  return facts.stages.find((s) => s.stage !== informal && s.enteredOn <= on)?.enteredOn ?? null;
}

/**
 * The latest reopening, on or before `on`, made while the DR was at a stage entered on `enteredOn`
 * and not yet left (`leftOn`, or still there): reopening restarts that stage's clock.
 */
export function restartedOn(
  facts: DisputeFacts,
  enteredOn: LocalDate,
  leftOn: LocalDate | null,
  on: LocalDate,
): LocalDate | null {
  let latest: LocalDate | null = null;
  for (const change of facts.statusChanges) {
    if (change.status !== 'open' || change.on > on || change.on < enteredOn) continue;
    if (leftOn !== null && change.on > leftOn) continue;
    if (latest === null || change.on > latest) latest = change.on;
  }
  return latest;
}

/** `calendar`: the working-day calendar with the bank holidays an administrator recorded (published ones by default). */
export function disputeClock(
  facts: DisputeFacts,
  on: LocalDate,
  calendar: WorkingDayCalendar = PUBLISHED_CALENDAR,
): DisputeClock {
  const entered = facts.stages.filter((s) => s.enteredOn <= on);
  const change = statusAt(facts, on);
  const resolution = change?.status === 'resolved' ? change : null;
  const stages = (entered.length ? entered : facts.stages.slice(0, 1)).map((entry, i, all): StageClock => {
    const { title, respondentRole } = stageOf(facts.protocol, entry.stage);
    const next = all[i + 1];
    const leftOn = next ? next.enteredOn : (resolution?.on ?? null);
    // A DR reopened while at this stage is given the stage's full time again, from the reopening day.
    const restarted = restartedOn(facts, entry.enteredOn, next ? next.enteredOn : null, on);
    const clockStartedOn = restarted ?? entry.enteredOn;
    const dueOn = stageDueOn(facts.protocol, entry.stage, clockStartedOn, calendar);
    const respondedOn = entry.response && entry.response.respondedOn <= on ? entry.response.respondedOn : null;
    // The stage waited for an answer until it was answered, left, or until `on`, whichever came first.
    const waitedUntil = minDate(respondedOn, leftOn, on);
    const overdue = waitedUntil > dueOn;
    return {
      ...entry,
      response: respondedOn ? entry.response : null,
      title,
      respondentRole,
      clockStartedOn,
      restartedOn: restarted,
      dueOn,
      leftOn,
      overdue,
      workingDaysOverdue: overdue ? calendar.workingDaysBetween(dueOn, waitedUntil) : 0,
    };
  });
  const current = stages[stages.length - 1];
  const status = statusOn(facts, on);
  const formalOn = becameFormalOn(facts, on);
  const formalTargetOn = formalOn ? calendar.addWorkingDays(formalOn, facts.protocol.formalTargetWorkingDays) : null;
  const currentOverdue = status === 'open' && current.response === null && on > current.dueOn;
  return {
    on,
    status,
    stage: current.stage,
    dueOn: current.dueOn,
    overdue: currentOverdue,
    workingDaysOverdue: currentOverdue ? current.workingDaysOverdue : 0,
    formal: formalOn !== null,
    becameFormalOn: formalOn,
    formalTargetOn,
    overTarget: status === 'open' && formalTargetOn !== null && on > formalTargetOn,
    resolvedOn: resolution?.on ?? null,
    outcome: resolution?.outcome ?? null,
    resolvedWithinTarget: resolution && formalTargetOn ? resolution.on <= formalTargetOn : null,
    stages,
  };
}
