import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CONFIDENCES } from '@casetrail/kernel';
import type { Principal } from '../../auth/principal';
import { AddActionDto, AddPriorityDto, CreatePlanDto, IdParam, ReportProgressDto } from '../../plans/plans.commands';
import { TRIGGER_KINDS } from '../../plans/plans.events';
import { ListUsersQuery } from '../../users/users.queries';
import { ApiControllers } from '../api-controllers';
import { csv, sendCsv } from '../csv';
import { dateItems, dayFromParts, partsOfDay } from '../dates';
import { filled, noProblems, problemsFrom, validated, type FormProblems } from '../forms';
import { words } from '../views';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import type { WebRequest } from '../web-request';
import { pageContext } from './sign-in.controller';

type SignedIn = WebRequest & { principal: Principal };
const RAG_TAG: Record<string, { text: string; classes: string }> = {
  red: { text: 'Red', classes: 'govuk-tag--red' },
  amber: { text: 'Amber', classes: 'govuk-tag--orange' },
  green: { text: 'Green', classes: 'govuk-tag--green' },
  grey: { text: 'Not started', classes: 'govuk-tag--grey' },
  blue: { text: 'Complete', classes: 'govuk-tag--blue' },
};
const mayManage = (request: SignedIn): boolean =>
  request.principal.role === 'improvement-lead' || request.principal.role === 'admin';
const idFromStream = (streamId: string, prefix: string): string => streamId.slice(prefix.length);
const today = (): string => new Date().toISOString().slice(0, 10);

/** Improvement plans: plans, priorities and actions with their RAG and its reasons; progress reports. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class PlanPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  @Get('plans')
  async list(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showList(request, response, { triggerDate: today() }, noProblems());
  }

  @Post('plans')
  async create(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values: Record<string, unknown> = {
      ...filled(request.body, ['title', 'triggerKind']),
      triggerDate: dayFromParts(request.body, 'triggerDate'),
    };
    try {
      const dto = await validated(CreatePlanDto, {
        title: values.title,
        trigger: { kind: values.triggerKind, date: values.triggerDate },
      });
      const result = await this.api.plans.create(dto, request, pageContext(request));
      return response.redirect(303, `/plans/${encodeURIComponent(idFromStream(result.streamId, 'plan-'))}`);
    } catch (error) {
      const problems = problemsFrom(error, {
        labels: { title: 'Title' },
        idOf: (f) => (f === 'trigger' ? 'triggerKind' : f),
      });
      await this.showList(request, response, values, problems, 400);
    }
  }

  private async showList(
    request: SignedIn,
    response: Response,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const plans = await this.api.plans.listPlans();
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
          ...TRIGGER_KINDS.map((k) => ({ value: k, text: words(k), selected: values.triggerKind === k })),
        ],
        triggerDateItems: dateItems(partsOfDay(values.triggerDate as string | undefined), false),
        ...problems,
      },
      status,
    );
  }

  @Get('plans/:id')
  async show(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    await this.showPlan(request, response, id, { startOn: today() }, noProblems());
  }

  @Get('plans/:id/actions.csv')
  async csv(@Param() params: IdParam, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const status = await this.api.plans.status({ id }, {});
    sendCsv(
      response,
      `${id}-actions.csv`,
      csv(
        [
          'actionId',
          'title',
          'ownerId',
          'teamIds',
          'priorityId',
          'startOn',
          'dueOn',
          'originalDueOn',
          'completedOn',
          'rag',
          'reasons',
        ],
        status.actions.map((a) => ({ ...a, reasons: a.reasons.join('; ') })),
      ),
    );
  }

  @Post('plans/:id/priorities')
  async addPriority(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const values = filled(request.body, ['priorityTitle']);
    try {
      await this.api.plans.addPriority(
        { id },
        await validated(AddPriorityDto, { title: values.priorityTitle }),
        pageContext(request),
      );
      return response.redirect(303, `/plans/${encodeURIComponent(id)}`);
    } catch (error) {
      const problems = problemsFrom(error, { labels: { title: 'New priority' }, idOf: () => 'priorityTitle' });
      if (problems.errors.title) problems.errors = { priorityTitle: problems.errors.title };
      await this.showPlan(request, response, id, values, problems, 400);
    }
  }

  @Post('plans/:id/actions')
  async addAction(@Param() params: IdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(IdParam, { ...params });
    const raw = filled(request.body, ['priorityId', 'title', 'ownerId', 'teamIds', 'successMeasure']);
    const values = {
      ...raw,
      teamIds: raw.teamIds === undefined ? [] : ([] as unknown[]).concat(raw.teamIds),
      startOn: dayFromParts(request.body, 'startOn'),
      dueOn: dayFromParts(request.body, 'dueOn'),
    };
    try {
      const dto = await validated(AddActionDto, { ...values, recommendationIds: [] });
      const result = await this.api.plans.addAction({ id }, dto, pageContext(request));
      return response.redirect(303, `/actions/${encodeURIComponent(idFromStream(result.streamId, 'action-'))}?done=added`);
    } catch (error) {
      const problems = problemsFrom(error, {
        labels: {
          priorityId: 'Priority',
          title: 'Action',
          ownerId: 'Owner',
          teamIds: 'Teams',
          startOn: 'Start date',
          dueOn: 'Due date',
          successMeasure: 'Success measure',
        },
        idOf: (f) => (f === 'startOn' || f === 'dueOn' ? `${f}-day` : f),
      });
      await this.showPlan(request, response, id, values, problems, 400);
    }
  }

  private async showPlan(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const [plan, users, teams] = await Promise.all([
      this.api.plans.status({ id }, {}),
      this.queries.execute(new ListUsersQuery()),
      this.api.teams.list({}),
    ]);
    const names = new Map(users.map((u) => [u.userId, u.name]));
    const teamIds = (values.teamIds as string[] | undefined) ?? [];
    this.views.send(
      request,
      response,
      'plans/show.njk',
      {
        title: plan.title,
        plan,
        actions: plan.actions.map((a) => ({ ...a, tag: RAG_TAG[a.rag], ownerName: names.get(a.ownerId) ?? a.ownerId })),
        countTags: Object.entries(RAG_TAG).map(([rag, tag]) => ({ ...tag, count: plan.counts[rag as keyof typeof plan.counts] })),
        mayManage: mayManage(request),
        values,
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
    try {
      await this.api.plans.progress({ id }, await validated(ReportProgressDto, values), pageContext(request));
      return response.redirect(303, `/actions/${encodeURIComponent(id)}?done=reported`);
    } catch (error) {
      const problems = problemsFrom(error, {
        labels: { note: 'Progress', confidence: 'Confidence', evidence: 'Evidence' },
        formId: 'progress',
      });
      await this.showAction(request, response, id, values, problems, 400);
    }
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
    const ownerName = users.find((u) => u.userId === action.ownerId)?.name ?? action.ownerId;
    const role = request.principal.role;
    this.views.send(
      request,
      response,
      'plans/action.njk',
      {
        title: action.title,
        action,
        ownerName,
        tag: RAG_TAG[action.rag],
        mayReport: action.completedOn === null && (role === 'improvement-lead' || action.ownerId === request.principal.userId),
        confidenceItems: CONFIDENCES.map((c) => ({ value: c, text: words(c), checked: values.confidence === c })),
        done: request.query.done,
        values,
        ...problems,
      },
      status,
    );
  }
}
