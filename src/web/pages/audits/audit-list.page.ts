import { Get, Post, Query, Body } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { dayOf } from '@casetrail/kernel';
import { ListAuditsParams, StartAuditDto } from '../../../audits';
import { csv, sendCsv } from '../../csv';
import { dayFromParts, dayBoxes } from '../../dates';
import { filled, teamSelectItems, type FormProblems } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import { hrefWith } from '../../page-helpers';
import { words } from '../../views';
import { programmeSummaries } from './programmes.page';

/** What GET /api/v1/audits filters on; the page, its CSV link and the CSV keep the same ones. */
const LIST_FILTERS = ['teamId', 'programmeId', 'status', 'from', 'to'] as const;
const listInput = inputPipe(ListAuditsParams, (query) => filled(query, LIST_FILTERS));
const startInput = inputPipe(StartAuditDto, (body) => ({
  ...filled(body, ['caseRef', 'teamId', 'programmeId']),
  auditedOn: dayFromParts(body, 'auditedOn'),
}));

/** Case audits: the list (and its CSV), and starting one. */
@PageController()
export class AuditListPage extends Pages {
  @Get('audits')
  async list(@PageIn() page: Page, @Query(listInput) input: Input<ListAuditsParams>): Promise<void> {
    const filters = input.values;
    const [{ result: audits, error }, teams, { programmes, summaries }] = await Promise.all([
      this.read(input, (dto) => this.useCases.audits.list(dto, page.request, page.request.teamScope ?? null), []),
      this.useCases.teams.list({ includeClosed: 'true' }),
      programmeSummaries(this.useCases, page.request),
    ]);
    const labels = { from: 'From', to: 'To', teamId: 'Team', status: 'Status', programmeId: 'Programme' };
    const item = (value: string, text: string, field: string) => ({ value, text, selected: filters[field] === value });
    const statuses = ['in-progress', 'submitted', 'moderation-requested', 'moderated'];
    this.render(
      page,
      'audits/list.njk',
      {
        title: 'Case audits',
        audits,
        filters,
        csvHref: hrefWith('/audits.csv', filters),
        teamItems: [{ value: '', text: 'All teams' }, ...teams.map((t) => item(t.teamId, t.name, 'teamId'))],
        statusItems: [{ value: '', text: 'Any status' }, ...statuses.map((s) => item(s, words(s), 'status'))],
        programmeItems: [
          { value: '', text: 'Any programme' },
          ...programmes.map((p) => item(p.programmeId, p.title, 'programmeId')),
        ],
        mayStart: page.may('POST /api/v1/audits'),
        summaries,
        // A team manager reads their own teams' actions only (the policy refuses the others).
        actionTeams: teams.filter(
          (t) => t.status !== 'closed' && page.may('GET /api/v1/teams/:teamId/audit-actions', { teamId: t.teamId }),
        ),
      },
      this.problems(error, { labels }),
    );
  }

  @Get('audits.csv')
  async download(@PageIn() page: Page, @Query(listInput) input: Input<ListAuditsParams>): Promise<void> {
    if (!input.dto) throw input.error;
    const audits = await this.useCases.audits.list(input.dto, page.request, page.request.teamScope ?? null);
    const columns = 'auditId caseRef teamId teamName auditedOn status submittedOn overallGrade effectiveOverallGrade';
    const team = await this.names.teams();
    // Each team by name, beside the id.
    sendCsv(
      page.response,
      'audits.csv',
      csv(
        columns,
        audits.map((a) => ({ ...a, teamName: team(a.teamId) })),
      ),
    );
  }

  /**
   * The form, empty or filled in from the query string (a sample's "Start audit": case reference, team and
   * programme). Each value is checked as the API checks it, and one that fails is left out, not shown.
   */
  @Get('audits/start')
  async startPage(@PageIn() page: Page): Promise<void> {
    const auditedOn = dayOf(new Date().toISOString());
    const asked = filled(page.query, ['caseRef', 'teamId', 'programmeId']);
    const wrong = new Set(
      validateSync(Object.assign(new StartAuditDto(), { caseRef: 'CASE-1', teamId: 'team', auditedOn, ...asked })).map(
        (e) => e.property,
      ),
    );
    const programmes = asked.programmeId && !wrong.has('programmeId') ? await this.useCases.auditProgrammes.list() : [];
    if (!programmes.some((p) => p.programmeId === asked.programmeId)) wrong.add('programmeId');
    const given = (field: string): string => (wrong.has(field) ? '' : String(asked[field] ?? ''));
    await this.showStart(page, {
      caseRef: given('caseRef'),
      teamId: given('teamId'),
      programmeId: given('programmeId'),
      auditedOn,
    });
  }

  @Post('audits/start')
  async start(@PageIn() page: Page, @Body(startInput) input: Input<StartAuditDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.audits.start(dto, context),
      to: ({ auditId }) => `/audits/${encodeURIComponent(auditId)}`,
      show: (problems) => this.showStart(page, input.values, problems),
      labels: { caseRef: 'Case reference', teamId: 'Team', auditedOn: 'Date of the audit' },
      days: ['auditedOn'],
      fieldOf: { TEAM_CLOSED: 'teamId', UNKNOWN_TEAM: 'teamId', BUSINESS_DATE_IN_FUTURE: 'auditedOn' },
    });
  }

  private async showStart(page: Page, values: Record<string, unknown>, problems?: FormProblems): Promise<void> {
    const [teams, programmes] = await Promise.all([
      this.useCases.teams.list({}),
      values.programmeId ? this.useCases.auditProgrammes.list() : Promise.resolve([]),
    ]);
    const context = {
      title: 'Start a case audit',
      values,
      programmeTitle: programmes.find((p) => p.programmeId === values.programmeId)?.title ?? null,
      teamItems: teamSelectItems(teams, values.teamId),
      auditedOnItems: dayBoxes(values, 'auditedOn', problems),
      noTeams: teams.length === 0,
    };
    this.render(page, 'audits/start.njk', context, problems);
  }
}
