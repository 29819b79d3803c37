import { BusinessDateInFuture } from '@casetrail/kernel';
import { deciderSpec } from '@casetrail/testing';
import {
  addCalendarMonths,
  DueDateRequired,
  DueDateSetByTimescale,
  JudgementOnlyFromInspection,
  PlanAlreadyExists,
  PlanNotFound,
  PlanOwnerUnknown,
  planDecider,
  PriorityAlreadyExists,
  RecommendationAlreadyExists,
  RecommendationDueBeforeTrigger,
} from './plan.decider';
import type { PlanEvent } from './plans.events';

const now = '2020-08-03T10:00:00.000Z';
const trigger = { kind: 'ofsted-inspection' as const, date: '2020-07-03', judgement: 'inadequate' as const };
const created: PlanEvent = {
  type: 'ImprovementPlanCreated',
  data: { planId: 'sip-2020', title: 'Safeguarding improvement plan', trigger, ownerId: 'u-lead' },
};
const priority: PlanEvent = {
  type: 'PriorityAdded',
  data: { planId: 'sip-2020', priorityId: 'p1', title: 'Frontline practice' },
};
const create = {
  type: 'CreatePlan' as const,
  now,
  planId: 'sip-2020',
  title: 'Safeguarding improvement plan',
  trigger,
  ownerId: 'u-lead',
};
const recommend = (timescale: 'immediately' | 'within-3-months' | 'within-6-months' | 'date', dueOn?: string) => ({
  type: 'AddRecommendation' as const,
  now,
  planId: 'sip-2020',
  recommendationId: 'r1',
  text: 'Ensure that assessments contain an explicit assessment of risk',
  timescale,
  ...(dueOn ? { dueOn } : {}),
});
const { given } = deciderSpec(planDecider);

describe('plan decider', () => {
  it('a plan is created from the inspection that triggered it', () =>
    given([])
      .when({ ...create, ownerKnown: true })
      .then([created]));

  it('a plan id cannot be used twice', () =>
    given([created])
      .when({ ...create, ownerKnown: true })
      .thenThrows(PlanAlreadyExists));

  it('the trigger date cannot be in the future', () =>
    given([])
      .when({ ...create, ownerKnown: true, trigger: { ...trigger, date: '2020-08-05' } })
      .thenThrows(BusinessDateInFuture, /trigger.date 2020-08-05/));

  it('only an Ofsted inspection gives a judgement', () =>
    given([])
      .when({ ...create, ownerKnown: true, trigger: { kind: 'peer-review', date: '2020-07-03', judgement: 'good' } })
      .thenThrows(JudgementOnlyFromInspection));

  it('the plan owner must be an active user', () =>
    given([])
      .when({ ...create, ownerKnown: false })
      .thenThrows(PlanOwnerUnknown));

  it('a priority is added to an existing plan', () =>
    given([created])
      .when({ type: 'AddPriority', now, planId: 'sip-2020', priorityId: 'p1', title: 'Frontline practice' })
      .then([priority]));

  it('a priority needs a plan', () =>
    given([]).when({ type: 'AddPriority', now, planId: 'sip-2020', priorityId: 'p1', title: 'X' }).thenThrows(PlanNotFound));

  it('a plan cannot have two priorities with the same id or title', () => {
    given([created, priority])
      .when({ type: 'AddPriority', now, planId: 'sip-2020', priorityId: 'p1', title: 'Other' })
      .thenThrows(PriorityAlreadyExists);
    given([created, priority])
      .when({ type: 'AddPriority', now, planId: 'sip-2020', priorityId: 'p2', title: 'frontline PRACTICE' })
      .thenThrows(PriorityAlreadyExists);
  });

  it('"immediately" is due 5 working days after the inspection', () =>
    // Friday 3 July 2020 + 5 working days = Friday 10 July.
    given([created])
      .when(recommend('immediately'))
      .then([
        {
          type: 'RecommendationAdded',
          data: {
            planId: 'sip-2020',
            recommendationId: 'r1',
            text: 'Ensure that assessments contain an explicit assessment of risk',
            timescale: 'immediately',
            dueOn: '2020-07-10',
          },
        },
      ]));

  it('"within 3 months" and "within 6 months" are calendar months after the inspection', () => {
    const dueOn = (events: PlanEvent[]) => (events[0].data as { dueOn: string }).dueOn;
    expect(dueOn(planDecider.decide(recommend('within-3-months'), planDecider.evolve(planDecider.initialState, created)))).toBe(
      '2020-10-03',
    );
    expect(dueOn(planDecider.decide(recommend('within-6-months'), planDecider.evolve(planDecider.initialState, created)))).toBe(
      '2021-01-03',
    );
    expect(addCalendarMonths('2020-08-31', 3)).toBe('2020-11-30');
    expect(addCalendarMonths('2019-11-30', 3)).toBe('2020-02-29');
  });

  it('a named timescale sets the due date itself', () =>
    given([created]).when(recommend('within-3-months', '2020-09-01')).thenThrows(DueDateSetByTimescale));

  it('the timescale "date" needs a due date', () => given([created]).when(recommend('date')).thenThrows(DueDateRequired));

  it('a recommendation is not due before the inspection that made it', () =>
    given([created]).when(recommend('date', '2020-07-02')).thenThrows(RecommendationDueBeforeTrigger));

  it('a recommendation id cannot be used twice in a plan', () => {
    const added = planDecider.decide(recommend('date', '2020-12-31'), planDecider.evolve(planDecider.initialState, created));
    given([created, ...added])
      .when(recommend('date', '2021-01-31'))
      .thenThrows(RecommendationAlreadyExists);
  });

  it('a recommendation needs a plan', () => given([]).when(recommend('immediately')).thenThrows(PlanNotFound));
});
