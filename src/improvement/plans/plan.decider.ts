import {
  addCalendarMonths,
  addWorkingDays,
  assertNever,
  assertNotInFuture,
  dayInWords,
  RAG_SETTING_LIMITS,
  dayOf,
  recordDeciderOf,
  existingRecord,
  type LocalDate,
  type RagSettings,
  notFound,
  conflict,
  ruleBroken,
} from '@casetrail/kernel';
import { PLAN_EVENT_SCHEMA_VERSIONS, TRIGGER_TEXT, type PlanEvent, type PlanTrigger, type Timescale } from './plans.events';

export type PlanCommand =
  | { type: 'CreatePlan'; now: string; planId: string; title: string; trigger: PlanTrigger; ownerId: string; ownerKnown: boolean }
  | { type: 'AddPriority'; now: string; planId: string; priorityId: string; title: string }
  | {
      type: 'AddRecommendation';
      now: string;
      planId: string;
      recommendationId: string;
      text: string;
      timescale: Timescale;
      dueOn?: string;
      /** The lead: a user (ownerKnown says whether active) or a named partner agency; or neither. */
      ownerId?: string;
      ownerKnown?: boolean;
      ownerAgency?: string;
    }
  | { type: 'ChangeRagSettings'; now: string; planId: string; settings: RagSettings; reason: string }
  | { type: 'SubmitActionPlan'; now: string; planId: string; submittedOn: string }
  /** The report of an inspection the plan was started from is published after the plan was made. */
  | { type: 'RecordReportPublication'; now: string; planId: string; publishedOn: string };

export type PlanState =
  | { status: 'none' }
  | {
      status: 'active';
      planId: string;
      triggerDate: LocalDate;
      triggerKind: PlanTrigger['kind'];
      /** The inspection's last day on site (or its date): the report is published on or after it. */
      lastOnSite: LocalDate;
      publishedOn?: LocalDate;
      submittedOn?: LocalDate;
      priorities: { priorityId: string; title: string }[];
      recommendationIds: string[];
    };

/** "a peer review", "an Ofsted focused visit". */
const aOrAn = (words: string): string => `${/^[aeiou]/i.test(words) ? 'an' : 'a'} ${words}`;

export class PlanAlreadyExists extends conflict(
  'PLAN_ALREADY_EXISTS',
  (planId: string) => `An improvement plan with the id "${planId}" already exists.`,
) {}
export class PlanNotFound extends notFound('PLAN_NOT_FOUND', (planId: string) => `There is no improvement plan "${planId}".`) {}
export class PlanOwnerUnknown extends ruleBroken(
  'PLAN_OWNER_UNKNOWN',
  (ownerId: string) => `The plan owner "${ownerId}" is not an active Casetrail user.`,
) {}
export class JudgementOnlyFromInspection extends ruleBroken(
  'JUDGEMENT_ONLY_FROM_INSPECTION',
  (kind: string) => `Only an Ofsted inspection gives a judgement; ${aOrAn(kind)} does not.`,
) {}
export class PriorityAlreadyExists extends conflict(
  'PRIORITY_ALREADY_EXISTS',
  (what: string) => `The plan already has the priority ${what}.`,
) {}
export class RecommendationAlreadyExists extends conflict(
  'RECOMMENDATION_ALREADY_EXISTS',
  (recommendationId: string) => `The plan already has a recommendation with the id "${recommendationId}".`,
) {}
export class DueDateSetByTimescale extends ruleBroken(
  'DUE_DATE_SET_BY_TIMESCALE',
  (timescale: string) =>
    `The due date of a recommendation to be met "${timescale}" follows from the inspection date; leave dueOn out, or use the timescale "date".`,
) {}
export class DueDateRequired extends ruleBroken(
  'DUE_DATE_REQUIRED',
  () => 'A recommendation with the timescale "date" needs its due date (dueOn).',
) {}
export class RecommendationDueBeforeTrigger extends ruleBroken(
  'RECOMMENDATION_DUE_BEFORE_TRIGGER',
  (dueOn: string, triggerDate: string) =>
    `A recommendation cannot be due on ${dayInWords(dueOn)}, before the inspection or review that made it (${dayInWords(triggerDate)}).`,
) {}

export { addCalendarMonths } from '@casetrail/kernel';

export class OnlyAnInspectionIsJudgedByArea extends ruleBroken(
  'AREA_JUDGEMENTS_ONLY_FROM_INSPECTION',
  (kind: string) => `Only an Ofsted inspection judges each area; ${aOrAn(kind)} does not.`,
) {}
export class InspectionDatesOnlyForInspection extends ruleBroken(
  'INSPECTION_DATES_ONLY_FOR_INSPECTION',
  (kind: string) => `Start, end and publication dates are an Ofsted inspection's; ${aOrAn(kind)} does not have them.`,
) {}
export class InspectionDatesOutOfOrder extends ruleBroken('INSPECTION_DATES_OUT_OF_ORDER', (message: string) => message) {}
export class RagSettingInvalid extends ruleBroken('RAG_SETTING_INVALID', (message: string) => message) {}
export class OwnerIsUserOrAgency extends ruleBroken(
  'OWNER_IS_USER_OR_AGENCY',
  () => 'Name either a Casetrail user or a partner agency as the owner, not both.',
) {}
export class RecommendationOwnerUnknown extends ruleBroken(
  'RECOMMENDATION_OWNER_UNKNOWN',
  (ownerId: string) =>
    `The recommendation owner "${ownerId}" is not an active Casetrail user; name a partner agency instead if they are not a user.`,
) {}
export class NotAnInspectionPlan extends ruleBroken(
  'NOT_AN_INSPECTION_PLAN',
  () => 'Only a plan answering a published Ofsted inspection report is submitted to Ofsted; record the publication date first.',
) {}
export class ActionPlanAlreadySubmitted extends conflict(
  'ACTION_PLAN_ALREADY_SUBMITTED',
  (submittedOn: string) => `The action plan was already submitted to Ofsted on ${dayInWords(submittedOn)}.`,
) {}
export class ReportPublicationAlreadyRecorded extends conflict(
  'REPORT_PUBLICATION_ALREADY_RECORDED',
  (publishedOn: string) => `The inspection report's publication was already recorded: ${dayInWords(publishedOn)}.`,
) {}
export class SubmittedBeforePublication extends ruleBroken(
  'SUBMITTED_BEFORE_PUBLICATION',
  (submittedOn: string, publishedOn: string) =>
    `The action plan cannot be submitted on ${dayInWords(submittedOn)}, before the inspection report was published (${dayInWords(publishedOn)}).`,
) {}

/** The board's words for a RAG setting out of range: "Enter a whole number of working days from 0 to 60". */
export function ragSettingsProblem(settings: RagSettings): string | null {
  const whole = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;
  const red = RAG_SETTING_LIMITS.redFromWorkingDaysOverdue;
  if (!whole(settings.redFromWorkingDaysOverdue, red.min, red.max)) {
    return `Red from how many working days overdue: enter a whole number from ${red.min} (red from the first day after the due date) to ${red.max}.`;
  }
  const period = settings.noUpdateFor;
  if (period.unit !== 'months' && period.unit !== 'days') return 'No update for: choose calendar months or days.';
  const limits = RAG_SETTING_LIMITS.noUpdateFor[period.unit];
  if (!whole(period.count, limits.min, limits.max)) {
    return `No update for: enter a whole number of ${period.unit === 'months' ? 'calendar months' : 'days'} from ${limits.min} to ${limits.max}.`;
  }
  const escalate = RAG_SETTING_LIMITS.escalateAmberAfterDays;
  if (!whole(settings.escalateAmberAfterDays, escalate.min, escalate.max)) {
    return `Escalate amber after: enter a whole number of days from ${escalate.min} to ${escalate.max}.`;
  }
  return null;
}

function checkTrigger(trigger: PlanTrigger, now: string): void {
  assertNotInFuture('trigger.date', trigger.date, now);
  const kind = TRIGGER_TEXT[trigger.kind];
  if (trigger.judgement && trigger.kind !== 'ofsted-inspection') throw new JudgementOnlyFromInspection(kind);
  if (trigger.areaJudgements && Object.keys(trigger.areaJudgements).length && trigger.kind !== 'ofsted-inspection') {
    throw new OnlyAnInspectionIsJudgedByArea(kind);
  }
  const { startOn, endOn, publishedOn } = trigger;
  if ((startOn || endOn || publishedOn) && trigger.kind !== 'ofsted-inspection') throw new InspectionDatesOnlyForInspection(kind);
  if (startOn) assertNotInFuture('trigger.startOn', startOn, now);
  if (endOn) assertNotInFuture('trigger.endOn', endOn, now);
  if (publishedOn) assertNotInFuture('trigger.publishedOn', publishedOn, now);
  if (startOn && endOn && endOn < startOn) {
    throw new InspectionDatesOutOfOrder(
      `The inspection cannot end on ${dayInWords(endOn)}, before it started on ${dayInWords(startOn)}.`,
    );
  }
  const lastOnSite = endOn ?? startOn;
  if (lastOnSite && publishedOn && publishedOn < lastOnSite) {
    throw new InspectionDatesOutOfOrder(
      `The report cannot be published on ${dayInWords(publishedOn)}, before the inspection ended (${dayInWords(lastOnSite)}).`,
    );
  }
}

/** immediately = 5 working days, within 3 or 6 months = calendar months, all from the trigger date. */
export function recommendationDueOn(timescale: Exclude<Timescale, 'date'>, triggerDate: LocalDate): LocalDate {
  switch (timescale) {
    case 'immediately':
      return addWorkingDays(triggerDate, 5);
    case 'within-3-months':
      return addCalendarMonths(triggerDate, 3);
    case 'within-6-months':
      return addCalendarMonths(triggerDate, 6);
    default:
      return assertNever(timescale);
  }
}

const existingPlan = (state: PlanState, planId: string) => existingRecord(state, () => new PlanNotFound(planId));

export const planDecider = recordDeciderOf<PlanCommand, PlanEvent, PlanState>('plan', PLAN_EVENT_SCHEMA_VERSIONS, {
  alreadyExists: { CreatePlan: (command) => new PlanAlreadyExists(command.planId) },

  decide: {
    CreatePlan(command) {
      checkTrigger(command.trigger, command.now);
      if (!command.ownerKnown) throw new PlanOwnerUnknown(command.ownerId);
      const { planId, title, trigger, ownerId } = command;
      return [{ type: 'ImprovementPlanCreated', data: { planId, title, trigger, ownerId } }];
    },
    AddPriority(command, state) {
      const plan = existingPlan(state, command.planId);
      const { planId, priorityId, title } = command;
      if (plan.priorities.some((p) => p.priorityId === priorityId)) throw new PriorityAlreadyExists(`"${priorityId}"`);
      if (plan.priorities.some((p) => p.title.toLowerCase() === title.toLowerCase())) {
        throw new PriorityAlreadyExists(`"${title}"`);
      }
      return [{ type: 'PriorityAdded', data: { planId, priorityId, title } }];
    },
    AddRecommendation(command, state) {
      const plan = existingPlan(state, command.planId);
      const { planId, recommendationId, text, timescale } = command;
      if (plan.recommendationIds.includes(recommendationId)) throw new RecommendationAlreadyExists(recommendationId);
      let dueOn: LocalDate;
      if (timescale === 'date') {
        if (!command.dueOn) throw new DueDateRequired();
        dueOn = command.dueOn;
      } else {
        if (command.dueOn) throw new DueDateSetByTimescale(timescale);
        dueOn = recommendationDueOn(timescale, plan.triggerDate);
      }
      if (dueOn < plan.triggerDate) throw new RecommendationDueBeforeTrigger(dueOn, plan.triggerDate);
      const { ownerId, ownerAgency } = command;
      if (ownerId && ownerAgency) throw new OwnerIsUserOrAgency();
      if (ownerId && !command.ownerKnown) throw new RecommendationOwnerUnknown(ownerId);
      const owner = ownerId ? { ownerId } : ownerAgency ? { ownerAgency } : {};
      return [{ type: 'RecommendationAdded', data: { planId, recommendationId, text, timescale, dueOn, ...owner } }];
    },
    ChangeRagSettings(command, state) {
      existingPlan(state, command.planId);
      const problem = ragSettingsProblem(command.settings);
      if (problem) throw new RagSettingInvalid(problem);
      const { planId, reason } = command;
      const { redFromWorkingDaysOverdue, noUpdateFor, escalateAmberAfterDays } = command.settings;
      const settings = {
        redFromWorkingDaysOverdue,
        noUpdateFor: { count: noUpdateFor.count, unit: noUpdateFor.unit },
        escalateAmberAfterDays,
      };
      return [{ type: 'PlanRagSettingsChanged', data: { planId, settings, changedOn: dayOf(command.now), reason } }];
    },
    SubmitActionPlan(command, state) {
      const plan = existingPlan(state, command.planId);
      if (plan.triggerKind !== 'ofsted-inspection' || !plan.publishedOn) throw new NotAnInspectionPlan();
      if (plan.submittedOn) throw new ActionPlanAlreadySubmitted(plan.submittedOn);
      assertNotInFuture('submittedOn', command.submittedOn, command.now);
      if (command.submittedOn < plan.publishedOn) throw new SubmittedBeforePublication(command.submittedOn, plan.publishedOn);
      return [{ type: 'ActionPlanSubmitted', data: { planId: command.planId, submittedOn: command.submittedOn } }];
    },
    RecordReportPublication(command, state) {
      const plan = existingPlan(state, command.planId);
      const { planId, publishedOn } = command;
      if (plan.triggerKind !== 'ofsted-inspection') throw new InspectionDatesOnlyForInspection(TRIGGER_TEXT[plan.triggerKind]);
      if (plan.publishedOn) throw new ReportPublicationAlreadyRecorded(plan.publishedOn);
      assertNotInFuture('publishedOn', publishedOn, command.now);
      if (publishedOn < plan.lastOnSite) {
        throw new InspectionDatesOutOfOrder(
          `The report cannot be published on ${dayInWords(publishedOn)}, before the inspection ended (${dayInWords(plan.lastOnSite)}).`,
        );
      }
      return [{ type: 'InspectionReportPublished', data: { planId, publishedOn } }];
    },
  },

  evolve: {
    ImprovementPlanCreated(_state, event) {
      return {
        status: 'active',
        planId: event.data.planId,
        triggerDate: event.data.trigger.date,
        triggerKind: event.data.trigger.kind,
        lastOnSite: event.data.trigger.endOn ?? event.data.trigger.startOn ?? event.data.trigger.date,
        ...(event.data.trigger.publishedOn ? { publishedOn: event.data.trigger.publishedOn } : {}),
        priorities: [],
        recommendationIds: [],
      };
    },
    PriorityAdded: (state, event) =>
      state.status === 'none'
        ? state
        : { ...state, priorities: [...state.priorities, { priorityId: event.data.priorityId, title: event.data.title }] },
    RecommendationAdded: (state, event) =>
      state.status === 'none'
        ? state
        : { ...state, recommendationIds: [...state.recommendationIds, event.data.recommendationId] },
    ActionPlanSubmitted: (state, event) => (state.status === 'none' ? state : { ...state, submittedOn: event.data.submittedOn }),
    InspectionReportPublished: (state, event) =>
      state.status === 'none' ? state : { ...state, publishedOn: event.data.publishedOn },
  },
});
