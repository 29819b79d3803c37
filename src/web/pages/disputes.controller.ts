import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { addDays, dayInWords, financialQuarter, financialYearStart, parsePeriod, type LocalDate } from '@casetrail/kernel';
import { businessToday, type CommandContext, InvalidInputException } from '../../core';
import {
  type DisputePeriodStats,
  CafcassReferralDto,
  DisputeIdParam,
  EscalateDisputeDto,
  ListDisputesParams,
  ListGoodPracticeAlertsParams,
  RaiseDisputeDto,
  RaiseGoodPracticeAlertDto,
  RecordDisputeResponseDto,
  ReopenDisputeDto,
  ResolveDisputeDto,
  StatsParams,
  DISPUTE_CATEGORIES,
  DISPUTE_OUTCOMES,
  type DisputeOutcome,
} from '../../disputes';

/** Outcomes as the resolve form and the timeline say them. */
const OUTCOME_TEXT: Record<DisputeOutcome, string> = {
  resolved: 'Resolved',
  'partly-resolved': 'Partly resolved',
  withdrawn: 'Withdrawn',
  unresolved: 'Unresolved: the local process ended without agreement',
  'referred-to-cafcass': 'Referred to Cafcass after the local process',
};
const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
import { ListUsersQuery } from '../../users';
import { ApiControllers } from '../api-controllers';
import { csv, sendCsv } from '../csv';
import { dateFieldIds, dateItems, dayFromParts, partsOfDay } from '../dates';
import { filled, noProblems, problemsFrom, submitForm, teamSelectItems, validated, type FormProblems } from '../forms';
import { hrefWith, type SignedIn } from '../page-helpers';
import { words } from '../views';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import { recordScope } from '../web-request';
import { pageContext } from './sign-in.controller';

const RAISE_LABELS = {
  childRef: 'Child reference',
  teamId: 'Team',
  category: 'What it is about',
  summary: 'What the problem is',
  desiredOutcome: 'What should happen',
};
type Item = { value: string; text: string; selected?: boolean };
const isIro = (request: SignedIn): boolean => request.principal.role === 'iro';
const DONE_TEXT: Record<string, string> = {
  raised: 'Dispute raised.',
  escalated: 'Dispute escalated.',
  responded: 'Response recorded.',
  resolved: 'Dispute resolved.',
  reopened: 'Dispute reopened.',
  referred: 'Referral to Cafcass recorded.',
};
const LIST_FILTERS = ['teamId', 'status', 'overdue', 'on'] as const;

/** The list's filters from a query string: the page's form sends the "as on" day as three boxes, the CSV link as `on`. */
function listFilters(query: Record<string, unknown>): Record<string, unknown> {
  const filters = filled(query, LIST_FILTERS);
  const on = dayFromParts(query, 'on');
  if (on !== undefined) filters.on = on;
  return filters;
}

/** "2026/27 Q3" -> its days; a financial year "2026/27" -> April to March. */
function periodDays(label: string): { from: LocalDate; to: LocalDate } | undefined {
  const year = /^(\d{4})\/(\d{2})$/.exec(label);
  if (year && (Number(year[1]) + 1) % 100 === Number(year[2])) {
    return { from: `${year[1]}-04-01`, to: `${Number(year[1]) + 1}-03-31` };
  }
  const quarter = parsePeriod(label);
  return quarter?.frequency === 'quarterly' ? { from: quarter.from, to: quarter.to } : undefined;
}

/**
 * The periods offered on the statistics page, newest first: each financial year from the one of the
 * earliest DR (at least the last three, at most ten) with its quarters that have begun.
 */
function statsPeriodItems(today: LocalDate, earliest: LocalDate | undefined, chosen: string): Item[] {
  const items: Item[] = [];
  const thisYear = financialYearStart(today);
  const firstYear = Math.max(thisYear - 9, Math.min(thisYear - 2, earliest ? financialYearStart(earliest) : thisYear));
  for (let year = thisYear; year >= firstYear; year--) {
    const label = `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
    items.push({ value: label, text: `${label} (whole financial year)` });
    for (let q = 4; q >= 1; q--) {
      const quarter = financialQuarter(addDays(`${year}-04-01`, (q - 1) * 92));
      if (quarter.from <= today)
        items.push({ value: quarter.label, text: `${quarter.label} (${dayInWords(quarter.from)} to ${dayInWords(quarter.to)})` });
    }
  }
  if (!items.some((item) => item.value === chosen)) items.unshift({ value: chosen, text: chosen });
  return items.map((item) => ({ ...item, selected: item.value === chosen }));
}

/** The measures of the statistics table and CSV, in order: [column, row heading, value]. */
function statsMeasures(stats: DisputePeriodStats): [string, string, number | string][] {
  const within = stats.resolvedWithinFormalTarget;
  return [
    ['raisedInformal', 'Raised informally', stats.raised.informal],
    ['raisedFormal', 'Became formal', stats.raised.formal],
    ['resolved', 'Resolved', stats.resolved],
    ['resolvedFormal', 'Formal DRs resolved', within.resolvedFormal],
    ['resolvedWithinTarget', 'Formal DRs resolved within the formal target', within.count],
    ['percentWithinTarget', 'Percentage resolved within the formal target', within.percent === null ? '' : within.percent],
    [
      'medianWorkingDaysToResolve',
      'Median working days from raising to resolution',
      stats.medianWorkingDaysToResolve === null ? '' : stats.medianWorkingDaysToResolve,
    ],
    ['cafcassReferrals', 'Referrals to Cafcass', stats.cafcassReferrals],
    ['goodPracticeAlerts', 'Good-practice alerts', stats.goodPracticeAlerts],
  ];
}

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
    const filters = listFilters(request.query as Record<string, unknown>);
    let problems = noProblems();
    let disputes: Awaited<ReturnType<ApiControllers['disputes']['list']>> = [];
    try {
      disputes = await this.api.disputes.list(await validated(ListDisputesParams, filters), recordScope(request));
    } catch (error) {
      problems = problemsFrom(error, {
        labels: { teamId: 'Team', status: 'Status', overdue: 'Overdue', on: 'As on' },
        idOf: dateFieldIds(['on']),
      });
    }
    const teams = await this.api.teams.list({ includeClosed: 'true' });
    this.views.send(
      request,
      response,
      'disputes/list.njk',
      {
        title: 'Dispute resolutions',
        disputes,
        filters,
        mayRaise: isIro(request),
        csvHref: hrefWith('/disputes.csv', filters),
        onItems: dateItems(partsOfDay(filters.on as string | undefined), Boolean(problems.errors.on)),
        teamItems: [
          { value: '', text: 'All teams' },
          ...teams.map((t) => ({ value: t.teamId, text: t.name, selected: filters.teamId === t.teamId })),
        ],
        statusItems: [
          { value: '', text: 'Open and resolved' },
          { value: 'open', text: 'Open', selected: filters.status === 'open' },
          { value: 'resolved', text: 'Resolved', selected: filters.status === 'resolved' },
        ],
        overdueItems: [
          { value: '', text: 'Overdue or not' },
          { value: 'true', text: 'Overdue', selected: filters.overdue === 'true' },
          { value: 'false', text: 'Not overdue', selected: filters.overdue === 'false' },
        ],
        ...problems,
      },
      problems.errorList.length ? 400 : 200,
    );
  }

  @Get('stats')
  async stats(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const today = businessToday();
    const chosen = filled(request.query as Record<string, unknown>, ['period', 'teamId']);
    const period = typeof chosen.period === 'string' ? chosen.period : financialQuarter(today).label;
    const days = periodDays(period);
    let problems = noProblems();
    let stats: Awaited<ReturnType<ApiControllers['disputes']['stats']>> | null = null;
    try {
      if (!days) throw new InvalidInputException([{ field: 'period', problems: ['Choose a financial year or quarter'] }]);
      const params = await validated(StatsParams, { ...days, ...(chosen.teamId ? { teamId: chosen.teamId } : {}) });
      stats = await this.api.disputes.stats(params, recordScope(request));
    } catch (error) {
      problems = problemsFrom(error, { labels: { teamId: 'Team', period: 'Period' } });
    }
    const [teams, visible, protocols] = await Promise.all([
      this.api.teams.list({ includeClosed: 'true' }),
      this.api.disputes.list({}, recordScope(request)),
      this.api.disputeProtocols.list(),
    ]);
    // A stage's title from the newest protocol that has it.
    const stageTitle = new Map(protocols.flatMap((p) => p.stages.map((st) => [st.key, st.title] as const)));
    const columns = stats ? [...stats.quarters.map((q) => ({ heading: q.quarter, stats: q }))] : [];
    if (stats && stats.quarters.length > 1)
      columns.push({ heading: 'Total', stats: { ...stats.totals, quarter: 'Total', from: stats.from, to: stats.to } });
    const stages = new Set<string>();
    for (const c of columns) for (const key of Object.keys(c.stats.highestStageReached)) stages.add(key);
    this.views.send(
      request,
      response,
      'disputes/stats.njk',
      {
        title: 'Dispute resolution statistics',
        stats,
        period,
        columns: columns.map((c) => ({
          heading: c.heading,
          // What each cell shows: "None" where there is nothing to take a median or percentage of.
          cells: statsMeasures(c.stats).map(([column, , v]) =>
            v === '' ? 'None' : column === 'percentWithinTarget' ? `${v}%` : String(v),
          ),
          stats: c.stats,
        })),
        measureNames: stats ? statsMeasures(stats.totals).map(([, name]) => name) : [],
        categories: DISPUTE_CATEGORIES.map((c) => ({ key: c, text: words(c) })),
        outcomes: DISPUTE_OUTCOMES.map((o) => ({ key: o, text: OUTCOME_TEXT[o] })),
        stages: [...stages].map((key) => ({ key, text: stageTitle.get(key) ?? words(key) })),
        csvHref: hrefWith('/disputes/stats.csv', { period, ...(chosen.teamId ? { teamId: chosen.teamId } : {}) }),
        periodItems: statsPeriodItems(today, visible[0]?.raisedOn, period),
        teamItems: [
          { value: '', text: 'All teams' },
          ...teams.map((t) => ({ value: t.teamId, text: t.name, selected: chosen.teamId === t.teamId })),
        ],
        ...problems,
      },
      problems.errorList.length ? 400 : 200,
    );
  }

  @Get('stats.csv')
  async statsCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const chosen = filled(request.query as Record<string, unknown>, ['period', 'teamId']);
    const days = periodDays(typeof chosen.period === 'string' ? chosen.period : financialQuarter(businessToday()).label);
    if (!days) throw new InvalidInputException([{ field: 'period', problems: ['period must be a financial year or quarter'] }]);
    const params = await validated(StatsParams, { ...days, ...(chosen.teamId ? { teamId: chosen.teamId } : {}) });
    const stats = await this.api.disputes.stats(params, recordScope(request));
    const rows = [...stats.quarters, { ...stats.totals, quarter: 'Total', from: stats.from, to: stats.to }].map((q) => ({
      quarter: q.quarter,
      from: q.from,
      to: q.to,
      ...Object.fromEntries(statsMeasures(q).map(([column, , value]) => [column, value])),
      ...Object.fromEntries(DISPUTE_CATEGORIES.map((c) => [`category:${c}`, q.byCategory[c]])),
      ...Object.fromEntries(Object.entries(q.highestStageReached).map(([stage, n]) => [`highestStage:${stage}`, n])),
    }));
    const stageColumns = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k.startsWith('highestStage:'))))];
    sendCsv(
      response,
      'dispute-statistics.csv',
      csv(
        [
          'quarter',
          'from',
          'to',
          ...statsMeasures(stats.totals).map(([column]) => column),
          ...DISPUTE_CATEGORIES.map((c) => `category:${c}`),
          ...stageColumns,
        ],
        rows,
      ),
    );
  }

  @Get('good-practice-alerts')
  async alerts(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showAlerts(request, response, {}, noProblems());
  }

  @Get('good-practice-alerts.csv')
  async alertsCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, ['teamId']);
    const alerts = await this.api.goodPracticeAlerts.list(
      await validated(ListGoodPracticeAlertsParams, filters),
      recordScope(request),
    );
    sendCsv(
      response,
      'good-practice-alerts.csv',
      csv(['alertId', 'childRef', 'teamId', 'raisedOn', 'raisedBy', 'summary'], alerts),
    );
  }

  @Post('good-practice-alerts')
  async raiseAlert(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values: Record<string, unknown> = {
      ...filled(request.body, ['childRef', 'teamId', 'summary']),
      raisedOn: dayFromParts(request.body, 'raisedOn'),
    };
    await submitForm({
      run: async () => {
        await this.api.goodPracticeAlerts.raise(await validated(RaiseGoodPracticeAlertDto, values), pageContext(request));
        response.redirect(303, '/disputes/good-practice-alerts?done=raised');
      },
      problems: {
        labels: { childRef: 'Child reference', teamId: 'Team', summary: 'What was good', raisedOn: 'Date' },
        fieldOf: { UNKNOWN_TEAM: 'teamId', TEAM_CLOSED: 'teamId' },
        idOf: dateFieldIds(['raisedOn']),
      },
      onProblems: (problems) => this.showAlerts(request, response, values, problems, 400),
    });
  }

  private async showAlerts(
    request: SignedIn,
    response: Response,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, ['teamId']);
    let listProblems = noProblems();
    let alerts: Awaited<ReturnType<ApiControllers['goodPracticeAlerts']['list']>> = [];
    try {
      alerts = await this.api.goodPracticeAlerts.list(
        await validated(ListGoodPracticeAlertsParams, filters),
        recordScope(request),
      );
    } catch (error) {
      listProblems = problemsFrom(error, { labels: { teamId: 'Team' }, idOf: () => 'filterTeamId' });
    }
    const [allTeams, openTeams, users] = await Promise.all([
      this.api.teams.list({ includeClosed: 'true' }),
      this.api.teams.list({}),
      this.queries.execute(new ListUsersQuery()),
    ]);
    const names = new Map(users.map((u) => [u.userId, u.name]));
    const role = request.principal.role;
    this.views.send(
      request,
      response,
      'disputes/alerts.njk',
      {
        title: 'Good-practice alerts',
        alerts: alerts.map((a) => ({ ...a, raisedByName: names.get(a.raisedBy) ?? a.raisedBy })),
        mayRaise: role === 'iro' || role === 'admin',
        done: request.query.done,
        values,
        csvHref: hrefWith('/disputes/good-practice-alerts.csv', filters),
        filterTeamItems: [
          { value: '', text: 'All teams' },
          ...allTeams.map((t) => ({ value: t.teamId, text: t.name, selected: filters.teamId === t.teamId })),
        ],
        teamItems: teamSelectItems(openTeams, values.teamId),
        raisedOnItems: dateItems(partsOfDay(values.raisedOn as string | undefined), Boolean(problems.errors.raisedOn)),
        errors: { ...listProblems.errors, ...problems.errors },
        errorList: [...listProblems.errorList, ...problems.errorList],
      },
      listProblems.errorList.length ? 400 : status,
    );
  }

  @Get('raise')
  async raisePage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showRaise(request, response, {}, noProblems());
  }

  @Post('raise')
  async raise(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values = filled(request.body, ['childRef', 'teamId', 'category', 'summary', 'desiredOutcome']);
    await submitForm({
      run: async () => {
        const raised = await this.api.disputes.raise(await validated(RaiseDisputeDto, values), pageContext(request));
        response.redirect(303, `/disputes/${encodeURIComponent(raised.disputeId)}?done=raised`);
      },
      problems: { labels: RAISE_LABELS, fieldOf: { UNKNOWN_TEAM: 'teamId', TEAM_CLOSED: 'teamId' } },
      onProblems: (problems) => this.showRaise(request, response, values, problems, 400),
    });
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

  @Post(':id/reopen')
  async reopen(@Param() params: DisputeIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.reasonForm(params, request, response, {
      field: 'reopenReason',
      done: 'reopened',
      label: 'Why it is reopened',
      send: async (id, reason, context) =>
        this.api.disputes.reopen({ id }, await validated(ReopenDisputeDto, { reason }), context),
    });
  }

  @Post(':id/cafcass-referral')
  async referToCafcass(@Param() params: DisputeIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.reasonForm(params, request, response, {
      field: 'cafcassReason',
      done: 'referred',
      label: 'Why you are referring',
      send: async (id, reason, context) =>
        this.api.disputes.referToCafcass({ id }, await validated(CafcassReferralDto, { reason }), context),
    });
  }

  /**
   * The forms that are one reason box (reopen, refer to Cafcass): each box has its own name on the
   * DR page (both forms are there), the DTO calls it `reason`.
   */
  private async reasonForm(
    params: DisputeIdParam,
    request: SignedIn,
    response: Response,
    form: {
      field: string;
      done: string;
      label: string;
      send: (id: string, reason: unknown, context: CommandContext) => Promise<unknown>;
    },
  ): Promise<void> {
    const { id } = await validated(DisputeIdParam, { ...params });
    const values = filled(request.body, [form.field]);
    await this.act(
      request,
      response,
      id,
      values,
      form.done,
      { reason: form.label },
      async () => form.send(id, values[form.field], pageContext(request)),
      () => form.field,
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
    idOf?: (field: string) => string,
  ): Promise<void> {
    await submitForm({
      run: async () => {
        await command();
        response.redirect(303, `/disputes/${encodeURIComponent(id)}?done=${done}`);
      },
      problems: {
        labels,
        formId: done,
        idOf,
        fieldOf: { STAGE_NOT_HIGHER: 'toStage', UNKNOWN_STAGE: 'toStage', ESCALATION_NOT_UPWARDS: 'toStage' },
      },
      onProblems: (problems) => this.showDispute(request, response, id, { ...values, form: done }, problems, 400),
    });
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
        mayReopen: dispute.status === 'resolved' && role === 'iro',
        // At any stage alongside the local process, or after it has ended (resolved).
        mayReferToCafcass: role === 'iro' && !dispute.cafcassReferral && dispute.status !== 'not-raised',
        localProcessEnded: dispute.status === 'resolved',
        history: [
          ...dispute.statusChanges.map((c) =>
            c.status === 'resolved'
              ? { on: c.on, text: `Resolved: ${lowerFirst(OUTCOME_TEXT[c.outcome])}.`, detail: c.note }
              : { on: c.on, text: 'Reopened.', detail: c.reason },
          ),
          ...(dispute.cafcassReferral
            ? [
                {
                  on: dispute.cafcassReferral.referredOn,
                  text: dispute.cafcassReferral.afterLocalProcess
                    ? 'Referred to Cafcass after the local process ended.'
                    : 'Referred to Cafcass.',
                  detail: dispute.cafcassReferral.reason,
                },
              ]
            : []),
        ].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)),
        doneText: DONE_TEXT[String(request.query.done)],
        outcomeItems: DISPUTE_OUTCOMES.map((o) => ({ value: o, text: OUTCOME_TEXT[o], checked: values.outcome === o })),
        outcomeText: dispute.outcome ? lowerFirst(OUTCOME_TEXT[dispute.outcome as DisputeOutcome]) : '',
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
    const filters = listFilters(request.query as Record<string, unknown>);
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
          'cafcassReferredOn',
        ],
        disputes,
      ),
    );
  }
}
