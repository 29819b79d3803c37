import { Get, Param, Query } from '@nestjs/common';
import { AgreementParams, TeamAuditActionsParams, TeamIdRouteParam } from '../../../audits';
import { csv, sendCsv } from '../../csv';
import { filled } from '../../forms';
import { checkedPipe, inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import { hrefWith } from '../../page-helpers';

const ACTION_STATUSES = [
  { value: '', text: 'Outstanding (open and overdue)' },
  { value: 'open', text: 'Open, not yet due' },
  { value: 'overdue', text: 'Overdue' },
  { value: 'completed', text: 'Completed' },
];
const statusPipe = checkedPipe(TeamAuditActionsParams, (query) => filled(query, ['status']));
const agreementInput = inputPipe(AgreementParams, (query) => filled(query, ['from', 'to']));
const percentText = (value: number | null): string => (value === null ? 'Not enough data' : `${value}%`);

/** A team's audit actions, and moderation agreement. Registered before AuditPage ("/audits/teams" is not an audit id). */
@PageController('audits')
export class AuditReportsPage extends Pages {
  /** A team's audit actions, as a page or (`.csv`) a download: each owner by name, beside the id. */
  @Get(['teams/:teamId/actions', 'teams/:teamId/actions.csv'])
  async teamActions(
    @PageIn() page: Page,
    @Param() { teamId }: TeamIdRouteParam,
    @Query(statusPipe) params: TeamAuditActionsParams,
  ): Promise<void> {
    const [actions, name] = await Promise.all([
      this.useCases.audits.teamActions({ teamId }, params, page.request),
      this.names.users(),
    ]);
    const rows = actions.map((a) => ({ ...a, ownerName: name(a.ownerId) }));
    if (page.routeEnd === 'actions.csv') {
      const columns = 'actionId auditId caseRef description ownerId ownerName raisedOn dueOn status completedOn overdue';
      return sendCsv(page.response, `audit-actions-${teamId}.csv`, csv(columns, rows));
    }
    const status = params.status ?? '';
    const [team, awaitingYourModeration] = await Promise.all([
      this.useCases.teams.get({ id: teamId }),
      this.useCases.audits.awaitingModeration(teamId, page.request),
    ]);
    this.render(page, 'audits/team-actions.njk', {
      title: `Audit actions: ${team.name}`,
      team,
      status,
      statusItems: ACTION_STATUSES.map((s) => ({ ...s, selected: s.value === status })),
      statusText: ACTION_STATUSES.find((s) => s.value === status)!.text,
      actions: rows,
      awaitingYourModeration,
      csvHref: `/audits/teams/${encodeURIComponent(teamId)}/actions.csv${status ? `?status=${status}` : ''}`,
    });
  }

  @Get('moderation-agreement')
  async agreementPage(@PageIn() page: Page, @Query(agreementInput) input: Input<AgreementParams>): Promise<void> {
    const { result: agreement, error } = await this.read(input, (dto) => this.useCases.audits.agreement(dto), null);
    const name = await this.names.users();
    const rates = (a: { agreementRate: number | null; gradeMatchRate: number | null }) => ({
      agreementText: percentText(a.agreementRate),
      gradeMatchText: percentText(a.gradeMatchRate),
    });
    this.render(
      page,
      'audits/agreement.njk',
      {
        title: 'Moderation agreement',
        filters: input.values,
        agreement: agreement && {
          ...agreement,
          ...rates(agreement),
          auditors: agreement.auditors.map((a) => ({ ...a, name: name(a.auditorId), ...rates(a) })),
        },
        csvHref: hrefWith('/audits/moderation-agreement.csv', input.values),
      },
      this.problems(error, { labels: { from: 'From', to: 'To' } }),
    );
  }

  @Get('moderation-agreement.csv')
  async agreementCsv(@PageIn() page: Page, @Query(agreementInput) input: Input<AgreementParams>): Promise<void> {
    if (!input.dto) throw input.error;
    const agreement = await this.useCases.audits.agreement(input.dto);
    const rows = [{ ...agreement, auditorId: 'all auditors' }, ...agreement.auditors];
    const columns = 'auditorId moderated agreed agreementRate gradeMatchRate kappa reason weightedKappa';
    sendCsv(page.response, 'moderation-agreement.csv', csv(columns, rows));
  }
}
