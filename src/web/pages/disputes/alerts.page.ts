import { Body, Get, Post, Query } from '@nestjs/common';
import { ListGoodPracticeAlertsParams, RaiseGoodPracticeAlertDto } from '../../../disputes';
import { csv, sendCsv } from '../../csv';
import { dayFromParts, dayBoxes } from '../../dates';
import { filled, noProblems, teamSelectItems } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';
import { hrefWith } from '../../page-helpers';

const filterInput = inputPipe(ListGoodPracticeAlertsParams, (query) => filled(query, ['teamId']));
const alertInput = inputPipe(RaiseGoodPracticeAlertDto, (body) => ({
  ...filled(body, ['childRef', 'teamId', 'summary']),
  raisedOn: dayFromParts(body, 'raisedOn'),
}));

/** Good-practice alerts: the list (and its CSV), and raising one. */
@PageController('disputes')
export class AlertsPage extends Pages {
  @Get('good-practice-alerts')
  async alerts(@PageIn() page: Page, @Query(filterInput) filter: Input<ListGoodPracticeAlertsParams>): Promise<void> {
    await this.showAlerts(page, filter, {});
  }

  @Get('good-practice-alerts.csv')
  async alertsCsv(@PageIn() page: Page, @Query(filterInput) filter: Input<ListGoodPracticeAlertsParams>): Promise<void> {
    if (!filter.dto) throw filter.error;
    const alerts = await this.useCases.goodPracticeAlerts.list(filter.dto, page.scope);
    sendCsv(
      page.response,
      'good-practice-alerts.csv',
      csv(['alertId', 'childRef', 'teamId', 'raisedOn', 'raisedBy', 'summary'], alerts),
    );
  }

  @Post('good-practice-alerts')
  async raiseAlert(
    @PageIn() page: Page,
    @Query(filterInput) filter: Input<ListGoodPracticeAlertsParams>,
    @Body(alertInput) input: Input<RaiseGoodPracticeAlertDto>,
  ): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.goodPracticeAlerts.raise(dto, context),
      to: () => '/disputes/good-practice-alerts?done=raised',
      show: (problems) => this.showAlerts(page, filter, input.values, problems),
      labels: { childRef: 'Child reference', teamId: 'Team', summary: 'What was good', raisedOn: 'Date' },
      fieldOf: { UNKNOWN_TEAM: 'teamId', TEAM_CLOSED: 'teamId' },
      days: ['raisedOn'],
    });
  }

  private async showAlerts(
    page: Page,
    filter: Input<ListGoodPracticeAlertsParams>,
    values: Record<string, unknown>,
    problems = noProblems(),
  ): Promise<void> {
    const filters = filter.values;
    const { result: alerts, error } = await this.read(
      filter,
      (dto) => this.useCases.goodPracticeAlerts.list(dto, page.scope),
      [],
    );
    const listProblems = this.problems(error, { labels: { teamId: 'Team' }, idOf: () => 'filterTeamId' });
    const [allTeams, openTeams, name] = await Promise.all([
      this.useCases.teams.list({ includeClosed: 'true' }),
      this.useCases.teams.list({}),
      this.names.users(),
    ]);
    const context = {
      title: 'Good-practice alerts',
      alerts: alerts.map((a) => ({ ...a, raisedByName: name(a.raisedBy) })),
      mayRaise: page.may('POST /api/v1/good-practice-alerts'),
      done: page.done,
      values,
      csvHref: hrefWith('/disputes/good-practice-alerts.csv', filters),
      filterTeamItems: teamSelectItems(allTeams, filters.teamId, 'All teams'),
      teamItems: teamSelectItems(openTeams, values.teamId),
      raisedOnItems: dayBoxes(values, 'raisedOn', problems),
    };
    this.render(page, 'disputes/alerts.njk', context, {
      errors: { ...listProblems.errors, ...problems.errors },
      errorList: [...listProblems.errorList, ...problems.errorList],
    });
  }
}
