import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CONFIDENCES, londonToday } from '@casetrail/kernel';
import {
  AddActionDto,
  AddPriorityDto,
  AddRecommendationDto,
  ChangeRagSettingsDto,
  CompleteActionDto,
  CreatePlanDto,
  IdParam,
  OnDayParams,
  ReopenActionDto,
  ReportProgressDto,
  ReviseDueDateDto,
  SubmitActionPlanDto,
  RecordReportPublicationDto,
  TeamIdParam,
  VerifyActionDto,
  INSPECTION_AREA_TEXT,
  INSPECTION_AREAS,
  JUDGEMENTS,
  PARTNER_AGENCY_EXAMPLES,
  TRIGGER_KINDS,
  TRIGGER_TEXT,
  type Timescale,
  type ActionDetailView,
  type CompletionEntry,
} from '../../plans';
import { ListSelfAssessmentsParams, RecordSelfAssessmentDto } from '../../self-assessments';
import { RecordAccess } from '../../auth';
import { serviceIdOf } from '../../teams';
import { ListUsersQuery } from '../../users';
import { ApiControllers } from '../api-controllers';
import { csv, sendCsv } from '../csv';
import { dateFieldIds, dateItems, dayFromParts, partsOfDay } from '../dates';
import { filled, noProblems, problemsFrom, submitForm, teamSelectItems, validated, type FormProblems } from '../forms';
import { mayManage, type SignedIn } from '../page-helpers';
import { words } from '../views';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import { pageContext } from './sign-in.controller';

const RAG_TAG: Record<string, { text: string; classes: string }> = {
  red: { text: 'Red', classes: 'govuk-tag--red' },
  amber: { text: 'Amber', classes: 'govuk-tag--orange' },
  green: { text: 'Green', classes: 'govuk-tag--green' },
  grey: { text: 'Not started', classes: 'govuk-tag--grey' },
  blue: { text: 'Complete', classes: 'govuk-tag--blue' },
};
const CONFIDENCE_TAG: Record<string, { text: string; classes: string }> = {
  'on-track': { text: 'On track', classes: 'govuk-tag--green' },
  'at-risk': { text: 'At risk', classes: 'govuk-tag--orange' },
  'off-track': { text: 'Off track', classes: 'govuk-tag--red' },
};
const TIMESCALE_TEXT: Record<Timescale, string> = {
  immediately: 'Immediately (within 5 working days)',
  'within-3-months': 'Within 3 months',
  'within-6-months': 'Within 6 months',
  date: 'By a date',
};
const isLead = (request: SignedIn): boolean => request.principal.role === 'improvement-lead';
const idFromStream = (streamId: string, prefix: string): string => streamId.slice(prefix.length);
const today = (): string => londonToday();
const asList = (value: unknown): unknown[] => (value === undefined ? [] : ([] as unknown[]).concat(value));
const planHref = (id: string): string => `/plans/${encodeURIComponent(id)}`;
/** First letter in capitals, the rest as written ("Ofsted inspection (ILACS)"). */
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
/** The owner's name: the user's name, or the partner agency's with "(partner agency)". */
const ownerNameOf = (owner: { ownerId?: string | null; ownerAgency?: string | null }, names: Map<string, string>): string =>
  owner.ownerAgency ? `${owner.ownerAgency} (partner agency)` : owner.ownerId ? (names.get(owner.ownerId) ?? owner.ownerId) : '';
const JUDGEMENT_ITEMS = (selected: unknown): object[] => [
  { value: '', text: 'Not judged' },
  ...JUDGEMENTS.map((j) => ({ value: j, text: words(j), selected: selected === j })),
];
const actionHref = (id: string): string => `/actions/${encodeURIComponent(id)}`;

/** The DTO speaks of `reason`, the page has two reason boxes: the message goes beside the box that was sent. */
function renamed(problems: FormProblems, names: Record<string, string>): FormProblems {
  return {
    errorList: problems.errorList,
    errors: Object.fromEntries(Object.entries(problems.errors).map(([field, text]) => [names[field] ?? field, text])),
  };
}

const oneProblem = (field: string, href: string, text: string): FormProblems => ({
  errors: { [field]: text },
  errorList: [{ text, href }],
});

/** The day boxes of a GET form as typed (kept on error). */
const typedParts = (query: Record<string, unknown>, name: string): { day: string; month: string; year: string } => {
  const part = (p: string): string => (typeof query[`${name}-${p}`] === 'string' ? String(query[`${name}-${p}`]) : '');
  return { day: part('day'), month: part('month'), year: part('year') };
};

/** One entry of an action's history, oldest first. */
interface HistoryEntry {
  kind: 'added' | 'progress' | 'due-date' | 'completed' | 'verified' | 'reopened';
  on: string;
  [detail: string]: unknown;
}

/** The action's completions; rows projected before they were kept have only the current one. */
function completionsOf(action: ActionDetailView): CompletionEntry[] {
  if (action.completions?.length) return action.completions;
  if (!action.completedOn) return [];
  return [
    {
      completedOn: action.completedOn,
      evidence: action.completionEvidence ?? '',
      completedBy: action.completedBy ?? null,
      verifiedOn: action.verifiedOn,
      verifiedBy: action.verifiedBy,
      reopenedOn: null,
      reopenReason: null,
    },
  ];
}

function historyOf(action: ActionDetailView, names: Map<string, string>): HistoryEntry[] {
  const nameOf = (userId: string | null): string => (userId ? (names.get(userId) ?? userId) : '');
  const entries: (HistoryEntry & { order: number })[] = [
    { kind: 'added', order: 0, on: action.addedAt.slice(0, 10) },
    ...action.progress.map((p) => ({
      kind: 'progress' as const,
      order: 1,
      on: p.reportedOn,
      note: p.note,
      evidence: p.evidence,
      tag: CONFIDENCE_TAG[p.confidence],
      by: nameOf(p.reportedBy),
    })),
    ...action.dueDateRevisions.map((r) => ({ kind: 'due-date' as const, order: 1, on: r.revisedOn, ...r })),
    // Every completion, with its sign-off and reopening: a reopened action keeps its history.
    ...completionsOf(action).flatMap((c) => [
      { kind: 'completed' as const, order: 2, on: c.completedOn, evidence: c.evidence, by: nameOf(c.completedBy) },
      ...(c.verifiedOn ? [{ kind: 'verified' as const, order: 3, on: c.verifiedOn, by: nameOf(c.verifiedBy) }] : []),
      ...(c.reopenedOn ? [{ kind: 'reopened' as const, order: 4, on: c.reopenedOn, reason: c.reopenReason }] : []),
    ]),
  ];
  // Stable: entries of one day keep the order they were recorded in.
  return entries.sort((a, b) => a.on.localeCompare(b.on) || a.order - b.order).map(({ order: _order, ...entry }) => entry);
}

const ACTION_CSV_COLUMNS = [
  'actionId',
  'title',
  'ownerId',
  'ownerAgency',
  'teamIds',
  'priorityId',
  'recommendationIds',
  'startOn',
  'dueOn',
  'originalDueOn',
  'completedOn',
  'rag',
  'reasons',
] as const;

/** Improvement plans: plans, priorities, recommendations and actions with their RAG (as on any day) and its reasons. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class PlanPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
    private readonly access: RecordAccess,
  ) {}

  @Get('plans')
  async list(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showList(request, response, { triggerDate: today() }, noProblems());
  }

  @Get('plans.csv')
  async plansCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const plans = await this.plansWithCounts(request);
    sendCsv(
      response,
      'improvement-plans.csv',
      csv(
        ['planId', 'title', 'trigger', 'triggerDate', 'red', 'amber', 'green', 'notStarted', 'complete'],
        plans.map((p) => ({
          planId: p.planId,
          title: p.title,
          trigger: p.trigger.kind,
          triggerDate: p.trigger.date,
          red: p.counts?.red,
          amber: p.counts?.amber,
          green: p.counts?.green,
          notStarted: p.counts?.grey,
          complete: p.counts?.blue,
        })),
      ),
    );
  }

  /**
   * Every plan with its actions' RAG counts today (the plan status route's own figures), counted
   * only for the plans whose status the API would give this person (a team manager: their teams'
   * or their own); the others are listed, as the API lists them, without counts (null).
   */
  private async plansWithCounts(request: SignedIn) {
    const plans = await this.api.plans.listPlans();
    const readable = new Set(
      (await this.access.filter('GET /api/v1/plans/:id/status', request.principal, plans, (p) => p.planId)).map((p) => p.planId),
    );
    const statuses = await Promise.all(
      plans.map((p) => (readable.has(p.planId) ? this.api.plans.status({ id: p.planId }, {}) : null)),
    );
    return plans.map((p, i) => ({ ...p, counts: statuses[i]?.counts ?? null }));
  }

  @Post('plans')
  async create(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values: Record<string, unknown> = {
      ...filled(request.body, ['title', 'triggerKind', 'judgement', ...INSPECTION_AREAS]),
      triggerDate: dayFromParts(request.body, 'triggerDate'),
      startOn: dayFromParts(request.body, 'startOn'),
      endOn: dayFromParts(request.body, 'endOn'),
      publishedOn: dayFromParts(request.body, 'publishedOn'),
    };
    await submitForm({
      run: async () => {
        const areaJudgements = Object.fromEntries(INSPECTION_AREAS.filter((a) => values[a]).map((a) => [a, values[a]]));
        const optional = (names: string[]): Record<string, unknown> =>
          Object.fromEntries(names.filter((n) => values[n] !== undefined).map((n) => [n, values[n]]));
        const dto = await validated(CreatePlanDto, {
          title: values.title,
          trigger: {
            kind: values.triggerKind,
            date: values.triggerDate,
            ...optional(['judgement', 'startOn', 'endOn', 'publishedOn']),
            ...(Object.keys(areaJudgements).length ? { areaJudgements } : {}),
          },
        });
        const result = await this.api.plans.create(dto, request, pageContext(request));
        response.redirect(303, planHref(idFromStream(result.streamId, 'plan-')));
      },
      problems: {
        labels: { title: 'Title' },
        fieldOf: {
          JUDGEMENT_ONLY_FROM_INSPECTION: 'judgement',
          AREA_JUDGEMENTS_ONLY_FROM_INSPECTION: 'judgement',
          INSPECTION_DATES_ONLY_FOR_INSPECTION: 'startOn',
          INSPECTION_DATES_OUT_OF_ORDER: 'publishedOn',
        },
        idOf: (f) =>
          f === 'trigger'
            ? 'triggerKind'
            : ['startOn', 'endOn', 'publishedOn', 'triggerDate'].includes(f.replace('trigger.', ''))
              ? `${f.replace('trigger.', '')}-day`
              : f,
      },
      onProblems: (problems) => this.showList(request, response, values, problems, 400),
    });
  }

  private async showList(
    request: SignedIn,
    response: Response,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const plans = await this.plansWithCounts(request);
    this.views.send(
      request,
      response,
      'plans/list.njk',
      {
        title: 'Improvement plans',
        plans,
        mayManage: mayManage(request),
        values,
        triggerItems: [
          { value: '', text: 'Choose one' },
          ...TRIGGER_KINDS.map((k) => ({ value: k, text: sentence(TRIGGER_TEXT[k]), selected: values.triggerKind === k })),
        ],
        triggerDateItems: dateItems(partsOfDay(values.triggerDate as string | undefined), false),
        startOnItems: dateItems(partsOfDay(values.startOn as string | undefined), 'startOn' in problems.errors),
        endOnItems: dateItems(partsOfDay(values.endOn as string | undefined), 'endOn' in problems.errors),
        publishedOnItems: dateItems(partsOfDay(values.publishedOn as string | undefined), 'publishedOn' in problems.errors),
        judgementItems: JUDGEMENT_ITEMS(values.judgement),
        areaItems: INSPECTION_AREAS.map((area) => ({
          area,
          label: sentence(INSPECTION_AREA_TEXT[area]),
          items: JUDGEMENT_ITEMS(values[area]),
        })),
        triggerText: TRIGGER_TEXT,
        ...problems,
      },
      status,
    );
  }

  /**
   * The plan with every action's RAG as on today, or as on `?on=YYYY-MM-DD`. The "show as on" form
   * (GET, day/month/year boxes) comes back here and is redirected to the `?on=` address.
   */
  @Get('plans/:id')
  async show(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const query = request.query as Record<string, unknown>;
    const values = { startOn: today() };
    if ('on-day' in query || 'on-month' in query || 'on-year' in query) {
      const typed = dayFromParts(query, 'on');
      const parts = typedParts(query, 'on');
      if (typed === undefined) {
        const problems = oneProblem('on', '#on-day', 'Enter the date to show the plan as on');
        return this.showPlan(request, response, id, values, problems, 400, { parts });
      }
      try {
        const { on } = await validated(OnDayParams, { on: typed });
        return response.redirect(303, `${planHref(id)}?on=${on}`);
      } catch (error) {
        const problems = problemsFrom(error, { labels: { on: 'The date to show' }, idOf: () => 'on-day' });
        return this.showPlan(request, response, id, values, problems, 400, { parts });
      }
    }
    const asked = filled(query, ['on']);
    if (asked.on !== undefined) {
      try {
        const { on } = await validated(OnDayParams, asked);
        return this.showPlan(request, response, id, values, noProblems(), 200, { on });
      } catch (error) {
        const problems = problemsFrom(error, { labels: { on: 'The date to show' }, idOf: () => 'on-day' });
        return this.showPlan(request, response, id, values, problems, 400, {});
      }
    }
    await this.showPlan(request, response, id, values, noProblems());
  }

  @Get('plans/:id/actions.csv')
  async csv(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const { on } = await validated(OnDayParams, filled(request.query as Record<string, unknown>, ['on']));
    const status = await this.api.plans.status({ id }, on ? { on } : {});
    sendCsv(
      response,
      `${id}-actions-${status.on}.csv`,
      csv(
        ACTION_CSV_COLUMNS,
        status.actions.map((a) => ({ ...a, reasons: a.reasons.join('; ') })),
      ),
    );
  }

  @Post('plans/:id/priorities')
  async addPriority(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values = filled(request.body, ['priorityTitle']);
    await submitForm({
      run: async () => {
        await this.api.plans.addPriority(
          { id },
          await validated(AddPriorityDto, { title: values.priorityTitle }),
          pageContext(request),
        );
        response.redirect(303, planHref(id));
      },
      problems: { labels: { title: 'New priority' }, idOf: () => 'priorityTitle' },
      onProblems: (problems) => this.showPlan(request, response, id, values, renamed(problems, { title: 'priorityTitle' }), 400),
    });
  }

  @Post('plans/:id/recommendations')
  async addRecommendation(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values: Record<string, unknown> = {
      ...filled(request.body, ['recommendationText', 'timescale', 'recommendationOwnerId', 'recommendationOwnerAgency']),
      recommendationDueOn: dayFromParts(request.body, 'recommendationDueOn'),
    };
    const ids: Record<string, string> = {
      text: 'recommendationText',
      dueOn: 'recommendationDueOn-day',
      ownerId: 'recommendationOwnerId',
      ownerAgency: 'recommendationOwnerAgency',
    };
    await submitForm({
      run: async () => {
        // The date boxes sit below every timescale (no conditional reveal): only "By a date" sends them.
        const dueOn = values.timescale === 'date' ? values.recommendationDueOn : undefined;
        const dto = await validated(AddRecommendationDto, {
          text: values.recommendationText,
          timescale: values.timescale,
          ...(dueOn === undefined ? {} : { dueOn }),
          ...(values.recommendationOwnerId ? { ownerId: values.recommendationOwnerId } : {}),
          ...(values.recommendationOwnerAgency ? { ownerAgency: values.recommendationOwnerAgency } : {}),
        });
        await this.api.plans.addRecommendation({ id }, dto, pageContext(request));
        response.redirect(303, `${planHref(id)}?done=recommendation`);
      },
      problems: {
        labels: { text: 'Recommendation', timescale: 'Timescale', dueOn: 'Due date', ownerAgency: 'Partner agency' },
        fieldOf: {
          DUE_DATE_REQUIRED: 'dueOn',
          DUE_DATE_SET_BY_TIMESCALE: 'dueOn',
          RECOMMENDATION_DUE_BEFORE_TRIGGER: 'dueOn',
          OWNER_IS_USER_OR_AGENCY: 'ownerAgency',
          RECOMMENDATION_OWNER_UNKNOWN: 'ownerId',
        },
        idOf: (f) => ids[f] ?? f,
        formId: 'add-recommendation',
      },
      onProblems: (problems) =>
        this.showPlan(
          request,
          response,
          id,
          values,
          renamed(problems, {
            text: 'recommendationText',
            dueOn: 'recommendationDueOn',
            ownerId: 'recommendationOwnerId',
            ownerAgency: 'recommendationOwnerAgency',
          }),
          400,
        ),
    });
  }

  @Post('plans/:id/actions')
  async addAction(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const raw = filled(request.body, [
      'priorityId',
      'title',
      'ownerId',
      'ownerAgency',
      'teamIds',
      'recommendationIds',
      'successMeasure',
    ]);
    const values = {
      ...raw,
      teamIds: asList(raw.teamIds),
      recommendationIds: asList(raw.recommendationIds),
      startOn: dayFromParts(request.body, 'startOn'),
      dueOn: dayFromParts(request.body, 'dueOn'),
    };
    await submitForm({
      run: async () => {
        const dto = await validated(AddActionDto, values);
        const result = await this.api.plans.addAction({ id }, dto, pageContext(request));
        response.redirect(303, `${actionHref(idFromStream(result.streamId, 'action-'))}?done=added`);
      },
      problems: {
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
          OWNER_IS_USER_OR_AGENCY: 'ownerAgency',
          ACTION_TEAMS_UNKNOWN: 'teamIds',
        },
        idOf: dateFieldIds(['startOn', 'dueOn']),
        formId: 'add-action',
      },
      onProblems: (problems) => this.showPlan(request, response, id, values, problems, 400),
    });
  }

  @Post('plans/:id/rag-settings')
  async changeRagSettings(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values = filled(request.body, [
      'redFromWorkingDaysOverdue',
      'noUpdateCount',
      'noUpdateUnit',
      'escalateAmberAfterDays',
      'ragReason',
    ]);
    // Whole numbers typed in boxes: a box left empty or with words stays a string, so the DTO says "a whole number".
    const number = (value: unknown): unknown => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value);
    const ids: Record<string, string> = { noUpdateFor: 'noUpdateCount', reason: 'ragReason' };
    await submitForm({
      run: async () => {
        const dto = await validated(ChangeRagSettingsDto, {
          redFromWorkingDaysOverdue: number(values.redFromWorkingDaysOverdue),
          noUpdateFor: { count: number(values.noUpdateCount), unit: values.noUpdateUnit },
          escalateAmberAfterDays: number(values.escalateAmberAfterDays),
          reason: values.ragReason,
        });
        await this.api.plans.changeRagSettings({ id }, dto, pageContext(request));
        response.redirect(303, `${planHref(id)}?done=rag-settings#rag-settings`);
      },
      problems: {
        labels: {
          redFromWorkingDaysOverdue: 'Red from how many working days overdue',
          noUpdateFor: 'No update for',
          'noUpdateFor.count': 'No update for',
          'noUpdateFor.unit': 'No update for',
          escalateAmberAfterDays: 'Escalate amber after',
          reason: 'Reason for the change',
        },
        fieldOf: { RAG_SETTING_INVALID: 'redFromWorkingDaysOverdue' },
        idOf: (f) => ids[f.split('.')[0]] ?? f,
        formId: 'rag-settings',
      },
      onProblems: (problems) =>
        this.showPlan(
          request,
          response,
          id,
          values,
          renamed(problems, {
            noUpdateFor: 'noUpdateCount',
            'noUpdateFor.count': 'noUpdateCount',
            'noUpdateFor.unit': 'noUpdateCount',
            reason: 'ragReason',
          }),
          400,
        ),
    });
  }

  @Post('plans/:id/submission')
  async submitPlan(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values: Record<string, unknown> = { submittedOn: dayFromParts(request.body, 'submittedOn') };
    await submitForm({
      run: async () => {
        const dto = await validated(SubmitActionPlanDto, values.submittedOn ? { submittedOn: values.submittedOn } : {});
        await this.api.plans.submit({ id }, dto, pageContext(request));
        response.redirect(303, `${planHref(id)}?done=submitted#inspection`);
      },
      problems: {
        labels: { submittedOn: 'Date sent to Ofsted' },
        fieldOf: {
          NOT_AN_INSPECTION_PLAN: 'submittedOn',
          ACTION_PLAN_ALREADY_SUBMITTED: 'submittedOn',
          SUBMITTED_BEFORE_PUBLICATION: 'submittedOn',
        },
        idOf: () => 'submittedOn-day',
        formId: 'inspection',
      },
      onProblems: (problems) => this.showPlan(request, response, id, values, problems, 400),
    });
  }

  @Post('plans/:id/report-publication')
  async recordPublication(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values: Record<string, unknown> = { publishedOn: dayFromParts(request.body, 'publishedOn') };
    await submitForm({
      run: async () => {
        const dto = await validated(RecordReportPublicationDto, values.publishedOn ? { publishedOn: values.publishedOn } : {});
        await this.api.plans.recordPublication({ id }, dto, pageContext(request));
        response.redirect(303, `${planHref(id)}?done=published#inspection`);
      },
      problems: {
        labels: { publishedOn: 'Date the report was published' },
        fieldOf: {
          INSPECTION_DATES_ONLY_FOR_INSPECTION: 'publishedOn',
          REPORT_PUBLICATION_ALREADY_RECORDED: 'publishedOn',
          INSPECTION_DATES_OUT_OF_ORDER: 'publishedOn',
        },
        idOf: () => 'publishedOn-day',
        formId: 'inspection',
      },
      onProblems: (problems) => this.showPlan(request, response, id, values, problems, 400),
    });
  }

  private async showPlan(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
    asOn: { on?: string; parts?: { day: string; month: string; year: string } } = {},
  ): Promise<void> {
    const [plan, users, teams] = await Promise.all([
      this.api.plans.status({ id }, asOn.on ? { on: asOn.on } : {}),
      this.queries.execute(new ListUsersQuery()),
      this.api.teams.list({}),
    ]);
    const names = new Map(users.map((u) => [u.userId, u.name]));
    const titles = new Map(plan.actions.map((a) => [a.actionId, a.title]));
    const teamIds = (values.teamIds as string[] | undefined) ?? [];
    const recommendationIds = (values.recommendationIds as string[] | undefined) ?? [];
    const onQuery = asOn.on ? `?on=${asOn.on}` : '';
    this.views.send(
      request,
      response,
      'plans/show.njk',
      {
        title: plan.title,
        plan,
        asOn: asOn.on ?? null,
        csvHref: `${planHref(id)}/actions.csv${onQuery}`,
        onItems: dateItems(asOn.parts ?? partsOfDay(plan.on), 'on' in problems.errors),
        done: request.method === 'GET' ? request.query.done : undefined,
        actions: plan.actions.map((a) => ({ ...a, tag: RAG_TAG[a.rag], ownerName: ownerNameOf(a, names) })),
        triggerText: sentence(TRIGGER_TEXT[plan.trigger.kind]),
        ragSettingsLines: plan.ragSettings.text.map(sentence),
        areaJudgements: INSPECTION_AREAS.filter((area) => plan.trigger.areaJudgements?.[area]).map((area) => ({
          area: sentence(INSPECTION_AREA_TEXT[area]),
          judgement: words(plan.trigger.areaJudgements![area]),
        })),
        submittedOnItems: dateItems(partsOfDay(values.submittedOn as string | undefined), 'submittedOn' in problems.errors),
        publishedOnItems: dateItems(partsOfDay(values.publishedOn as string | undefined), 'publishedOn' in problems.errors),
        ragValues: {
          redFromWorkingDaysOverdue: values.redFromWorkingDaysOverdue ?? String(plan.ragSettings.redFromWorkingDaysOverdue),
          noUpdateCount: values.noUpdateCount ?? String(plan.ragSettings.noUpdateFor.count),
          noUpdateUnit: values.noUpdateUnit ?? plan.ragSettings.noUpdateFor.unit,
          escalateAmberAfterDays: values.escalateAmberAfterDays ?? String(plan.ragSettings.escalateAmberAfterDays),
          ragReason: values.ragReason,
        },
        agencyExamples: PARTNER_AGENCY_EXAMPLES.join(', '),
        recommendations: plan.recommendations.map((r) => ({
          ...r,
          ownerName: ownerNameOf(r, names),
          timescaleText: TIMESCALE_TEXT[r.timescale],
          tag: RAG_TAG[r.rag],
          actions: r.actionIds.map((actionId) => ({ actionId, title: titles.get(actionId) ?? actionId })),
        })),
        countTags: Object.entries(RAG_TAG).map(([rag, tag]) => ({ ...tag, count: plan.counts[rag as keyof typeof plan.counts] })),
        mayManage: mayManage(request),
        values,
        timescaleText: TIMESCALE_TEXT,
        recommendationDueOnItems: dateItems(
          partsOfDay(values.recommendationDueOn as string | undefined),
          'recommendationDueOn' in problems.errors,
        ),
        recommendationItems: plan.recommendations.map((r) => ({
          value: r.recommendationId,
          text: r.text.length > 120 ? `${r.text.slice(0, 117)}...` : r.text,
          checked: recommendationIds.includes(r.recommendationId),
        })),
        priorityItems: [
          { value: '', text: 'Choose a priority' },
          ...plan.priorities.map((p) => ({ value: p.priorityId, text: p.title, selected: values.priorityId === p.priorityId })),
        ],
        ownerItems: [
          { value: '', text: 'Choose an owner' },
          ...users
            .filter((u) => u.status === 'active')
            .map((u) => ({
              value: u.userId,
              text: `${u.name} (${words(u.role).toLowerCase()})`,
              selected: values.ownerId === u.userId,
            })),
        ],
        recommendationOwnerItems: [
          { value: '', text: 'No user named' },
          ...users
            .filter((u) => u.status === 'active')
            .map((u) => ({
              value: u.userId,
              text: `${u.name} (${words(u.role).toLowerCase()})`,
              selected: values.recommendationOwnerId === u.userId,
            })),
        ],
        teamItems: teams.map((t) => ({ value: t.teamId, text: t.name, checked: teamIds.includes(t.teamId) })),
        startOnItems: dateItems(partsOfDay(values.startOn as string | undefined), 'startOn' in problems.errors),
        dueOnItems: dateItems(partsOfDay(values.dueOn as string | undefined), 'dueOn' in problems.errors),
        ...problems,
      },
      status,
    );
  }

  @Get('actions/:id')
  async action(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    await this.showAction(request, response, id, {}, noProblems());
  }

  @Post('actions/:id/progress')
  async progress(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values = filled(request.body, ['note', 'confidence', 'evidence']);
    await submitForm({
      run: async () => {
        await this.api.plans.progress({ id }, await validated(ReportProgressDto, values), pageContext(request));
        response.redirect(303, `${actionHref(id)}?done=reported`);
      },
      problems: {
        labels: { note: 'Progress', confidence: 'Confidence', evidence: 'Evidence' },
        formId: 'progress',
      },
      onProblems: (problems) => this.showAction(request, response, id, values, problems, 400),
    });
  }

  @Post('actions/:id/due-date')
  async reviseDueDate(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values: Record<string, unknown> = {
      ...filled(request.body, ['dueReason', 'approvedBy']),
      newDueOn: dayFromParts(request.body, 'newDueOn'),
    };
    const ids: Record<string, string> = { newDueOn: 'newDueOn-day', reason: 'dueReason' };
    await submitForm({
      run: async () => {
        const dto = await validated(ReviseDueDateDto, {
          newDueOn: values.newDueOn,
          reason: values.dueReason,
          approvedBy: values.approvedBy,
        });
        await this.api.plans.reviseDueDate({ id }, dto, pageContext(request));
        response.redirect(303, `${actionHref(id)}?done=revised`);
      },
      problems: {
        labels: { newDueOn: 'New due date', reason: 'Reason', approvedBy: 'Who agreed it' },
        fieldOf: { DUE_DATE_UNCHANGED: 'newDueOn', ACTION_DUE_BEFORE_START: 'newDueOn' },
        idOf: (f) => ids[f] ?? f,
        formId: 'due-date',
      },
      onProblems: (problems) => this.showAction(request, response, id, values, renamed(problems, { reason: 'dueReason' }), 400),
    });
  }

  @Post('actions/:id/complete')
  async complete(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values: Record<string, unknown> = {
      ...filled(request.body, ['completionEvidence']),
      completedOn: dayFromParts(request.body, 'completedOn'),
    };
    const ids: Record<string, string> = { completedOn: 'completedOn-day', evidence: 'completionEvidence' };
    await submitForm({
      run: async () => {
        const dto = await validated(CompleteActionDto, {
          evidence: values.completionEvidence ?? '',
          ...(values.completedOn === undefined ? {} : { completedOn: values.completedOn }),
        });
        await this.api.plans.complete({ id }, dto, pageContext(request));
        response.redirect(303, `${actionHref(id)}?done=completed`);
      },
      problems: {
        labels: { completedOn: 'Date completed', evidence: 'Evidence' },
        fieldOf: { BUSINESS_DATE_IN_FUTURE: 'completedOn' },
        idOf: (f) => ids[f] ?? f,
        formId: 'complete',
      },
      onProblems: (problems) =>
        this.showAction(request, response, id, values, renamed(problems, { evidence: 'completionEvidence' }), 400),
    });
  }

  @Post('actions/:id/verify')
  async verify(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values = { verifiedOn: dayFromParts(request.body, 'verifiedOn') };
    await submitForm({
      run: async () => {
        const dto = await validated(VerifyActionDto, values.verifiedOn === undefined ? {} : values);
        await this.api.plans.verify({ id }, dto, pageContext(request));
        response.redirect(303, `${actionHref(id)}?done=verified`);
      },
      problems: {
        labels: { verifiedOn: 'Date of the sign-off' },
        fieldOf: { BUSINESS_DATE_IN_FUTURE: 'verifiedOn', VERIFIED_BEFORE_COMPLETION: 'verifiedOn' },
        idOf: () => 'verifiedOn-day',
        formId: 'verify',
      },
      onProblems: (problems) => this.showAction(request, response, id, values, problems, 400),
    });
  }

  @Post('actions/:id/reopen')
  async reopen(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values = filled(request.body, ['reopenReason']);
    await submitForm({
      run: async () => {
        await this.api.plans.reopen(
          { id },
          await validated(ReopenActionDto, { reason: values.reopenReason }),
          pageContext(request),
        );
        response.redirect(303, `${actionHref(id)}?done=reopened`);
      },
      problems: {
        labels: { reason: 'Why it is reopened' },
        idOf: () => 'reopenReason',
        formId: 'reopen',
      },
      onProblems: (problems) =>
        this.showAction(request, response, id, values, renamed(problems, { reason: 'reopenReason' }), 400),
    });
  }

  private async showAction(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const [action, users] = await Promise.all([this.api.plans.getAction({ id }, {}), this.queries.execute(new ListUsersQuery())]);
    const names = new Map(users.map((u) => [u.userId, u.name]));
    const { role, userId } = request.principal;
    const owner = action.ownerId === userId;
    const completer = action.completedBy === userId;
    const open = action.status === 'open';
    const completed = action.status === 'completed';
    // The same rules as the policy (owner or improvement lead) and the decider (open; someone else verifies).
    const mayUpdate = open && role !== 'inspector' && (role === 'improvement-lead' || owner);
    this.views.send(
      request,
      response,
      'plans/action.njk',
      {
        title: action.title,
        action,
        ownerName: ownerNameOf(action, names),
        tag: RAG_TAG[action.rag],
        history: historyOf(action, names),
        mayReport: mayUpdate,
        mayRevise: mayUpdate,
        mayComplete: mayUpdate,
        mayVerify: completed && isLead(request) && !owner && !completer && action.verifiedOn === null,
        ownCompletion: completed && isLead(request) && owner && action.verifiedOn === null,
        ownCompletionRecord: completed && isLead(request) && !owner && completer && action.verifiedOn === null,
        mayReopen: completed && isLead(request),
        confidenceItems: CONFIDENCES.map((c) => ({ value: c, text: words(c), checked: values.confidence === c })),
        newDueOnItems: dateItems(partsOfDay(values.newDueOn as string | undefined), 'newDueOn' in problems.errors),
        completedOnItems: dateItems(partsOfDay(values.completedOn as string | undefined), 'completedOn' in problems.errors),
        verifiedOnItems: dateItems(partsOfDay(values.verifiedOn as string | undefined), 'verifiedOn' in problems.errors),
        done: request.method === 'GET' ? request.query.done : undefined,
        values,
        ...problems,
      },
      status,
    );
  }
}

const OUTSTANDING_CSV_COLUMNS = [
  'kind',
  'actionId',
  'title',
  'ownerId',
  'dueOn',
  'overdue',
  'rag',
  'reasons',
  'planId',
  'auditId',
  'caseRef',
  'raisedOn',
] as const;

/** A team's outstanding actions: open improvement actions (with RAG) and open case-audit actions, in due-date order. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class OutstandingActionsPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  /** The team chooser (a GET form): a chosen team goes to its own address. */
  @Get('outstanding-actions')
  async choose(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const query = request.query as Record<string, unknown>;
    let problems = noProblems();
    if ('teamId' in query) {
      try {
        const { teamId } = await validated(TeamIdParam, filled(query, ['teamId']));
        return response.redirect(303, `/teams/${encodeURIComponent(teamId)}/outstanding-actions`);
      } catch (error) {
        problems = problemsFrom(error, { labels: { teamId: 'Team' } });
        if (query.teamId === '' || query.teamId === undefined) {
          problems = oneProblem('teamId', '#teamId', 'Choose a team');
        }
      }
    }
    await this.showPage(request, response, null, problems, problems.errorList.length ? 400 : 200);
  }

  @Get('teams/:teamId/outstanding-actions')
  async team(@Param() params: TeamIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { teamId } = await validated(TeamIdParam, { ...params });
    await this.showPage(request, response, teamId, noProblems());
  }

  @Get('teams/:teamId/outstanding-actions.csv')
  async csv(@Param() params: TeamIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { teamId } = await validated(TeamIdParam, { ...params });
    const view = await this.api.plans.outstanding({ teamId }, {}, request);
    sendCsv(
      response,
      `${teamId}-outstanding-actions-${view.on}.csv`,
      csv(
        OUTSTANDING_CSV_COLUMNS,
        view.items.map((i) => ({ ...i, reasons: (i.reasons ?? []).join('; ') })),
      ),
    );
  }

  private async showPage(
    request: SignedIn,
    response: Response,
    teamId: string | null,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const [view, teams, users, awaitingYourModeration] = await Promise.all([
      teamId ? this.api.plans.outstanding({ teamId }, {}, request) : Promise.resolve(null),
      this.api.teams.list({}),
      this.queries.execute(new ListUsersQuery()),
      teamId ? this.api.auditReports.awaitingModeration(teamId, request) : Promise.resolve(0),
    ]);
    const names = new Map(users.map((u) => [u.userId, u.name]));
    // A team manager may look at their own teams only (the policy answers 404 for the others).
    const { role, teamIds } = request.principal;
    const choosable = role === 'team-manager' ? teams.filter((t) => teamIds.includes(t.teamId)) : teams;
    const team = teamId ? teams.find((t) => t.teamId === teamId) : undefined;
    this.views.send(
      request,
      response,
      'plans/outstanding.njk',
      {
        title: team ? `Outstanding actions: ${team.name}` : 'Outstanding actions',
        teamName: team?.name ?? teamId,
        view,
        awaitingYourModeration,
        csvHref: teamId ? `/teams/${encodeURIComponent(teamId)}/outstanding-actions.csv` : null,
        items: (view?.items ?? []).map((i) => ({
          ...i,
          kindText: i.kind === 'improvement-action' ? 'Improvement action' : 'Audit action',
          href: i.kind === 'improvement-action' ? actionHref(i.actionId) : `/audits/${encodeURIComponent(i.auditId ?? '')}`,
          from: i.kind === 'improvement-action' ? null : i.caseRef,
          ownerName: ownerNameOf(i, names),
          tag: i.rag ? RAG_TAG[i.rag] : null,
        })),
        countTags: view
          ? Object.entries(RAG_TAG).map(([rag, tag]) => ({
              ...tag,
              count: view.totals.improvementRag[rag as keyof typeof view.totals.improvementRag],
            }))
          : [],
        teamItems: teamSelectItems(choosable, teamId ?? (request.query as Record<string, unknown>).teamId),
        ...problems,
      },
      status,
    );
  }
}

const SELF_ASSESSMENT_LABELS = {
  service: 'Service',
  period: 'Quarter',
  score: 'Score',
  whatWeKnow: 'What do we know about the quality and impact of our practice?',
  howWeKnow: 'How do we know it?',
  whatNext: 'What are we going to do next?',
};
const SELF_ASSESSMENT_FIELDS = ['service', 'period', 'score', 'whatWeKnow', 'howWeKnow', 'whatNext'] as const;
const mayRecordSelfAssessment = (request: SignedIn): boolean =>
  ['team-manager', 'improvement-lead', 'admin'].includes(request.principal.role);

/** Quarterly social-work self-assessments: the list (one service or all, with a CSV) and recording one. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class SelfAssessmentPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  @Get('self-assessments')
  async list(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showList(request, response, {}, noProblems());
  }

  @Get('self-assessments.csv')
  async csv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const params = await validated(ListSelfAssessmentsParams, filled(request.query as Record<string, unknown>, ['service']));
    const rows = await this.api.selfAssessments.list(params);
    sendCsv(
      response,
      'self-assessments.csv',
      csv(['service', 'period', 'periodFrom', 'score', 'whatWeKnow', 'howWeKnow', 'whatNext', 'recordedAt', 'recordedBy'], rows),
    );
  }

  @Post('self-assessments')
  async record(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values = filled(request.body, [...SELF_ASSESSMENT_FIELDS, 'noScore']);
    // A blank score must be meant: with "no score this quarter" ticked it is left out, otherwise it is refused.
    const raw = typeof values.score === 'string' ? values.score.trim() : '';
    const noScore = values.noScore === 'yes' && raw === '';
    const score = /^\d{1,2}(\.\d+)?$/.test(raw) ? Number(raw) : (values.score ?? '');
    await submitForm({
      run: async () => {
        const { noScore: _noScore, ...fields } = values;
        const dto = await validated(RecordSelfAssessmentDto, noScore ? { ...fields, score: undefined } : { ...fields, score });
        await this.api.selfAssessments.record(dto, pageContext(request));
        const query = new URLSearchParams({ done: 'recorded', service: dto.service }).toString();
        response.redirect(303, `/self-assessments?${query}`);
      },
      problems: {
        labels: SELF_ASSESSMENT_LABELS,
        fieldOf: {
          SELF_ASSESSMENT_ALREADY_RECORDED: 'period',
          SELF_ASSESSMENT_PERIOD_NOT_QUARTER: 'period',
          SELF_ASSESSMENT_BEFORE_QUARTER_STARTS: 'period',
          SELF_ASSESSMENT_SCORE_OFF_SCALE: 'score',
        },
        idOf: (f) => (f === 'score' ? 'score' : f),
        formId: 'record',
      },
      onProblems: (problems) => this.showList(request, response, values, problems, 400),
    });
  }

  private async showList(
    request: SignedIn,
    response: Response,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const filters = filled(request.method === 'GET' ? (request.query as Record<string, unknown>) : {}, ['service']);
    let rows: Awaited<ReturnType<ApiControllers['selfAssessments']['list']>> = [];
    let shown = problems;
    try {
      rows = await this.api.selfAssessments.list(await validated(ListSelfAssessmentsParams, filters));
    } catch (error) {
      const filterProblems = problemsFrom(error, { labels: { service: 'Service' }, idOf: () => 'filterService' });
      shown = {
        errors: { ...problems.errors, filterService: filterProblems.errors.service },
        errorList: filterProblems.errorList,
      };
      status = 400;
    }
    const users = await this.queries.execute(new ListUsersQuery());
    const names = new Map(users.map((u) => [u.userId, u.name]));
    const query = filters.service ? `?${new URLSearchParams({ service: String(filters.service) }).toString()}` : '';
    // A team manager records for their teams' services only (the policy's rule): name them in the hint.
    const ownServices =
      request.principal.role === 'team-manager'
        ? [
            ...new Set(
              (await this.api.teams.list({}))
                .filter((t) => request.principal.teamIds.includes(t.teamId))
                .map((t) => serviceIdOf(t.service)),
            ),
          ].sort()
        : null;
    const serviceHint = ownServices
      ? ownServices.length
        ? `Your teams’ services: ${ownServices.join(', ')}`
        : 'You have no teams, so no service to assess'
      : 'The service’s id: a team’s service in lower case with hyphens, for example children-in-need';
    this.views.send(
      request,
      response,
      'plans/self-assessments.njk',
      {
        title: 'Self-assessments',
        rows: rows.map((r) => ({ ...r, recordedByName: names.get(r.recordedBy) ?? r.recordedBy })),
        filters,
        csvHref: `/self-assessments.csv${query}`,
        done: request.method === 'GET' ? request.query.done : undefined,
        mayRecord: mayRecordSelfAssessment(request),
        serviceHint,
        values,
        ...shown,
      },
      status,
    );
  }
}
