import { Body, Get, Post, Query } from '@nestjs/common';
import { ListDisputesParams, RaiseDisputeDto, DISPUTE_CATEGORIES } from '../../../disputes';
import { csv, sendCsv } from '../../csv';
import { dayFromParts, dayBoxes } from '../../dates';
import { filled, teamSelectItems, type FormProblems } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import { hrefWith } from '../../page-helpers';
import { words } from '../../views';

/** The list's filters from a query string: the page's form sends the "as on" day as three boxes, the CSV link as `on`. */
const listInput = inputPipe(ListDisputesParams, (query) => {
  const filters = filled(query, ['teamId', 'status', 'overdue', 'on']);
  const on = dayFromParts(query, 'on');
  return on === undefined ? filters : { ...filters, on };
});
const raiseInput = inputPipe(RaiseDisputeDto, (body) =>
  filled(body, ['childRef', 'teamId', 'category', 'summary', 'desiredOutcome']),
);
const CSV_COLUMNS =
  'disputeId childRef teamId category raisedOn status stage dueOn overdue workingDaysOverdue formal formalTargetOn overTarget cafcassReferredOn';
const option = (filters: Record<string, unknown>, field: string) => (value: string, text: string) => ({
  value,
  text,
  selected: filters[field] === value,
});

/** IRO dispute resolution: the list (and its CSV), and raising one. */
@PageController()
export class DisputeListPage extends Pages {
  @Get('disputes')
  async list(@PageIn() page: Page, @Query(listInput) input: Input<ListDisputesParams>): Promise<void> {
    const filters = input.values;
    const { result: disputes, error } = await this.read(input, (dto) => this.useCases.disputes.list(dto, page.scope), []);
    const problems = this.problems(error, {
      labels: { teamId: 'Team', status: 'Status', overdue: 'Overdue', on: 'As on' },
      days: ['on'],
    });
    const teams = await this.useCases.teams.list({ includeClosed: 'true' });
    const [team, status, overdue] = [option(filters, 'teamId'), option(filters, 'status'), option(filters, 'overdue')];
    const context = {
      title: 'Dispute resolutions',
      disputes,
      filters,
      mayRaise: page.may('POST /api/v1/disputes'),
      csvHref: hrefWith('/disputes.csv', filters),
      onItems: dayBoxes(filters, 'on', problems),
      teamItems: [{ value: '', text: 'All teams' }, ...teams.map((t) => team(t.teamId, t.name))],
      statusItems: [{ value: '', text: 'Open and resolved' }, status('open', 'Open'), status('resolved', 'Resolved')],
      overdueItems: [{ value: '', text: 'Overdue or not' }, overdue('true', 'Overdue'), overdue('false', 'Not overdue')],
    };
    this.render(page, 'disputes/list.njk', context, problems);
  }

  @Get('disputes.csv')
  async download(@PageIn() page: Page, @Query(listInput) input: Input<ListDisputesParams>): Promise<void> {
    if (!input.dto) throw input.error;
    const disputes = await this.useCases.disputes.list(input.dto, page.scope);
    sendCsv(page.response, 'disputes.csv', csv(CSV_COLUMNS, disputes));
  }

  @Get('disputes/raise')
  async raisePage(@PageIn() page: Page): Promise<void> {
    await this.showRaise(page, {});
  }

  @Post('disputes/raise')
  async raise(@PageIn() page: Page, @Body(raiseInput) input: Input<RaiseDisputeDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.disputes.raise(dto, context),
      to: (raised) => `/disputes/${encodeURIComponent(raised.disputeId)}?done=raised`,
      show: (problems) => this.showRaise(page, input.values, problems),
      labels: {
        childRef: 'Child reference',
        teamId: 'Team',
        category: 'What it is about',
        summary: 'What the problem is',
        desiredOutcome: 'What should happen',
      },
      fieldOf: { UNKNOWN_TEAM: 'teamId', TEAM_CLOSED: 'teamId' },
    });
  }

  private async showRaise(page: Page, values: Record<string, unknown>, problems?: FormProblems): Promise<void> {
    const teams = await this.useCases.teams.list({});
    const category = option(values, 'category');
    const context = {
      title: 'Raise a dispute',
      values,
      teamItems: teamSelectItems(teams, values.teamId),
      categoryItems: [{ value: '', text: 'Choose one' }, ...DISPUTE_CATEGORIES.map((c) => category(c, words(c)))],
    };
    this.render(page, 'disputes/raise.njk', context, problems);
  }
}
