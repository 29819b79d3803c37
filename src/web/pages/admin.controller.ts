import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ROLES } from '../../shared';
import { FrameworkDomainDto, PublishAuditFrameworkDto, DEFAULT_FRAMEWORK_ID, type AuditFrameworkRow } from '../../audits';
import { CloseTeamDto, RegisterTeamDto, RenameTeamDto } from '../../teams';
import {
  ChangeUserTeamsDto,
  ReasonDto,
  RegisterUserDto,
  SetPasswordDto,
  FindCredentialQuery,
  ListUsersQuery,
  UsersService,
  UsernameTaken,
} from '../../users';
import { ApiControllers } from '../api-controllers';
import { csv, sendCsv } from '../csv';
import { words } from '../views';
import { dateItems, dayFromParts, partsOfDay } from '../dates';
import { filled, noProblems, problemsFrom, submitForm, validated, type FormProblems } from '../forms';
import { InvalidInputException } from '../../core';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import type { WebRequest } from '../web-request';
import {
  issueTokenDto,
  revokeToken,
  sendIssuedToken,
  showRevokeToken,
  TOKEN_LABELS,
  tokenRows,
  tokensCsv,
  type RevokeTarget,
} from './account.controller';
import { mergeProblems, pageContext } from './sign-in.controller';

const TEAM_LABELS = { teamId: 'Team code', name: 'Team name', service: 'Service' };
const USER_LABELS = { name: 'Name', role: 'Role', teamIds: 'Teams', username: 'Username', password: 'Password' };
const TEAM_PAGE_LABELS = { name: 'New name', reason: 'Reason', closedOn: 'Closing date' };
const FRAMEWORK_LABELS = { frameworkId: 'Framework', domains: 'Domains' };
const userPath = (userId: string): string => `/admin/users/${encodeURIComponent(userId)}`;
const teamPath = (teamId: string): string => `/admin/teams/${encodeURIComponent(teamId)}`;

/** One domain a line, "key: title" and, when there is guidance, " | guidance" after it. */
export function domainsText(domains: { key: string; title: string; guidance: string }[]): string {
  return domains.map((d) => `${d.key}: ${d.title}${d.guidance ? ` | ${d.guidance}` : ''}`).join('\n');
}

/** The domains textarea -> domains, each line checked by the API's own domain DTO; a problem names its line. */
async function domainsFrom(text: string): Promise<{ domains: FrameworkDomainDto[]; problems: string[] }> {
  const domains: FrameworkDomainDto[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  for (const [index, line] of lines.entries()) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon < 0) {
      problems.push(`Line ${index + 1}: write the domain as "key: title", for example "voice-of-child: Voice of the child"`);
      continue;
    }
    const rest = line.slice(colon + 1);
    const bar = rest.indexOf('|');
    const plain = {
      key: line.slice(0, colon).trim(),
      title: (bar < 0 ? rest : rest.slice(0, bar)).trim(),
      guidance: bar < 0 ? '' : rest.slice(bar + 1).trim(),
    };
    try {
      domains.push(await validated(FrameworkDomainDto, plain));
    } catch (error) {
      if (!(error instanceof InvalidInputException)) throw error;
      const first = error.fields[0];
      const text = first.problems[0];
      problems.push(`Line ${index + 1}: ${text.charAt(0).toUpperCase()}${text.slice(1)}`);
    }
  }
  return { domains, problems };
}

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

  /** The administrators' index: one navigation item leads to every admin page. */
  @Get()
  async index(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const [teams, users] = await Promise.all([this.api.teams.list({}), this.queries.execute(new ListUsersQuery())]);
    this.views.send(request, response, 'admin/index.njk', {
      title: 'Admin',
      teams: teams.length,
      users: users.filter((u) => u.status === 'active').length,
    });
  }

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
    await submitForm({
      run: async () => {
        const dto = await validated(RegisterTeamDto, values);
        await this.api.teams.register(dto, pageContext(request));
        response.redirect(303, `/admin/teams?added=${encodeURIComponent(dto.teamId)}`);
      },
      problems: { labels: TEAM_LABELS, fieldOf: { TEAM_ALREADY_REGISTERED: 'teamId' } },
      onProblems: (problems) => this.showTeams(request, response, { values, ...problems }, 400),
    });
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

  // ---- one team: rename, close ----

  @Get('teams/:id')
  async teamPage(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    await this.showTeam(request, response, id, { values: {}, ...noProblems(), renamed: request.query.renamed === '1' });
  }

  @Post('teams/:id/rename')
  async renameTeam(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const values = filled(request.body, ['name']);
    await submitForm({
      run: async () => {
        const dto = await validated(RenameTeamDto, values);
        await this.api.teams.rename({ id }, dto, pageContext(request));
        response.redirect(303, `${teamPath(id)}?renamed=1`);
      },
      problems: {
        labels: TEAM_PAGE_LABELS,
        fieldOf: { TEAM_NAME_UNCHANGED: 'name', TEAM_ALREADY_CLOSED: 'name' },
      },
      onProblems: (problems) => this.showTeam(request, response, id, { values, ...problems }, 400),
    });
  }

  private async showTeam(
    request: WebRequest,
    response: Response,
    id: string,
    context: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const team = await this.api.teams.get({ id });
    const users = await this.api.users.list();
    const memberNames = users.filter((u) => u.teamIds.includes(team.teamId)).map((u) => u.name);
    this.views.send(request, response, 'admin/team.njk', { title: team.name, team, memberNames, ...context }, status);
  }

  @Get('teams/:id/close')
  async closeTeamPage(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    await this.showCloseTeam(request, response, id, { values: {}, ...noProblems() });
  }

  @Post('teams/:id/close')
  async closeTeam(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const values = { ...filled(request.body, ['reason']), closedOn: dayFromParts(request.body, 'closedOn') };
    await submitForm({
      run: async () => {
        const dto = await validated(CloseTeamDto, values);
        await this.api.teams.close({ id }, dto, pageContext(request));
        response.redirect(303, teamPath(id));
      },
      problems: {
        labels: TEAM_PAGE_LABELS,
        fieldOf: { CLOSING_DATE_IN_FUTURE: 'closedOn' },
        idOf: (f) => (f === 'closedOn' ? 'closedOn-day' : f),
      },
      onProblems: (problems) => this.showCloseTeam(request, response, id, { values, ...problems }, 400),
    });
  }

  private async showCloseTeam(
    request: WebRequest,
    response: Response,
    id: string,
    context: Record<string, unknown> & { values: Record<string, unknown>; errors: Record<string, string> },
    status = 200,
  ): Promise<void> {
    const team = await this.api.teams.get({ id });
    const closedOnItems = dateItems(partsOfDay(context.values.closedOn as string | undefined), !!context.errors.closedOn);
    // A date typed wrongly is shown as typed, so it can be corrected.
    if (context.errors.closedOn) {
      for (const part of ['day', 'month', 'year'] as const) {
        const item = closedOnItems.find((i) => (i as { name: string }).name === part) as { value: string };
        const typed = request.body?.[`closedOn-${part}`];
        item.value = typeof typed === 'string' ? typed : '';
      }
    }
    this.views.send(
      request,
      response,
      'admin/close-team.njk',
      { title: `Close ${team.name}`, team, closedOnItems, ...context },
      status,
    );
  }

  // ---- one user: teams, sign-in details, tokens, deactivation ----

  @Get('users/:id')
  async userPage(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const done = typeof request.query.done === 'string' ? request.query.done : undefined;
    await this.showUser(request, response, id, { values: {}, ...noProblems(), done });
  }

  @Get('users/:id/tokens.csv')
  async userTokensCsv(@Res() response: Response, @Param('id') id: string): Promise<void> {
    const user = await this.api.users.get({ id });
    sendCsv(response, 'tokens.csv', tokensCsv(user.tokens));
  }

  @Post('users/:id/teams')
  async changeTeams(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const raw = request.body?.teamIds;
    const teamIds = raw === undefined ? [] : ([] as unknown[]).concat(raw).filter((t) => t !== '');
    await submitForm({
      run: async () => {
        const dto = await validated(ChangeUserTeamsDto, { teamIds });
        await this.api.users.changeTeams({ id }, dto, pageContext(request));
        response.redirect(303, `${userPath(id)}?done=teams`);
      },
      problems: {
        labels: USER_LABELS,
        fieldOf: { TEAMS_UNCHANGED: 'teamIds', UNKNOWN_TEAMS: 'teamIds', USER_DEACTIVATED: 'teamIds' },
      },
      onProblems: (problems) => this.showUser(request, response, id, { values: { teamIds }, ...problems }, 400),
    });
  }

  /** Users registered by the CLI or the API have no password: an admin gives them one (or a new one) here. */
  @Post('users/:id/sign-in')
  async setSignIn(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const values = filled(request.body, ['username', 'password']);
    await submitForm({
      run: async () => {
        await this.api.users.get({ id });
        const login = await validated(SetPasswordDto, values);
        await this.users.setPassword(id, login, pageContext(request));
        response.redirect(303, `${userPath(id)}?done=sign-in`);
      },
      problems: {
        labels: USER_LABELS,
        fieldOf: { USERNAME_TAKEN: 'username', USER_DEACTIVATED: 'username' },
      },
      onProblems: (problems) => this.showUser(request, response, id, { values: { username: values.username }, ...problems }, 400),
    });
  }

  /** The token is shown in this response, once: never in a URL or a redirect. */
  @Post('users/:id/tokens')
  async issueToken(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const values = filled(request.body, ['label', 'expiresInDays']);
    try {
      const user = await this.api.users.get({ id });
      const dto = await issueTokenDto(values);
      const issued = await this.api.users.issueToken({ id }, dto, pageContext(request));
      return sendIssuedToken(
        this.views,
        request,
        response,
        { ...issued, label: dto.label ?? 'personal access token' },
        { href: userPath(id), text: `Back to ${user.name}` },
      );
    } catch (error) {
      const problems = problemsFrom(error, { labels: TOKEN_LABELS, formId: 'issue-token' });
      await this.showUser(request, response, id, { values, ...problems }, 400);
    }
  }

  @Get('users/:id/tokens/:tokenId/revoke')
  async revokeTokenPage(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('tokenId') tokenId: string,
  ): Promise<void> {
    await showRevokeToken(this.views, request, response, this.revokeTarget(id, tokenId), { values: {}, ...noProblems() });
  }

  @Post('users/:id/tokens/:tokenId/revoke')
  async revokeToken(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id') id: string,
    @Param('tokenId') tokenId: string,
  ): Promise<void> {
    await revokeToken(this.api, this.views, request, response, this.revokeTarget(id, tokenId));
  }

  private revokeTarget(id: string, tokenId: string): RevokeTarget {
    return {
      userId: id,
      tokenId,
      owner: async () => {
        const user = await this.api.users.get({ id });
        return { tokens: user.tokens, whose: `${user.name}’s` };
      },
      action: `${userPath(id)}/tokens/${encodeURIComponent(tokenId)}/revoke`,
      back: userPath(id),
      done: `${userPath(id)}?done=revoked`,
    };
  }

  @Get('users/:id/deactivate')
  async deactivatePage(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    await this.showDeactivate(request, response, id, { values: {}, ...noProblems() });
  }

  @Post('users/:id/deactivate')
  async deactivate(@Req() request: WebRequest, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const values = filled(request.body, ['reason']);
    await submitForm({
      run: async () => {
        const dto = await validated(ReasonDto, values);
        await this.api.users.deactivate({ id }, dto, pageContext(request));
        response.redirect(303, `${userPath(id)}?done=deactivated`);
      },
      problems: { labels: { reason: 'Reason' }, fieldOf: { USER_DEACTIVATED: 'reason' } },
      onProblems: (problems) => this.showDeactivate(request, response, id, { values, ...problems }, 400),
    });
  }

  private async showDeactivate(
    request: WebRequest,
    response: Response,
    id: string,
    context: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const user = await this.api.users.get({ id });
    const self = request.principal?.userId === user.userId;
    this.views.send(
      request,
      response,
      'admin/deactivate-user.njk',
      { title: `Deactivate ${user.name}`, user, self, ...context },
      status,
    );
  }

  private async showUser(
    request: WebRequest,
    response: Response,
    id: string,
    context: Record<string, unknown> & { values: Record<string, unknown> },
    status = 200,
  ): Promise<void> {
    const [user, teams, credential] = await Promise.all([
      this.api.users.get({ id }),
      this.api.teams.list({ includeClosed: 'true' }),
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
    this.views.send(
      request,
      response,
      'admin/user.njk',
      {
        title: user.name,
        user,
        teamNames,
        teamItems,
        signsInAs: credential?.username ?? null,
        tokens: tokenRows(user.tokens),
        ...context,
        values,
      },
      status,
    );
  }

  // ---- audit frameworks and dispute protocols ----

  @Get('audit-frameworks')
  async frameworksPage(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.showFrameworks(request, response, { ...noProblems(), published: request.query.published });
  }

  @Get('audit-frameworks.csv')
  async frameworksCsv(@Res() response: Response): Promise<void> {
    const rows = (await this.api.auditFrameworks.list()).flatMap((f) =>
      f.domains.map((d) => ({ frameworkId: f.frameworkId, version: f.version, publishedAt: f.publishedAt, ...d })),
    );
    sendCsv(response, 'audit-frameworks.csv', csv(['frameworkId', 'version', 'publishedAt', 'key', 'title', 'guidance'], rows));
  }

  @Post('audit-frameworks')
  async publishFramework(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const values = filled(request.body, ['frameworkId', 'domains']);
    let problems: FormProblems = noProblems();
    const { domains, problems: lines } = await domainsFrom(typeof values.domains === 'string' ? values.domains : '');
    if (!lines.length && !domains.length) lines.push('Enter at least one domain, as "key: title"');
    if (lines.length) {
      problems.errors.domains = lines.join('. ');
      for (const text of lines) problems.errorList.push({ text, href: '#domains' });
    } else {
      try {
        const dto = await validated(PublishAuditFrameworkDto, {
          frameworkId: values.frameworkId ?? DEFAULT_FRAMEWORK_ID,
          domains,
        });
        await this.api.auditFrameworks.publish(dto, pageContext(request));
        return response.redirect(303, `/admin/audit-frameworks?published=${encodeURIComponent(dto.frameworkId ?? '')}`);
      } catch (error) {
        problems = problemsFrom(error, {
          labels: FRAMEWORK_LABELS,
          fieldOf: {
            DUPLICATE_DOMAIN_KEY: 'domains',
            RESERVED_DOMAIN_KEY: 'domains',
            FRAMEWORK_UNCHANGED: 'domains',
            FRAMEWORK_NEEDS_DOMAINS: 'domains',
          },
        });
      }
    }
    await this.showFrameworks(request, response, { ...problems, formValues: values }, 400);
  }

  private async showFrameworks(
    request: WebRequest,
    response: Response,
    context: Record<string, unknown>,
    status = 200,
  ): Promise<void> {
    const [rows, users] = await Promise.all([this.api.auditFrameworks.list(), this.api.users.list()]);
    const nameOf = (userId: string): string => users.find((u) => u.userId === userId)?.name ?? userId;
    const byId = new Map<string, AuditFrameworkRow[]>();
    for (const row of rows) byId.set(row.frameworkId, [...(byId.get(row.frameworkId) ?? []), row]);
    const frameworks = [...byId.entries()].map(([frameworkId, versions]) => ({
      frameworkId,
      versions: [...versions]
        .sort((a, b) => b.version - a.version)
        .map((v) => ({ ...v, publishedByName: nameOf(v.publishedBy) })),
    }));
    const current = byId.get(DEFAULT_FRAMEWORK_ID)?.reduce((a, b) => (b.version > a.version ? b : a));
    const values = (context.formValues as Record<string, unknown> | undefined) ?? {
      frameworkId: DEFAULT_FRAMEWORK_ID,
      domains: current ? domainsText(current.domains) : '',
    };
    this.views.send(
      request,
      response,
      'admin/audit-frameworks.njk',
      { title: 'Audit frameworks', frameworks, ...context, values },
      status,
    );
  }

  @Get('dispute-protocols')
  async protocolsPage(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const [rows, users] = await Promise.all([this.api.disputeProtocols.list(), this.api.users.list()]);
    const nameOf = (userId: string): string => users.find((u) => u.userId === userId)?.name ?? userId;
    const protocols = [...rows]
      .sort((a, b) => b.version - a.version)
      .map((p) => ({ ...p, publishedByName: nameOf(p.publishedBy) }));
    this.views.send(request, response, 'admin/dispute-protocols.njk', { title: 'Dispute protocols', protocols });
  }

  @Get('dispute-protocols.csv')
  async protocolsCsv(@Res() response: Response): Promise<void> {
    const rows = (await this.api.disputeProtocols.list()).flatMap((p) =>
      p.stages.map((stage, index) => ({
        version: p.version,
        publishedAt: p.publishedAt,
        formalTargetWorkingDays: p.formalTargetWorkingDays,
        order: index + 1,
        ...stage,
      })),
    );
    sendCsv(
      response,
      'dispute-protocols.csv',
      csv(
        ['version', 'publishedAt', 'formalTargetWorkingDays', 'order', 'key', 'title', 'respondentRole', 'responseWorkingDays'],
        rows,
      ),
    );
  }
}
