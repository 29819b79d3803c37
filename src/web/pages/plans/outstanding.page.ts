import { Get, Param } from '@nestjs/common';
import { TeamIdParam } from '../../../improvement';
import { csv, sendCsv } from '../../csv';
import { filled, noProblems, teamSelectItems, validated, problem } from '../../forms';
import { Page, PageIn, Pages, PageController } from '../../kit';
import { actionHref, countTags, ownerNameOf, RAG_TAG } from './plan-views';

const OUTSTANDING_CSV_COLUMNS = 'kind actionId title ownerId dueOn overdue rag reasons planId auditId caseRef raisedOn';

/** A team's outstanding actions: open improvement actions (with RAG) and open case-audit actions, in due-date order. */
@PageController()
export class OutstandingActionsPage extends Pages {
  /** The team chooser (a GET form): a chosen team goes to its own address. */
  @Get('outstanding-actions')
  async choose(@PageIn() page: Page): Promise<void> {
    let problems = noProblems();
    if ('teamId' in page.query) {
      try {
        const { teamId } = await validated(TeamIdParam, filled(page.query, ['teamId']));
        return page.response.redirect(303, `/teams/${encodeURIComponent(teamId)}/outstanding-actions`);
      } catch (error) {
        problems = this.problems(error, { labels: { teamId: 'Team' } });
        if (page.query.teamId === '') {
          problems = problem('teamId', 'Choose a team');
        }
      }
    }
    await this.showPage(page, null, problems);
  }

  @Get('teams/:teamId/outstanding-actions')
  async team(@PageIn() page: Page, @Param() { teamId }: TeamIdParam): Promise<void> {
    await this.showPage(page, teamId);
  }

  @Get('teams/:teamId/outstanding-actions.csv')
  async csv(@PageIn() page: Page, @Param() { teamId }: TeamIdParam): Promise<void> {
    const view = await this.useCases.plans.outstanding({ teamId }, {}, page.request);
    const rows = view.items.map((i) => ({ ...i, reasons: (i.reasons ?? []).join('; ') }));
    sendCsv(page.response, `${teamId}-outstanding-actions-${view.on}.csv`, csv(OUTSTANDING_CSV_COLUMNS, rows));
  }

  private async showPage(page: Page, teamId: string | null, problems = noProblems()): Promise<void> {
    const [view, teams, name, awaitingYourModeration] = await Promise.all([
      teamId ? this.useCases.plans.outstanding({ teamId }, {}, page.request) : null,
      this.useCases.teams.list({}),
      this.names.users(),
      teamId ? this.useCases.audits.awaitingModeration(teamId, page.request) : 0,
    ]);
    // A team manager may look at their own teams only (the policy answers 404 for the others).
    const choosable = teams.filter((t) => page.may('GET /api/v1/teams/:teamId/outstanding-actions', { teamId: t.teamId }));
    const team = teamId ? teams.find((t) => t.teamId === teamId) : undefined;
    const audit = (i: { kind: string }) => i.kind !== 'improvement-action';
    const context = {
      title: team ? `Outstanding actions: ${team.name}` : 'Outstanding actions',
      teamName: team?.name ?? teamId,
      view,
      awaitingYourModeration,
      csvHref: teamId ? `/teams/${encodeURIComponent(teamId)}/outstanding-actions.csv` : null,
      items: (view?.items ?? []).map((i) => ({
        ...i,
        kindText: audit(i) ? 'Audit action' : 'Improvement action',
        href: audit(i) ? `/audits/${encodeURIComponent(i.auditId ?? '')}` : actionHref(i.actionId),
        from: audit(i) ? i.caseRef : null,
        ownerName: ownerNameOf(i, name),
        tag: i.rag ? RAG_TAG[i.rag] : null,
      })),
      countTags: view ? countTags(view.totals.improvementRag) : [],
      teamItems: teamSelectItems(choosable, teamId ?? page.query.teamId),
    };
    this.render(page, 'plans/outstanding.njk', context, problems);
  }
}
