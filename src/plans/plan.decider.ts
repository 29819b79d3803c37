import {
  addWorkingDays,
  assertNever,
  assertNotInFuture,
  ConflictError,
  NotFoundError,
  RuleBrokenError,
  type Decider,
  type LocalDate,
} from '@casetrail/kernel';
import { PLAN_EVENT_SCHEMA_VERSIONS, type PlanEvent, type PlanTrigger, type Timescale } from './plans.events';

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
    };

export type PlanState =
  | { status: 'none' }
  | {
      status: 'active';
      planId: string;
      triggerDate: LocalDate;
      priorities: { priorityId: string; title: string }[];
      recommendationIds: string[];
    };

export class PlanAlreadyExists extends ConflictError {
  readonly code = 'PLAN_ALREADY_EXISTS';
  constructor(planId: string) {
    super(`An improvement plan with the id "${planId}" already exists.`);
  }
}
export class PlanNotFound extends NotFoundError {
  readonly code = 'PLAN_NOT_FOUND';
  constructor(planId: string) {
    super(`There is no improvement plan "${planId}".`);
  }
}
export class PlanOwnerUnknown extends RuleBrokenError {
  readonly code = 'PLAN_OWNER_UNKNOWN';
  constructor(ownerId: string) {
    super(`The plan owner "${ownerId}" is not an active Casetrail user.`);
  }
}
export class JudgementOnlyFromInspection extends RuleBrokenError {
  readonly code = 'JUDGEMENT_ONLY_FROM_INSPECTION';
  constructor(kind: string) {
    super(`Only an Ofsted inspection gives a judgement; a ${kind} does not.`);
  }
}
export class PriorityAlreadyExists extends ConflictError {
  readonly code = 'PRIORITY_ALREADY_EXISTS';
  constructor(what: string) {
    super(`The plan already has the priority ${what}.`);
  }
}
export class RecommendationAlreadyExists extends ConflictError {
  readonly code = 'RECOMMENDATION_ALREADY_EXISTS';
  constructor(recommendationId: string) {
    super(`The plan already has a recommendation with the id "${recommendationId}".`);
  }
}
export class DueDateSetByTimescale extends RuleBrokenError {
  readonly code = 'DUE_DATE_SET_BY_TIMESCALE';
  constructor(timescale: string) {
    super(
      `The due date of a recommendation to be met "${timescale}" follows from the inspection date; leave dueOn out, or use the timescale "date".`,
    );
  }
}
export class DueDateRequired extends RuleBrokenError {
  readonly code = 'DUE_DATE_REQUIRED';
  constructor() {
    super('A recommendation with the timescale "date" needs its due date (dueOn).');
  }
}
export class RecommendationDueBeforeTrigger extends RuleBrokenError {
  readonly code = 'RECOMMENDATION_DUE_BEFORE_TRIGGER';
  constructor(dueOn: string, triggerDate: string) {
    super(`A recommendation cannot be due on ${dueOn}, before the inspection or review that made it (${triggerDate}).`);
  }
}

/** The same day `months` calendar months later; the month's last day when it is shorter (31 Aug + 3 = 30 Nov). */
export function addCalendarMonths(date: LocalDate, months: number): LocalDate {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
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

function existingPlan(state: PlanState, planId: string): Extract<PlanState, { status: 'active' }> {
  if (state.status === 'none') throw new PlanNotFound(planId);
  return state;
}

export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = {
  name: 'plan',
  initialState: { status: 'none' },
  schemaVersions: PLAN_EVENT_SCHEMA_VERSIONS,

  decide(command, state) {
    switch (command.type) {
      case 'CreatePlan': {
        if (state.status !== 'none') throw new PlanAlreadyExists(command.planId);
        assertNotInFuture('trigger.date', command.trigger.date, command.now);
        if (command.trigger.judgement && command.trigger.kind !== 'ofsted-inspection') {
          throw new JudgementOnlyFromInspection(command.trigger.kind);
        }
        if (!command.ownerKnown) throw new PlanOwnerUnknown(command.ownerId);
        const { planId, title, trigger, ownerId } = command;
        return [{ type: 'ImprovementPlanCreated', data: { planId, title, trigger, ownerId } }];
      }
      case 'AddPriority': {
        const plan = existingPlan(state, command.planId);
        const { planId, priorityId, title } = command;
        if (plan.priorities.some((p) => p.priorityId === priorityId)) throw new PriorityAlreadyExists(`"${priorityId}"`);
        if (plan.priorities.some((p) => p.title.toLowerCase() === title.toLowerCase())) {
          throw new PriorityAlreadyExists(`"${title}"`);
        }
        return [{ type: 'PriorityAdded', data: { planId, priorityId, title } }];
      }
      case 'AddRecommendation': {
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
        return [{ type: 'RecommendationAdded', data: { planId, recommendationId, text, timescale, dueOn } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ImprovementPlanCreated':
        return {
          status: 'active',
          planId: event.data.planId,
          triggerDate: event.data.trigger.date,
          priorities: [],
          recommendationIds: [],
        };
      case 'PriorityAdded':
        return state.status === 'none'
          ? state
          : { ...state, priorities: [...state.priorities, { priorityId: event.data.priorityId, title: event.data.title }] };
      case 'RecommendationAdded':
        return state.status === 'none'
          ? state
          : { ...state, recommendationIds: [...state.recommendationIds, event.data.recommendationId] };
      default:
        return state;
    }
  },
};
