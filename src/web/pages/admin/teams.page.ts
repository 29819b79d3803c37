import { Body, Get, Param, Post } from '@nestjs/common';
import { CloseTeamDto, RegisterTeamDto, RenameTeamDto } from '../../../teams';
import { csv, sendCsv } from '../../csv';
import { dateItems, dayFromParts, partsOfDay, typedParts } from '../../dates';
import { filled, noProblems } from '../../forms';
import { inputPipe, Page, PageIn, Pages, type Input, PageController } from '../../kit';

type Values = Record<string, unknown>;
const TEAM_PAGE_LABELS = { name: 'New name', reason: 'Reason', closedOn: 'Closing date' };
const teamPath = (teamId: string): string => `/admin/teams/${encodeURIComponent(teamId)}`;
const teamInput = inputPipe(RegisterTeamDto, (body) => filled(body, ['teamId', 'name', 'service']));
const renameInput = inputPipe(RenameTeamDto, (body) => filled(body, ['name']));
const closeInput = inputPipe(CloseTeamDto, (body) => ({ ...filled(body, ['reason']), closedOn: dayFromParts(body, 'closedOn') }));

/** Admin: the index, and teams (register, rename, close). */
@PageController('admin')
export class AdminTeamsPage extends Pages {
  /** The administrators' index: one navigation item leads to every admin page. */
  @Get()
  async index(@PageIn() page: Page): Promise<void> {
    const [teams, users] = await Promise.all([this.useCases.teams.list({}), this.names.activeUsers(false)]);
    this.render(page, 'admin/index.njk', { title: 'Admin', teams: teams.length, users: users.length });
  }

  @Get('teams')
  async teamsPage(@PageIn() page: Page): Promise<void> {
    await this.showTeams(page, { values: {}, welcome: page.flag('welcome'), added: page.query.added });
  }

  @Get('teams.csv')
  async teamsCsv(@PageIn() page: Page): Promise<void> {
    const teams = await this.useCases.teams.list({ includeClosed: 'true' });
    sendCsv(page.response, 'teams.csv', csv(['teamId', 'name', 'service', 'status', 'closedOn'], teams));
  }

  @Post('teams')
  async addTeam(@PageIn() page: Page, @Body(teamInput) input: Input<RegisterTeamDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.teams.register(dto, context),
      to: () => `/admin/teams?added=${encodeURIComponent(input.dto!.teamId)}`,
      show: (problems) => this.showTeams(page, { values: input.values }, problems),
      labels: { teamId: 'Team code', name: 'Team name', service: 'Service' },
      fieldOf: { TEAM_ALREADY_REGISTERED: 'teamId' },
    });
  }

  private async showTeams(page: Page, context: Values, problems = noProblems()): Promise<void> {
    const teams = await this.useCases.teams.list({ includeClosed: 'true' });
    this.render(page, 'admin/teams.njk', { title: 'Teams', teams, ...context }, problems);
  }

  @Get('teams/:id')
  async teamPage(@PageIn() page: Page, @Param('id') id: string): Promise<void> {
    await this.showTeam(page, id, {}, noProblems(), page.flag('renamed'));
  }

  @Post('teams/:id/rename')
  async renameTeam(@PageIn() page: Page, @Param('id') id: string, @Body(renameInput) input: Input<RenameTeamDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.teams.rename({ id }, dto, context),
      to: () => `${teamPath(id)}?renamed=1`,
      show: (problems) => this.showTeam(page, id, input.values, problems),
      labels: TEAM_PAGE_LABELS,
      fieldOf: { TEAM_NAME_UNCHANGED: 'name', TEAM_ALREADY_CLOSED: 'name' },
    });
  }

  private async showTeam(page: Page, id: string, values: Values, problems = noProblems(), renamed?: boolean): Promise<void> {
    const team = await this.useCases.teams.get({ id });
    const users = await this.useCases.users.list();
    const memberNames = users.filter((u) => u.teamIds.includes(team.teamId)).map((u) => u.name);
    this.render(
      page,
      'admin/team.njk',
      { title: team.name, team, memberNames, values, ...(renamed === undefined ? {} : { renamed }) },
      problems,
    );
  }

  @Get('teams/:id/close')
  async closeTeamPage(@PageIn() page: Page, @Param('id') id: string): Promise<void> {
    await this.showCloseTeam(page, id, {});
  }

  @Post('teams/:id/close')
  async closeTeam(@PageIn() page: Page, @Param('id') id: string, @Body(closeInput) input: Input<CloseTeamDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.teams.close({ id }, dto, context),
      to: () => teamPath(id),
      show: (problems) => this.showCloseTeam(page, id, input.values, problems),
      labels: TEAM_PAGE_LABELS,
      fieldOf: { CLOSING_DATE_IN_FUTURE: 'closedOn' },
      days: ['closedOn'],
    });
  }

  private async showCloseTeam(page: Page, id: string, values: Values, problems = noProblems()): Promise<void> {
    const team = await this.useCases.teams.get({ id });
    // A date typed wrongly is shown as typed, so it can be corrected.
    const wrong = Boolean(problems.errors.closedOn);
    const parts = wrong ? typedParts(page.body, 'closedOn') : partsOfDay(values.closedOn as string | undefined);
    this.render(
      page,
      'admin/close-team.njk',
      { title: `Close ${team.name}`, team, closedOnItems: dateItems(parts, wrong), values },
      problems,
    );
  }
}
