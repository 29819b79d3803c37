import { BusinessDateInFuture, type RagSettings } from '@casetrail/kernel';
import { deciderSpec } from '@casetrail/testing';
import {
  ActionPlanAlreadySubmitted,
  addCalendarMonths,
  DueDateRequired,
  InspectionDatesOnlyForInspection,
  InspectionDatesOutOfOrder,
  NotAnInspectionPlan,
  OnlyAnInspectionIsJudgedByArea,
  OwnerIsUserOrAgency,
  RagSettingInvalid,
  RecommendationOwnerUnknown,
  ReportPublicationAlreadyRecorded,
  SubmittedBeforePublication,
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
/** The recommendation `recommend` adds, with the due date the decider works out. */
const recommendationAdded = (timescale: string, dueOn: string, more: { ownerAgency?: string } = {}): PlanEvent =>
  ({
    type: 'RecommendationAdded',
    data: {
      planId: 'sip-2020',
      recommendationId: 'r1',
      text: 'Ensure that assessments contain an explicit assessment of risk',
      timescale,
      dueOn,
      ...more,
    },
  }) as PlanEvent;
const { given, itRefuses } = deciderSpec(planDecider);

describe('plan decider', () => {
  it('a plan is created from the inspection that triggered it', () =>
    given([])
      .when({ ...create, ownerKnown: true })
      .then([created]));

  it('a plan id cannot be used twice', () =>
    given([created])
      .when({ ...create, ownerKnown: true })
      .thenThrows(PlanAlreadyExists));

  itRefuses(
    [],
    [
      [
        'the trigger date cannot be in the future',
        { ...create, ownerKnown: true, trigger: { ...trigger, date: '2020-08-05' } },
        BusinessDateInFuture,
        /trigger.date 5 August 2020/,
      ],
      [
        'only an Ofsted inspection gives a judgement',
        { ...create, ownerKnown: true, trigger: { kind: 'peer-review', date: '2020-07-03', judgement: 'good' } },
        JudgementOnlyFromInspection,
      ],
      ['the plan owner must be an active user', { ...create, ownerKnown: false }, PlanOwnerUnknown],
    ],
  );

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
      .then([recommendationAdded('immediately', '2020-07-10')]));

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

  it('plan triggers include an Improvement Notice and a focused visit', () => {
    for (const kind of ['improvement-notice', 'focused-visit'] as const) {
      given([])
        .when({ ...create, ownerKnown: true, trigger: { kind, date: '2020-07-03' } })
        .then([{ type: 'ImprovementPlanCreated', data: { ...created.data, trigger: { kind, date: '2020-07-03' } } }]);
    }
    // A focused visit gives no judgement.
    given([])
      .when({ ...create, ownerKnown: true, trigger: { kind: 'focused-visit', date: '2020-07-03', judgement: 'inadequate' } })
      .thenThrows(JudgementOnlyFromInspection, /Ofsted focused visit does not/);
  });
});

describe('an inspection has start, end and publication dates, and judgements per area', () => {
  const inspection = {
    kind: 'ofsted-inspection' as const,
    date: '2020-07-03',
    judgement: 'requires-improvement' as const,
    startOn: '2020-06-22',
    endOn: '2020-07-03',
    publishedOn: '2020-07-31',
    areaJudgements: { impactOfLeaders: 'inadequate' as const, helpAndProtection: 'requires-improvement' as const },
  };

  it('overall requires improvement with leadership inadequate, and its dates, are recorded', () =>
    given([])
      .when({ ...create, ownerKnown: true, trigger: inspection })
      .then([{ type: 'ImprovementPlanCreated', data: { ...created.data, trigger: inspection } }]));

  it('the dates are in order: start, end, publication', () => {
    given([])
      .when({ ...create, ownerKnown: true, trigger: { ...inspection, endOn: '2020-06-19' } })
      .thenThrows(InspectionDatesOutOfOrder, /cannot end on 19 June 2020, before it started on 22 June 2020/);
    given([])
      .when({ ...create, ownerKnown: true, trigger: { ...inspection, publishedOn: '2020-07-01' } })
      .thenThrows(InspectionDatesOutOfOrder, /published on 1 July 2020, before the inspection ended/);
    given([])
      .when({ ...create, ownerKnown: true, trigger: { ...inspection, publishedOn: '2020-08-06' } })
      .thenThrows(BusinessDateInFuture);
  });

  it('only an inspection has these dates and area judgements', () => {
    given([])
      .when({ ...create, ownerKnown: true, trigger: { kind: 'monitoring-visit', date: '2020-07-03', publishedOn: '2020-07-31' } })
      .thenThrows(InspectionDatesOnlyForInspection);
    given([])
      .when({
        ...create,
        ownerKnown: true,
        trigger: { kind: 'peer-review', date: '2020-07-03', areaJudgements: { impactOfLeaders: 'good' } },
      })
      .thenThrows(OnlyAnInspectionIsJudgedByArea);
  });

  const published: PlanEvent = { type: 'ImprovementPlanCreated', data: { ...created.data, trigger: inspection } };
  it('the action plan is recorded as sent to Ofsted once, not before publication nor in the future', () => {
    given([published])
      .when({ type: 'SubmitActionPlan', now, planId: 'sip-2020', submittedOn: '2020-08-01' })
      .then([{ type: 'ActionPlanSubmitted', data: { planId: 'sip-2020', submittedOn: '2020-08-01' } }]);
    given([published, { type: 'ActionPlanSubmitted', data: { planId: 'sip-2020', submittedOn: '2020-08-01' } }])
      .when({ type: 'SubmitActionPlan', now, planId: 'sip-2020', submittedOn: '2020-08-02' })
      .thenThrows(ActionPlanAlreadySubmitted);
    given([published])
      .when({ type: 'SubmitActionPlan', now, planId: 'sip-2020', submittedOn: '2020-07-30' })
      .thenThrows(SubmittedBeforePublication);
    given([published])
      .when({ type: 'SubmitActionPlan', now, planId: 'sip-2020', submittedOn: '2020-08-06' })
      .thenThrows(BusinessDateInFuture);
    // A plan with no published inspection report has nothing to send.
    given([created])
      .when({ type: 'SubmitActionPlan', now, planId: 'sip-2020', submittedOn: '2020-08-01' })
      .thenThrows(NotAnInspectionPlan);
  });
});

describe('a report published after the plan was made is recorded on the plan', () => {
  // created: an inspection on 3 July 2020 whose report was not yet published when the plan was made.
  const record = (publishedOn: string) => ({ type: 'RecordReportPublication' as const, now, planId: 'sip-2020', publishedOn });
  const recorded: PlanEvent = { type: 'InspectionReportPublished', data: { planId: 'sip-2020', publishedOn: '2020-07-31' } };

  it('the publication date is recorded, and the action plan can then be sent', () => {
    given([created]).when(record('2020-07-31')).then([recorded]);
    given([created, recorded])
      .when({ type: 'SubmitActionPlan', now, planId: 'sip-2020', submittedOn: '2020-08-01' })
      .then([{ type: 'ActionPlanSubmitted', data: { planId: 'sip-2020', submittedOn: '2020-08-01' } }]);
  });

  it('once only, not before the inspection ended, not in the future, and only for an inspection', () => {
    given([created, recorded])
      .when(record('2020-08-01'))
      .thenThrows(ReportPublicationAlreadyRecorded, /already recorded: 31 July 2020/);
    given([created])
      .when(record('2020-07-02'))
      .thenThrows(InspectionDatesOutOfOrder, /before the inspection ended \(3 July 2020\)/);
    given([created]).when(record('2020-08-06')).thenThrows(BusinessDateInFuture);
    given([{ ...created, data: { ...created.data, trigger: { kind: 'peer-review', date: '2020-07-03' } } } as PlanEvent])
      .when(record('2020-07-31'))
      .thenThrows(InspectionDatesOnlyForInspection);
    given([]).when(record('2020-07-31')).thenThrows(PlanNotFound);
  });
});

describe('action RAG thresholds are settings of each plan', () => {
  const settings: RagSettings = {
    redFromWorkingDaysOverdue: 3,
    noUpdateFor: { count: 1, unit: 'months' as const },
    escalateAmberAfterDays: 45,
  };
  const change = (changes: Partial<typeof settings> = {}) => ({
    type: 'ChangeRagSettings' as const,
    now,
    planId: 'sip-2020',
    settings: { ...settings, ...changes },
    reason: 'Improvement board, 3 August 2020',
  });

  it('the board changes them, recorded as an event in force from today', () =>
    given([created])
      .when(change())
      .then([
        {
          type: 'PlanRagSettingsChanged',
          data: { planId: 'sip-2020', settings, changedOn: '2020-08-03', reason: 'Improvement board, 3 August 2020' },
        },
      ]));

  it('each setting is validated, with a clear error', () => {
    given([created])
      .when(change({ redFromWorkingDaysOverdue: -1 }))
      .thenThrows(RagSettingInvalid, /Red from how many working days overdue: enter a whole number from 0/);
    given([created])
      .when(change({ redFromWorkingDaysOverdue: 1.5 }))
      .thenThrows(RagSettingInvalid);
    given([created])
      .when(change({ noUpdateFor: { count: 13, unit: 'months' } }))
      .thenThrows(RagSettingInvalid, /No update for: enter a whole number of calendar months from 1 to 12/);
    given([created])
      .when(change({ noUpdateFor: { count: 0, unit: 'days' } }))
      .thenThrows(RagSettingInvalid, /days from 1 to 366/);
    given([created])
      .when(change({ escalateAmberAfterDays: 0 }))
      .thenThrows(RagSettingInvalid, /Escalate amber after: enter a whole number of days from 1 to 366/);
  });

  it('a plan is needed', () => given([]).when(change()).thenThrows(PlanNotFound));
});

describe('recommendations may be owned by partner agencies who are not users', () => {
  it('a recommendation led by a partner agency', () =>
    given([created])
      .when({ ...recommend('within-3-months'), ownerAgency: 'Safeguarding children partnership' })
      .then([recommendationAdded('within-3-months', '2020-10-03', { ownerAgency: 'Safeguarding children partnership' })]));

  it('the owner is either a user or a named partner agency, not both; a user must be active', () => {
    given([created])
      .when({ ...recommend('immediately'), ownerId: 'u-lead', ownerKnown: true, ownerAgency: 'Police' })
      .thenThrows(OwnerIsUserOrAgency);
    given([created])
      .when({ ...recommend('immediately'), ownerId: 'u-gone', ownerKnown: false })
      .thenThrows(RecommendationOwnerUnknown, /name a partner agency instead/);
  });
});
