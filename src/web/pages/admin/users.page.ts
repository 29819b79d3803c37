import { Body, Get, Param, Post } from '@nestjs/common';
import { ROLES } from '../../../shared';
import {
  ChangeUserTeamsDto,
  IssueTokenDto,
  ReasonDto,
  RegisterUserDto,
  SetPasswordDto,
  UsernameTaken,
  FindCredentialQuery,
} from '../../../users';
import { csv, sendCsv } from '../../csv';
import { filled, noProblems, validated, type FormProblems, selectItems, mergeProblems } from '../../forms';
import { inputPipe, Page, PageIn, type Input, PageController } from '../../kit';
import { words } from '../../views';
import { issueInput, reasonInput, tokenRows, tokensCsv, TokenPages, type RevokeTarget } from '../account.page';

type Values = Record<string, unknown>;
const USER_LABELS = { name: 'Name', role: 'Role', teamIds: 'Teams', username: 'Username', password: 'Password' };
const userPath = (userId: string): string => `/admin/users/${encodeURIComponent(userId)}`;
const teamIdsOf = (raw: unknown): unknown[] => (raw === undefined ? [] : ([] as unknown[]).concat(raw));
const teamsInput = inputPipe(ChangeUserTeamsDto, (body) => ({ teamIds: teamIdsOf(body.teamIds).filter((t) => t !== '') }));
const signInInput = inputPipe(SetPasswordDto, (body) => filled(body, ['username', 'password']));

/** Admin: users (register with sign-in details, teams, sign-in, tokens, deactivation). */
@PageController('admin')
export class AdminUsersPage extends TokenPages('users/:id/tokens') {
  @Get('users')
  async usersPage(@PageIn() page: Page): Promise<void> {
    await this.showUsers(page, { values: {}, added: page.query.added });
  }

  /** A person and their sign-in details in one form: registered first, then given a username and password. */
  @Post('users')
  async addUser(@PageIn() page: Page): Promise<void> {
    const raw = filled(page.body, ['name', 'role', 'teamIds', 'username', 'password']);
    const teamIds = teamIdsOf(raw.teamIds);
    let problems: FormProblems = noProblems();
    const collect = (error: unknown): null => {
      problems = mergeProblems(problems, this.problems(error, { labels: USER_LABELS }));
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
        const context = page.context;
        const { userId } = await this.useCases.users.register(person, context);
        await this.useCases.users.setPassword(userId, login, { ...context, commandId: `${context.commandId}:password` });
        return page.response.redirect(303, `/admin/users?added=${encodeURIComponent(person.name)}`);
      } catch (error) {
        const fieldOf = { USERNAME_TAKEN: 'username', UNKNOWN_TEAMS: 'teamIds' };
        problems = mergeProblems(problems, this.problems(error, { labels: USER_LABELS, fieldOf }));
      }
    }
    await this.showUsers(page, { values: { ...raw, teamIds, password: undefined } }, problems);
  }

  @Get('users.csv')
  async usersCsv(@PageIn() page: Page): Promise<void> {
    const users = await this.useCases.users.list();
    const rows = users.map((u) => ({ ...u, teamIds: u.teamIds.join(' ') }));
    sendCsv(page.response, 'users.csv', csv(['userId', 'name', 'role', 'teamIds', 'status'], rows));
  }

  private async showUsers(page: Page, context: Values & { values: Values }, problems = noProblems()): Promise<void> {
    const [users, teams] = await Promise.all([this.useCases.users.list(), this.useCases.teams.list({})]);
    const values = context.values as { role?: string; teamIds?: string[] };
    const roleItems = selectItems(
      'Choose a role',
      ROLES.map((role) => [role, words(role)]),
      values.role,
    );
    const teamItems = teams.map((team) => ({
      value: team.teamId,
      text: `${team.name} (${team.teamId})`,
      checked: (values.teamIds ?? []).includes(team.teamId),
    }));
    this.render(page, 'admin/users.njk', { title: 'Users', users, roleItems, teamItems, ...context }, problems);
  }

  @Get('users/:id')
  async userPage(@PageIn() page: Page, @Param('id') id: string): Promise<void> {
    const { done } = page;
    await this.showUser(page, id, { values: {}, done });
  }

  @Get('users/:id/tokens.csv')
  async userTokensCsv(@PageIn() page: Page, @Param('id') id: string): Promise<void> {
    const user = await this.useCases.users.get({ id });
    sendCsv(page.response, 'tokens.csv', tokensCsv(user.tokens));
  }

  @Post('users/:id/teams')
  async changeTeams(@PageIn() page: Page, @Param('id') id: string, @Body(teamsInput) input: Input<ChangeUserTeamsDto>) {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.users.changeTeams({ id }, dto, context),
      to: () => `${userPath(id)}?done=teams`,
      show: (problems) => this.showUser(page, id, { values: input.values }, problems),
      labels: USER_LABELS,
      fieldOf: { TEAMS_UNCHANGED: 'teamIds', UNKNOWN_TEAMS: 'teamIds', USER_DEACTIVATED: 'teamIds' },
    });
  }

  /** Users registered by the CLI or the API have no password: an admin gives them one (or a new one) here. */
  @Post('users/:id/sign-in')
  async setSignIn(@PageIn() page: Page, @Param('id') id: string, @Body(signInInput) input: Input<SetPasswordDto>) {
    // An unknown user is a missing page, before anything typed is judged.
    await this.useCases.users.get({ id });
    await this.submit(page, input, {
      send: (login, context) => this.useCases.users.setPassword(id, login, context),
      to: () => `${userPath(id)}?done=sign-in`,
      show: (problems) => this.showUser(page, id, { values: { username: input.values.username } }, problems),
      labels: USER_LABELS,
      fieldOf: { USERNAME_TAKEN: 'username', USER_DEACTIVATED: 'username' },
    });
  }

  /** The token is shown in this response, once: never in a URL or a redirect. */
  @Post('users/:id/tokens')
  async issue(@PageIn() page: Page, @Param('id') id: string, @Body(issueInput) input: Input<IssueTokenDto>): Promise<void> {
    const user = await this.useCases.users.get({ id });
    await this.issueToken(page, id, input, { href: userPath(id), text: `Back to ${user.name}` }, (problems) =>
      this.showUser(page, id, { values: input.values }, problems),
    );
  }

  protected revokeTarget(_: Page, { id, tokenId }: Record<string, string>): RevokeTarget {
    return {
      userId: id,
      tokenId,
      owner: async () => {
        const user = await this.useCases.users.get({ id });
        return { tokens: user.tokens, whose: `${user.name}’s` };
      },
      action: `${userPath(id)}/tokens/${encodeURIComponent(tokenId)}/revoke`,
      back: userPath(id),
      done: `${userPath(id)}?done=revoked`,
    };
  }

  @Get('users/:id/deactivate')
  async deactivatePage(@PageIn() page: Page, @Param('id') id: string): Promise<void> {
    await this.showDeactivate(page, id, {});
  }

  @Post('users/:id/deactivate')
  async deactivate(@PageIn() page: Page, @Param('id') id: string, @Body(reasonInput) input: Input<ReasonDto>): Promise<void> {
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.users.deactivate({ id }, dto, context),
      to: () => `${userPath(id)}?done=deactivated`,
      show: (problems) => this.showDeactivate(page, id, input.values, problems),
      labels: { reason: 'Reason' },
      fieldOf: { USER_DEACTIVATED: 'reason' },
    });
  }

  private async showDeactivate(page: Page, id: string, values: Values, problems = noProblems()): Promise<void> {
    const user = await this.useCases.users.get({ id });
    const self = page.principal.userId === user.userId;
    this.render(page, 'admin/deactivate-user.njk', { title: `Deactivate ${user.name}`, user, self, values }, problems);
  }

  private async showUser(page: Page, id: string, context: Values & { values: Values }, problems = noProblems()): Promise<void> {
    const [user, teams, credential] = await Promise.all([
      this.useCases.users.get({ id }),
      this.useCases.teams.list({ includeClosed: 'true' }),
      this.queries.execute(new FindCredentialQuery({ userId: id })),
    ]);
    const chosen = (context.values.teamIds as string[] | undefined) ?? user.teamIds;
    const teamItems = teams
      .filter((team) => team.status === 'open' || chosen.includes(team.teamId))
      .map((team) => ({
        value: team.teamId,
        text: `${team.name} (${team.teamId})${team.status === 'closed' ? ', closed' : ''}`,
        checked: chosen.includes(team.teamId),
      }));
    const teamNames = user.teamIds.map((teamId) => teams.find((t) => t.teamId === teamId)?.name ?? teamId);
    const values = { username: credential?.username, ...context.values };
    const tokens = tokenRows(user.tokens);
    this.render(
      page,
      'admin/user.njk',
      { title: user.name, user, teamNames, teamItems, signsInAs: credential?.username ?? null, tokens, ...context, values },
      problems,
    );
  }
}
