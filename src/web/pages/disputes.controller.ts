import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '../../auth/principal';
import {
  DisputeIdParam,
  EscalateDisputeDto,
  ListDisputesParams,
  RaiseDisputeDto,
  RecordDisputeResponseDto,
  ResolveDisputeDto,
} from '../../disputes/disputes.commands';
import { DISPUTE_CATEGORIES, DISPUTE_OUTCOMES } from '../../disputes/disputes.events';
import { ListUsersQuery } from '../../users/users.queries';
import { ApiControllers } from '../api-controllers';
import { csv, sendCsv } from '../csv';
import { filled, noProblems, problemsFrom, teamSelectItems, validated, type FormProblems } from '../forms';
import { words } from '../views';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import { recordScope, type WebRequest } from '../web-request';
import { pageContext } from './sign-in.controller';

type SignedIn = WebRequest & { principal: Principal; teamScope?: string[] | null };
const RAISE_LABELS = {
  childRef: 'Child reference',
  teamId: 'Team',
  category: 'What it is about',
  summary: 'What the problem is',
  desiredOutcome: 'What should happen',
};
const isIro = (request: SignedIn): boolean => request.principal.role === 'iro';

/** IRO dispute resolution: list, raise, the stage timeline, escalate (with bypass), record a response, resolve. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller('disputes')
export class DisputePagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  @Get()
  async list(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, ['teamId', 'status']);
    let problems = noProblems();
    let disputes: Awaited<ReturnType<ApiControllers['disputes']['list']>> = [];
    try {
      disputes = await this.api.disputes.list(await validated(ListDisputesParams, filters), recordScope(request));
    } catch (error) {
      problems = problemsFrom(error, { labels: { teamId: 'Team', status: 'Status' } });
    }
    const teams = await this.api.teams.list({ includeClosed: 'true' });
    const query = new URLSearchParams(filters as Record<string, string>).toString();
    this.views.send(request, response, 'disputes/list.njk', {
      title: 'Dispute resolutions',
      disputes,
      filters,
      mayRaise: isIro(request),
      csvHref: `/disputes.csv${query ? `?${query}` : ''}`,
      teamItems: [
        { value: '', text: 'All teams' },
        ...teams.map((t) => ({ value: t.teamId, text: t.name, selected: filters.teamId === t.teamId })),
      ],
      statusItems: [
        { value: '', text: 'Open and resolved' },
        { value: 'open', text: 'Open', selected: filters.status === 'open' },
        { value: 'resolved', text: 'Resolved', selected: filters.status === 'resolved' },
      ],
      ...problems,
    });
  }

  @Get('raise')
  async raisePage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showRaise(request, response, {}, noProblems());
  }

  @Post('raise')
  async raise(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values = filled(request.body, ['childRef', 'teamId', 'category', 'summary', 'desiredOutcome']);
    try {
      const raised = await this.api.disputes.raise(await validated(RaiseDisputeDto, values), pageContext(request));
      return response.redirect(303, `/disputes/${encodeURIComponent(raised.disputeId)}?done=raised`);
    } catch (error) {
      const problems = problemsFrom(error, { labels: RAISE_LABELS, fieldOf: { UNKNOWN_TEAM: 'teamId', TEAM_CLOSED: 'teamId' } });
      await this.showRaise(request, response, values, problems, 400);
    }
  }

  private async showRaise(
    request: SignedIn,
    response: Response,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const teams = await this.api.teams.list({});
    this.views.send(
      request,
      response,
      'disputes/raise.njk',
      {
        title: 'Raise a dispute',
        values,
        teamItems: teamSelectItems(teams, values.teamId),
        categoryItems: [
          { value: '', text: 'Choose one' },
          ...DISPUTE_CATEGORIES.map((c) => ({ value: c, text: words(c), selected: values.category === c })),
        ],
        ...problems,
      },
      status,
    );
  }

  @Get(':id')
  async show(@Param() params: DisputeIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(DisputeIdParam, { ...params });
    await this.showDispute(request, response, id, {}, noProblems());
  }

  @Post(':id/escalate')
  async escalate(@Param() params: DisputeIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(DisputeIdParam, { ...params });
    const values = filled(request.body, ['toStage', 'reason']);
    await this.act(request, response, id, values, 'escalated', { toStage: 'Stage to escalate to', reason: 'Reason' }, async () =>
      this.api.disputes.escalate({ id }, await validated(EscalateDisputeDto, values), pageContext(request)),
    );
  }

  @Post(':id/respond')
  async respond(@Param() params: DisputeIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(DisputeIdParam, { ...params });
    const values = filled(request.body, ['response', 'respondentName', 'satisfactory']);
    const satisfactory = values.satisfactory === 'yes' ? true : values.satisfactory === 'no' ? false : undefined;
    await this.act(
      request,
      response,
      id,
      values,
      'responded',
      { response: 'Response', respondentName: 'Who answered' },
      async () =>
        this.api.disputes.respond(
          { id },
          await validated(RecordDisputeResponseDto, { ...values, satisfactory }),
          pageContext(request),
          request.principal,
        ),
    );
  }

  @Post(':id/resolve')
  async resolve(@Param() params: DisputeIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(DisputeIdParam, { ...params });
    const values = filled(request.body, ['outcome', 'note']);
    await this.act(request, response, id, values, 'resolved', { outcome: 'Outcome', note: 'Note' }, async () =>
      this.api.disputes.resolve({ id }, await validated(ResolveDisputeDto, values), pageContext(request)),
    );
  }

  /** One form's command: done -> back to the DR with a banner; refused -> the DR page with the form's errors. */
  private async act(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    done: string,
    labels: Record<string, string>,
    command: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await command();
      return response.redirect(303, `/disputes/${encodeURIComponent(id)}?done=${done}`);
    } catch (error) {
      const problems = problemsFrom(error, {
        labels,
        formId: done,
        fieldOf: { STAGE_NOT_HIGHER: 'toStage', UNKNOWN_STAGE: 'toStage', ESCALATION_NOT_UPWARDS: 'toStage' },
      });
      await this.showDispute(request, response, id, { ...values, form: done }, problems, 400);
    }
  }

  private async showDispute(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const dispute = await this.api.disputes.get({ id }, {}, recordScope(request));
    const [protocols, users] = await Promise.all([this.api.disputeProtocols.list(), this.queries.execute(new ListUsersQuery())]);
    const names = new Map(users.map((u) => [u.userId, u.name]));
    const protocol = protocols.find((p) => p.version === dispute.protocolVersion);
    const all = protocol?.stages ?? [];
    const current = all.findIndex((s) => s.key === dispute.stage);
    const higher = all.slice(current + 1);
    const open = dispute.status === 'open';
    const role = request.principal.role;
    const mayRespond = open && (role === 'iro' || role === 'team-manager');
    this.views.send(
      request,
      response,
      'disputes/show.njk',
      {
        title: `Dispute about ${dispute.childRef}`,
        dispute,
        raisedByName: names.get(dispute.raisedBy) ?? dispute.raisedBy,
        titleOf: Object.fromEntries(all.map((s) => [s.key, s.title])),
        stages: dispute.stages.map((s) => ({
          ...s,
          bypassedTitles: s.bypassed.map((key) => all.find((x) => x.key === key)?.title ?? key),
        })),
        mayEscalate: open && role === 'iro' && higher.length > 0,
        escalateItems: higher.map((s) => ({
          value: s.key,
          text: s.title,
          hint: { text: `Answered by the ${words(s.respondentRole).toLowerCase()}` },
          checked: values.toStage === s.key,
        })),
        mayRespond,
        satisfactoryItems: [
          { value: 'yes', text: 'Yes', checked: values.satisfactory === 'yes' },
          { value: 'no', text: 'No', checked: values.satisfactory === 'no' },
        ],
        mayResolve: open && role === 'iro',
        outcomeItems: DISPUTE_OUTCOMES.map((o) => ({ value: o, text: words(o), checked: values.outcome === o })),
        done: request.query.done,
        values,
        ...problems,
      },
      status,
    );
  }
}

/** GET /disputes.csv: the same list, filters and team scope as the page. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class DisputesCsvController {
  constructor(private readonly api: ApiControllers) {}

  @Get('disputes.csv')
  async download(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, ['teamId', 'status']);
    const disputes = await this.api.disputes.list(await validated(ListDisputesParams, filters), recordScope(request));
    sendCsv(
      response,
      'disputes.csv',
      csv(
        [
          'disputeId',
          'childRef',
          'teamId',
          'category',
          'raisedOn',
          'status',
          'stage',
          'dueOn',
          'overdue',
          'workingDaysOverdue',
          'formal',
          'formalTargetOn',
          'overTarget',
        ],
        disputes,
      ),
    );
  }
}
