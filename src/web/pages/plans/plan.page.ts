import { Get, Param, Query } from '@nestjs/common';
import { dayInWords, londonToday } from '@casetrail/kernel';
import {
  AddActionDto,
  AddPriorityDto,
  AddRecommendationDto,
  ChangeRagSettingsDto,
  IdParam,
  OnDayParams,
  RecordReportPublicationDto,
  SubmitActionPlanDto,
  type PlanStatusView,
  INSPECTION_AREA_TEXT,
  INSPECTION_AREAS,
  PARTNER_AGENCY_EXAMPLES,
  TRIGGER_TEXT,
} from '../../../improvement';
import { domainTitles } from '../../../impact';
import { csv, sendCsv } from '../../csv';
import { dateItems, dayFromParts, partsOfDay, typedParts, dayBoxes } from '../../dates';
import { filled, noProblems, personOptions, selectItems, validated, type FormProblems, problem } from '../../forms';
import { checkedPipe, form, inputPipe, Page, PageController, PageIn, RecordPages, rolesOf, type PageForm } from '../../kit';
import { lowerWords, words } from '../../views';
import {
  actionHref,
  actionTag,
  countTags,
  idFromStream,
  ownerNameOf,
  planHref,
  RAG_TAG,
  sentence,
  TIMESCALE_TEXT,
} from './plan-views';

type Values = Record<string, unknown>;
const PLAN_FORMS = {
  priorities: 'Add a priority',
  recommendations: 'Add a recommendation',
  actions: 'Add an action',
  'rag-settings': "Change how this plan's actions are coloured",
  submission: 'Record the action plan as sent to Ofsted',
  'report-publication': 'Record the publication of the inspection report',
} as const;
type PlanForm = keyof typeof PLAN_FORMS;
/** Who may own an action: those who may update it (report progress, complete it); never an inspector. */
const ACTION_OWNER_ROLES = rolesOf('POST /api/v1/actions/:id/progress');
type AsOn = { on?: string; parts?: { day: string; month: string; year: string } };
const asList = (value: unknown): unknown[] => (value === undefined ? [] : ([] as unknown[]).concat(value));
const ON_WORDS = { labels: { on: 'The date to show' }, days: ['on'] };
const ACTION_CSV_COLUMNS =
  'actionId title ownerId ownerName ownerAgency teamIds teamNames priorityId priorityTitle recommendationIds startOn dueOn originalDueOn completedOn rag reasons';
/** Whole numbers typed in boxes: a box left empty or with words stays a string, so the DTO says "a whole number". */
const number = (value: unknown): unknown => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value);
/** The date boxes of a one-date form; an empty one sends nothing (the API takes today). */
const oneDate = <T extends object>(dto: new () => T, name: string) =>
  inputPipe(
    dto,
    (body) => ({ [name]: dayFromParts(body, name) }),
    (values) => (values[name] ? values : {}),
  );

const priorityInput = inputPipe(
  AddPriorityDto,
  (body) => filled(body, ['priorityTitle']),
  (v) => ({ title: v.priorityTitle }),
);
const recommendationInput = inputPipe(
  AddRecommendationDto,
  (body) => ({
    ...filled(body, ['recommendationText', 'timescale', 'recommendationOwnerId', 'recommendationOwnerAgency']),
    recommendationDueOn: dayFromParts(body, 'recommendationDueOn'),
  }),
  // The date boxes sit below every timescale (no conditional reveal): only "By a date" sends them.
  (v) => ({
    text: v.recommendationText,
    timescale: v.timescale,
    ...(v.timescale === 'date' && v.recommendationDueOn !== undefined ? { dueOn: v.recommendationDueOn } : {}),
    ...(v.recommendationOwnerId ? { ownerId: v.recommendationOwnerId } : {}),
    ...(v.recommendationOwnerAgency ? { ownerAgency: v.recommendationOwnerAgency } : {}),
  }),
);
const actionInput = inputPipe(
  AddActionDto,
  (body) => {
    const raw = filled(body, ['priorityId', 'title', 'ownerId', 'ownerAgency', 'teamIds', 'recommendationIds', 'successMeasure']);
    // Raised from an audit finding (the audit page's "Raise an improvement action"): the finding rides along hidden.
    return {
      ...raw,
      ...filled(body, ['findingAuditId', 'findingDomain']),
      teamIds: asList(raw.teamIds),
      recommendationIds: asList(raw.recommendationIds),
      startOn: dayFromParts(body, 'startOn'),
      dueOn: dayFromParts(body, 'dueOn'),
    };
  },
  ({ findingAuditId, findingDomain, ...values }) => ({
    ...values,
    ...(findingAuditId || findingDomain ? { finding: { auditId: findingAuditId, domain: findingDomain } } : {}),
  }),
);

const RAG_FIELDS = ['redFromWorkingDaysOverdue', 'noUpdateCount', 'noUpdateUnit', 'escalateAmberAfterDays', 'ragReason'];
const ragInput = inputPipe(
  ChangeRagSettingsDto,
  (body) => filled(body, RAG_FIELDS),
  (v) => ({
    redFromWorkingDaysOverdue: number(v.redFromWorkingDaysOverdue),
    noUpdateFor: { count: number(v.noUpdateCount), unit: v.noUpdateUnit },
    escalateAmberAfterDays: number(v.escalateAmberAfterDays),
    reason: v.ragReason,
  }),
);
const submissionInput = oneDate(SubmitActionPlanDto, 'submittedOn');
const publicationInput = oneDate(RecordReportPublicationDto, 'publishedOn');
const onPipe = checkedPipe(OnDayParams, (query) => filled(query, ['on']));

const NO_UPDATE_FOR = 'No update for';
/** Every form of the plan: back to the plan with its banner (a new action: to the action), or the form's page again. */
const FORMS: Record<PlanForm, PageForm<IdParam>> = {
  priorities: form({
    input: priorityInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.addPriority({ id }, dto, context),
    done: 'priority',
    labels: { title: 'New priority' },
    rename: { title: 'priorityTitle' },
  }),
  recommendations: form({
    input: recommendationInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.addRecommendation({ id }, dto, context),
    done: 'recommendation',
    labels: { text: 'Recommendation', timescale: 'Timescale', dueOn: 'Due date', ownerAgency: 'Partner agency' },
    fieldOf: {
      DUE_DATE_REQUIRED: 'dueOn',
      DUE_DATE_SET_BY_TIMESCALE: 'dueOn',
      RECOMMENDATION_DUE_BEFORE_TRIGGER: 'dueOn',
      OWNER_IS_USER_OR_AGENCY: 'ownerAgency',
      RECOMMENDATION_OWNER_UNKNOWN: 'ownerId',
    },
    days: ['recommendationDueOn'],
    formId: 'add-recommendation',
    rename: {
      text: 'recommendationText',
      dueOn: 'recommendationDueOn',
      ownerId: 'recommendationOwnerId',
      ownerAgency: 'recommendationOwnerAgency',
    },
  }),
  actions: form({
    input: actionInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.addAction({ id }, dto, context),
    done: (result) => `${actionHref(idFromStream(result.streamId, 'action-'))}?done=added`,
    labels: {
      priorityId: 'Priority',
      title: 'Action',
      ownerId: 'Owner',
      ownerAgency: 'Partner agency',
      teamIds: 'Teams',
      recommendationIds: 'Recommendations',
      startOn: 'Start date',
      dueOn: 'Due date',
      successMeasure: 'Success measure',
    },
    fieldOf: {
      PRIORITY_NOT_IN_PLAN: 'priorityId',
      RECOMMENDATION_NOT_IN_PLAN: 'recommendationIds',
      ACTION_DUE_BEFORE_START: 'dueOn',
      ACTION_OWNER_UNKNOWN: 'ownerId',
      ACTION_OWNER_REQUIRED: 'ownerId',
      ACTION_OWNER_CANNOT_UPDATE: 'ownerId',
      OWNER_IS_USER_OR_AGENCY: 'ownerAgency',
      ACTION_TEAMS_UNKNOWN: 'teamIds',
      QA_OFFICER_RAISES_FROM_FINDING: 'title',
      FINDING_AUDIT_NOT_FOUND: 'finding',
      FINDING_DOMAIN_NOT_IN_FRAMEWORK: 'finding',
      FINDING_NOT_AN_AREA_FOR_DEVELOPMENT: 'finding',
    },
    days: ['startOn', 'dueOn'],
    formId: 'add-action',
  }),
  'rag-settings': form({
    input: ragInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.changeRagSettings({ id }, dto, context),
    done: 'rag-settings',
    labels: {
      redFromWorkingDaysOverdue: 'Red from how many working days overdue',
      noUpdateFor: NO_UPDATE_FOR,
      'noUpdateFor.count': NO_UPDATE_FOR,
      'noUpdateFor.unit': NO_UPDATE_FOR,
      escalateAmberAfterDays: 'Escalate amber after',
      reason: 'Reason for the change',
    },
    fieldOf: { RAG_SETTING_INVALID: 'redFromWorkingDaysOverdue' },
    formId: 'rag-settings',
    rename: {
      noUpdateFor: 'noUpdateCount',
      'noUpdateFor.count': 'noUpdateCount',
      'noUpdateFor.unit': 'noUpdateCount',
      reason: 'ragReason',
    },
  }),
  submission: form({
    input: submissionInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.submit({ id }, dto, context),
    done: 'submitted',
    labels: { submittedOn: 'Date sent to Ofsted' },
    fieldOf: {
      NOT_AN_INSPECTION_PLAN: 'submittedOn',
      ACTION_PLAN_ALREADY_SUBMITTED: 'submittedOn',
      SUBMITTED_BEFORE_PUBLICATION: 'submittedOn',
    },
    days: ['submittedOn'],
    formId: 'inspection',
  }),
  'report-publication': form({
    input: publicationInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.recordPublication({ id }, dto, context),
    done: 'published',
    labels: { publishedOn: 'Date the report was published' },
    fieldOf: {
      INSPECTION_DATES_ONLY_FOR_INSPECTION: 'publishedOn',
      REPORT_PUBLICATION_ALREADY_RECORDED: 'publishedOn',
      INSPECTION_DATES_OUT_OF_ORDER: 'publishedOn',
    },
    days: ['publishedOn'],
    formId: 'inspection',
  }),
};

/** An improvement plan: its priorities, recommendations and actions with their RAG (as on any day) and its reasons. */
@PageController('plans/:id')
export class PlanPage extends RecordPages(IdParam, FORMS) {
  protected hrefOf({ id }: IdParam): string {
    return planHref(id);
  }

  /**
   * The plan, or one of its forms on its own page (a button on the plan leads there). The action form
   * opened with `?auditId=&domain=` (from an audit's finding) answers that finding.
   */
  protected async showRecord(page: Page, { id }: IdParam, values: Values, problems = noProblems(), end?: string) {
    if (end === undefined) return this.showAsOn(page, id);
    const form = end as PlanForm;
    if (form !== 'actions' || page.request.method !== 'GET') return this.showForm(page, id, form, values, problems);
    const { auditId, domain } = filled(page.query, ['auditId', 'domain']);
    const finding = auditId && domain ? { findingAuditId: auditId, findingDomain: domain } : {};
    return this.showForm(page, id, form, { startOn: londonToday(), ...finding });
  }

  /**
   * The plan with every action's RAG as on today, or as on `?on=YYYY-MM-DD`. The "show as on" form
   * (GET, day/month/year boxes) comes back here and is redirected to the `?on=` address.
   */
  private async showAsOn(page: Page, id: string): Promise<void> {
    const query = page.query;
    const values = { startOn: londonToday() };
    if ('on-day' in query || 'on-month' in query || 'on-year' in query) {
      const typed = dayFromParts(query, 'on');
      const parts = typedParts(query, 'on');
      if (typed === undefined) {
        return this.showPlan(page, id, values, problem('on', 'Enter the date to show the plan as on', '#on-day'), { parts });
      }
      try {
        const { on } = await validated(OnDayParams, { on: typed });
        return page.response.redirect(303, `${planHref(id)}?on=${on}`);
      } catch (error) {
        return this.showPlan(page, id, values, this.problems(error, ON_WORDS), { parts });
      }
    }
    const asked = filled(query, ['on']);
    if (asked.on === undefined) return this.showPlan(page, id, values);
    try {
      const { on } = await validated(OnDayParams, asked);
      return this.showPlan(page, id, values, noProblems(), { on });
    } catch (error) {
      return this.showPlan(page, id, values, this.problems(error, ON_WORDS));
    }
  }

  @Get('actions.csv')
  async csv(@PageIn() page: Page, @Param() { id }: IdParam, @Query(onPipe) { on }: OnDayParams): Promise<void> {
    const status = await this.useCases.plans.status({ id }, on ? { on } : {});
    const [person, team] = await Promise.all([this.names.users(), this.names.teams()]);
    const priority = new Map(status.priorities.map((p) => [p.priorityId, p.title]));
    // People, teams and priorities by name, each beside its id.
    const rows = status.actions.map((a) => ({
      ...a,
      ownerName: a.ownerId ? person(a.ownerId) : '',
      teamNames: a.teamIds.map(team).join('; '),
      priorityTitle: priority.get(a.priorityId) ?? '',
      reasons: a.reasons.join('; '),
    }));
    sendCsv(page.response, `${id}-actions-${status.on}.csv`, csv(ACTION_CSV_COLUMNS, rows));
  }

  private async showPlan(page: Page, id: string, values: Values, problems = noProblems(), asOn: AsOn = {}): Promise<void> {
    this.render(page, 'plans/show.njk', await this.planContext(page, id, values, problems, asOn), problems);
  }

  /** One form of the plan on its page: the same facts as the plan's page, and the form's input and problems. */
  private async showForm(page: Page, id: string, form: PlanForm, values: Values = {}, problems = noProblems()): Promise<void> {
    const context = { ...(await this.planContext(page, id, values, problems)), finding: await this.findingOf(page, values) };
    const notOffered =
      (form === 'submission' && !context.offerSubmission) || (form === 'report-publication' && !context.offerPublication);
    // A form the plan no longer takes (already sent, already published) is not offered: back to the plan.
    if (notOffered && page.request.method === 'GET') return page.response.redirect(303, planHref(id));
    this.render(page, 'plans/form.njk', { ...context, form, title: `${PLAN_FORMS[form]}: ${context.plan.title}` }, problems);
  }

  /** The finding the action form answers, in words ("Management oversight in the audit of N01 of 15 April 2026"). */
  private async findingOf(page: Page, values: Values): Promise<{ auditId: string; domain: string; text: string } | null> {
    const auditId = values.findingAuditId;
    const domain = values.findingDomain;
    if (typeof auditId !== 'string' || typeof domain !== 'string') return null;
    const title = (await domainTitles(this.queries))(domain);
    try {
      const audit = await this.useCases.audits.get({ id: auditId }, page.request);
      return { auditId, domain, text: `${title} in the audit of ${audit.caseRef} of ${dayInWords(audit.auditedOn)}` };
    } catch {
      // Not one the person may see (the decider then refuses it, in words): say only what was asked.
      return { auditId, domain, text: `${title} in audit ${auditId}` };
    }
  }

  private async planContext(page: Page, id: string, values: Values, problems: FormProblems, asOn: AsOn = {}) {
    const [plan, name, users, teams] = await Promise.all([
      this.useCases.plans.status({ id }, asOn.on ? { on: asOn.on } : {}),
      this.names.users(),
      this.names.activeUsers(false),
      this.useCases.teams.list({}),
    ]);
    const titles = new Map(plan.actions.map((a) => [a.actionId, a.title]));
    const teamIds = (values.teamIds as string[] | undefined) ?? [];
    const recommendationIds = (values.recommendationIds as string[] | undefined) ?? [];
    const dates = (name: string) => dayBoxes(values, name, problems);
    const { ragSettings } = plan;
    const mayManage = page.may('POST /api/v1/plans');
    const offerPublication = plan.trigger.kind === 'ofsted-inspection' && !plan.trigger.publishedOn;
    const offerSubmission = Boolean(plan.actionPlan && !plan.actionPlan.submittedOn);
    const actions = plan.actions.map((a) => ({ ...a, tag: actionTag(a), ownerName: ownerNameOf(a, name) }));
    return {
      title: plan.title,
      plan,
      asOn: asOn.on ?? null,
      csvHref: `${planHref(id)}/actions.csv${asOn.on ? `?on=${asOn.on}` : ''}`,
      onItems: dateItems(asOn.parts ?? partsOfDay(plan.on), 'on' in problems.errors),
      done: page.done,
      actions,
      // Actions grouped by the priority they serve, in the order the priorities were added.
      priorities: plan.priorities.map((p) => {
        const own = actions.filter((a) => a.priorityId === p.priorityId);
        return { ...p, actions: own, summary: prioritySummary(own.length, p.counts) };
      }),
      offerPublication,
      offerSubmission,
      inspectionButtons: [
        ...(offerPublication
          ? [{ text: 'Record the publication of the report', href: `${planHref(id)}/report-publication` }]
          : []),
        ...(offerSubmission ? [{ text: 'Record as sent to Ofsted', href: `${planHref(id)}/submission` }] : []),
      ],
      triggerText: sentence(TRIGGER_TEXT[plan.trigger.kind]),
      triggerSummary: triggerSummary(plan.trigger),
      ragSettingsLines: ragSettings.text.map(sentence),
      areaJudgements: INSPECTION_AREAS.filter((area) => plan.trigger.areaJudgements?.[area]).map((area) => ({
        area: sentence(INSPECTION_AREA_TEXT[area]),
        judgement: words(plan.trigger.areaJudgements![area]),
      })),
      submittedOnItems: dates('submittedOn'),
      publishedOnItems: dates('publishedOn'),
      ragValues: {
        redFromWorkingDaysOverdue: values.redFromWorkingDaysOverdue ?? String(ragSettings.redFromWorkingDaysOverdue),
        noUpdateCount: values.noUpdateCount ?? String(ragSettings.noUpdateFor.count),
        noUpdateUnit: values.noUpdateUnit ?? ragSettings.noUpdateFor.unit,
        escalateAmberAfterDays: values.escalateAmberAfterDays ?? String(ragSettings.escalateAmberAfterDays),
        ragReason: values.ragReason,
      },
      agencyExamples: PARTNER_AGENCY_EXAMPLES.join(', '),
      recommendations: plan.recommendations.map((r) => ({
        ...r,
        ownerName: ownerNameOf(r, name),
        timescaleText: TIMESCALE_TEXT[r.timescale],
        tag: RAG_TAG[r.rag],
        actions: r.actionIds.map((actionId) => {
          const action = actions.find((a) => a.actionId === actionId);
          return { actionId, title: titles.get(actionId) ?? actionId, tag: action?.tag ?? RAG_TAG.grey };
        }),
      })),
      countTags: countTags(plan.counts),
      mayManage,
      values,
      timescaleText: TIMESCALE_TEXT,
      recommendationDueOnItems: dates('recommendationDueOn'),
      recommendationItems: plan.recommendations.map((r) => ({
        value: r.recommendationId,
        text: r.text.length > 120 ? `${r.text.slice(0, 117)}...` : r.text,
        checked: recommendationIds.includes(r.recommendationId),
      })),
      priorityItems: selectItems(
        'Choose a priority',
        plan.priorities.map((p) => [p.priorityId, p.title]),
        values.priorityId,
      ),
      // Only people who may update an action can own one (the use case refuses anyone else).
      ownerItems: selectItems(
        'Choose an owner',
        personOptions(users.filter((u) => ACTION_OWNER_ROLES.includes(u.role))),
        values.ownerId,
      ),
      recommendationOwnerItems: selectItems('No user named', personOptions(users), values.recommendationOwnerId),
      teamItems: teams.map((t) => ({ value: t.teamId, text: t.name, checked: teamIds.includes(t.teamId) })),
      startOnItems: dates('startOn'),
      dueOnItems: dates('dueOn'),
    };
  }
}

/** "2 actions: 1 green, 1 complete" under a priority's heading. */
function prioritySummary(count: number, counts: object): string {
  if (count === 0) return 'No actions yet';
  const parts = countTags(counts)
    .filter((t) => t.count > 0)
    .map((t) => `${t.count} ${t.text.toLowerCase()}`);
  return `${count} action${count === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** Which inspection or review prompted the plan, and its judgement: "After the Ofsted inspection (ILACS) of 3 July 2020, judged inadequate". */
function triggerSummary(trigger: PlanStatusView['trigger']): string {
  const judged = trigger.judgement ? `, judged ${lowerWords(trigger.judgement)}` : '';
  return `After the ${TRIGGER_TEXT[trigger.kind]} of ${dayInWords(trigger.date)}${judged}`;
}
