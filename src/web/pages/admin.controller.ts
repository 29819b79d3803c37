import { Controller, Get, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ROLES } from '../../auth/principal';
import { RegisterTeamDto } from '../../teams/teams.commands';
import { RegisterUserDto, SetPasswordDto } from '../../users/users.commands';
import { FindCredentialQuery } from '../../users/users.queries';
import { UsersService } from '../../users/users.service';
import { UsernameTaken } from '../../users/users.decider';
import { ApiControllers } from '../api-controllers';
import { csv, sendCsv } from '../csv';
import { words } from '../views';
import { filled, noProblems, problemsFrom, validated, type FormProblems } from '../forms';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import type { WebRequest } from '../web-request';
import { mergeProblems, pageContext } from './sign-in.controller';

const TEAM_LABELS = { teamId: 'Team code', name: 'Team name', service: 'Service' };
const USER_LABELS = { name: 'Name', role: 'Role', teamIds: 'Teams', username: 'Username', password: 'Password' };

/** Admin: teams and users, through the API's own controllers and the users service. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller('admin')
export class AdminPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly users: UsersService,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  @Get('teams')
  async teamsPage(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.showTeams(request, response, {
      values: {},
      ...noProblems(),
      welcome: request.query.welcome === '1',
      added: request.query.added,
    });
  }

  @Get('teams.csv')
  async teamsCsv(@Res() response: Response): Promise<void> {
    const teams = await this.api.teams.list({ includeClosed: 'true' });
    sendCsv(response, 'teams.csv', csv(['teamId', 'name', 'service', 'status', 'closedOn'], teams));
  }

  @Post('teams')
  async addTeam(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const values = filled(request.body, ['teamId', 'name', 'service']);
    try {
      const dto = await validated(RegisterTeamDto, values);
      await this.api.teams.register(dto, pageContext(request));
      return response.redirect(303, `/admin/teams?added=${encodeURIComponent(dto.teamId)}`);
    } catch (error) {
      const problems = problemsFrom(error, { labels: TEAM_LABELS, fieldOf: { TEAM_ALREADY_REGISTERED: 'teamId' } });
      await this.showTeams(request, response, { values, ...problems }, 400);
    }
  }

  private async showTeams(
    request: WebRequest,
    response: Response,
    context: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const teams = await this.api.teams.list({ includeClosed: 'true' });
    this.views.send(request, response, 'admin/teams.njk', { title: 'Teams', teams, ...context }, status);
  }

  @Get('users')
  async usersPage(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.showUsers(request, response, { values: {}, ...noProblems(), added: request.query.added });
  }

  @Get('users.csv')
  async usersCsv(@Res() response: Response): Promise<void> {
    const users = await this.api.users.list();
    sendCsv(
      response,
      'users.csv',
      csv(
        ['userId', 'name', 'role', 'teamIds', 'status'],
        users.map((u) => ({ ...u, teamIds: u.teamIds.join(' ') })),
      ),
    );
  }

  /** A person and their sign-in details in one form: registered first, then given a username and password. */
  @Post('users')
  async addUser(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const raw = filled(request.body, ['name', 'role', 'teamIds', 'username', 'password']);
    const teamIds = raw.teamIds === undefined ? [] : ([] as unknown[]).concat(raw.teamIds);
    const values = { ...raw, teamIds };
    let problems: FormProblems = noProblems();
    const collect = (error: unknown): null => {
      problems = mergeProblems(
        problems,
        problemsFrom(error, { labels: USER_LABELS, idOf: (f) => (f === 'teamIds' ? 'teamIds' : f) }),
      );
      return null;
    };
    const person = await validated(RegisterUserDto, { name: raw.name, role: raw.role, teamIds }).catch(collect);
    const login = await validated(SetPasswordDto, { username: raw.username, password: raw.password }).catch(collect);
    if (person && login && problems.errorList.length === 0) {
      try {
        // Checked before registering so a taken username does not leave a person without sign-in
        // details; the users decider still rules on it when the password is set.
        const holder = await this.queries.execute(new FindCredentialQuery({ username: login.username }));
        if (holder) throw new UsernameTaken(login.username);
        const context = pageContext(request);
        const { userId } = await this.api.users.register(person, context);
        await this.users.setPassword(userId, login, { ...context, commandId: `${context.commandId}:password` });
        return response.redirect(303, `/admin/users?added=${encodeURIComponent(person.name)}`);
      } catch (error) {
        problems = mergeProblems(
          problems,
          problemsFrom(error, { labels: USER_LABELS, fieldOf: { USERNAME_TAKEN: 'username', UNKNOWN_TEAMS: 'teamIds' } }),
        );
      }
    }
    await this.showUsers(request, response, { values: { ...values, password: undefined }, ...problems }, 400);
  }

  private async showUsers(
    request: WebRequest,
    response: Response,
    context: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const [users, teams] = await Promise.all([this.api.users.list(), this.api.teams.list({})]);
    const values = (context.values ?? {}) as { role?: string; teamIds?: string[] };
    const roleItems = [
      { value: '', text: 'Choose a role' },
      ...ROLES.map((role) => ({ value: role, text: words(role), selected: values.role === role })),
    ];
    const teamItems = teams.map((team) => ({
      value: team.teamId,
      text: `${team.name} (${team.teamId})`,
      checked: (values.teamIds ?? []).includes(team.teamId),
    }));
    this.views.send(request, response, 'admin/users.njk', { title: 'Users', users, roleItems, teamItems, ...context }, status);
  }
}
