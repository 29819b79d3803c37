import { Get, Post, UseGuards } from '@nestjs/common';
import type { QueryBus } from '@nestjs/cqrs';
import { financialQuarter, type FinancialQuarter } from '@casetrail/kernel';
import { API_POLICY } from '../../auth';
import type { Role } from '../../shared';
import { businessToday, InvalidInputException } from '../../core';
import {
  BoardReportService,
  renderCsv,
  renderDocx,
  renderHtml,
  reportBodyHtml,
  reportTables,
  ClosedQuarterAsAt,
  PeriodsService,
  previousQuarter,
  parseQuarterParam,
  quarterSlug,
  BoardReportParams,
  QuarterParam,
} from '../../reports';
import { ListPlansQuery, PlanStatusQuery } from '../../improvement';
import { ListTeamsQuery, serviceIdOf } from '../../teams';
import { filled, selectItems, teamSelectItems } from '../forms';
import { checkedPipe, inputPipe, Page, PageController, PageIn, Pages, type Input } from '../kit';
import { hrefWith } from '../page-helpers';

const reportPipe = checkedPipe(BoardReportParams, (query) => filled(query, ['quarter', 'teamId', 'audience', 'format', 'table']));
const closeInput = inputPipe(QuarterParam, (body) => filled(body, ['quarter']));
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Who may close a quarter: the API route's rule, never a second copy of it. */
const mayClose = (role: Role | undefined): boolean =>
  role !== undefined && (API_POLICY['POST /api/v1/periods/:quarter/close'].roles as readonly Role[]).includes(role);

/** The last eight quarters that have ended, latest first: the choices of the quarter list. */
function endedQuarters(today: string): FinancialQuarter[] {
  const quarters: FinancialQuarter[] = [];
  let q = previousQuarter(financialQuarter(today));
  for (let i = 0; i < 8; i++, q = previousQuarter(q)) quarters.push(q);
  return quarters;
}

/**
 * Each plan, its priorities and their actions, and its recommendations, linked to their impact view as on the report's day
 * (actions of the report's team only, when it is a team's report).
 */
async function impactLinks(queries: QueryBus, on: string, teamId: string | null) {
  const impact = (params: Record<string, string>): string => hrefWith('/impact', { ...params, on });
  const plans = await queries.execute(new ListPlansQuery());
  return Promise.all(
    plans.map(async (plan) => {
      const status = await queries.execute(new PlanStatusQuery(plan.planId, on));
      const actions = status.actions.filter((a) => teamId === null || a.teamIds.includes(teamId));
      return {
        title: plan.title,
        href: impact({ planId: plan.planId }),
        priorities: status.priorities.map((p) => ({
          title: p.title,
          href: impact({ planId: plan.planId, priorityId: p.priorityId }),
          actions: actions
            .filter((a) => a.priorityId === p.priorityId)
            .map((a) => ({ title: a.title, href: impact({ actionId: a.actionId }) })),
        })),
        recommendations: status.recommendations.map((r) => ({
          text: r.text,
          href: impact({ recommendationId: r.recommendationId, planId: plan.planId }),
        })),
      };
    }),
  );
}

/**
 * The quarterly board report: choose a quarter, a team and an audience, preview it, download it
 * (print-ready HTML, Word, a CSV per table) and, for improvement leads and admins, close the quarter.
 */
@PageController('reports')
export class ReportPagesController extends Pages {
  constructor(
    private readonly reports: BoardReportService,
    private readonly periods: PeriodsService,
  ) {
    super();
  }

  private async chosen(page: Page) {
    const params = await reportPipe.transform(page.query);
    const quarter = parseQuarterParam(params.quarter);
    if (!quarter) throw new InvalidInputException([{ field: 'quarter', problems: ['Choose a financial quarter'] }]);
    const report = await this.reports.report({
      quarter,
      teamId: params.teamId ?? null,
      audience: params.audience ?? 'internal',
      viewerId: page.principal.userId,
    });
    return { params, quarter, report };
  }

  @Get()
  @UseGuards(ClosedQuarterAsAt)
  async show(@PageIn() page: Page): Promise<void> {
    const query = filled(page.query, ['quarter', 'teamId', 'audience']);
    const teams = await this.queries.execute(new ListTeamsQuery(true));
    const quarters = endedQuarters(businessToday());
    let preview: Awaited<ReturnType<ReportPagesController['chosen']>> | null = null;
    let error: unknown = null;
    if (query.quarter) {
      try {
        preview = await this.chosen(page);
      } catch (thrown) {
        error = thrown;
      }
    }
    const problems = this.problems(error, { labels: { quarter: 'Quarter', teamId: 'Team', audience: 'Audience' } });
    const filters = { quarter: query.quarter, teamId: query.teamId, audience: query.audience };
    const report = preview?.report ?? null;
    const team = teams.find((t) => t.teamId === report?.teamId);
    const draftHref =
      report && page.may('POST /api/v1/self-assessments/draft')
        ? hrefWith('/self-assessments/draft', { period: report.quarter, ...(team ? { service: serviceIdOf(team.service) } : {}) })
        : null;
    this.render(
      page,
      'reports/board.njk',
      {
        title: preview ? preview.report.title : 'Board report',
        quarterItems: selectItems(
          'Choose a quarter',
          quarters.map((q) => [q.label, q.label]),
          query.quarter,
        ),
        teamItems: teamSelectItems(teams, query.teamId, 'Council-wide'),
        audienceItems: [
          { value: 'internal', text: 'Internal (Official – sensitive)', checked: query.audience !== 'external' },
          { value: 'external', text: 'External (small numbers suppressed)', checked: query.audience === 'external' },
        ],
        report: preview?.report ?? null,
        reportHtml: preview ? reportBodyHtml(preview.report) : null,
        htmlHref: hrefWith('/reports/board.html', filters),
        docxHref: hrefWith('/reports/board.docx', filters),
        csvLinks: preview
          ? reportTables(preview.report).map((t) => ({
              title: t.title,
              href: hrefWith('/reports/board.csv', { ...filters, table: t.id }),
            }))
          : [],
        mayClose: mayClose(page.principal.role) && preview !== null && preview.report.closed === null,
        impactPlans: report ? await impactLinks(this.queries, report.on, report.teamId) : [],
        draftHref,
        closeQuarter: preview ? quarterSlug(preview.quarter) : null,
        closedNow: page.flag('closed'),
      },
      problems,
    );
  }

  @Get('board.html')
  @UseGuards(ClosedQuarterAsAt)
  async html(@PageIn() page: Page): Promise<void> {
    const { report } = await this.chosen(page);
    page.response.type('text/html; charset=utf-8').send(renderHtml(report));
  }

  @Get('board.docx')
  @UseGuards(ClosedQuarterAsAt)
  async docx(@PageIn() page: Page): Promise<void> {
    const { report, quarter } = await this.chosen(page);
    page.response
      .type(DOCX)
      .setHeader('Content-Disposition', `attachment; filename="board-report-${quarterSlug(quarter)}-${report.audience}.docx"`)
      .send(await renderDocx(report));
  }

  @Get('board.csv')
  @UseGuards(ClosedQuarterAsAt)
  async csv(@PageIn() page: Page): Promise<void> {
    const { report, params, quarter } = await this.chosen(page);
    const table = reportTables(report).find((t) => t.id === params.table);
    if (!table) throw new InvalidInputException([{ field: 'table', problems: ['Choose a table'] }]);
    page.response
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="board-report-${quarterSlug(quarter)}-${table.id}.csv"`)
      .send(renderCsv(table));
  }

  @Post('close')
  async close(@PageIn() page: Page): Promise<void> {
    const input: Input<QuarterParam> = await closeInput.transform(page.body);
    await this.submit(page, input, {
      send: ({ quarter }, context) => this.periods.close(parseQuarterParam(quarter)!, context).then(() => quarter),
      to: (quarter) => hrefWith('/reports', { quarter: parseQuarterParam(quarter)!.label, closed: '1' }),
      show: async (problems) => {
        const empty = { quarterItems: [], teamItems: [], audienceItems: [], report: null, csvLinks: [] };
        this.render(page, 'reports/board.njk', { title: 'Board report', ...empty }, problems);
      },
      labels: { quarter: 'Quarter' },
      formId: 'close-quarter',
    });
  }
}
