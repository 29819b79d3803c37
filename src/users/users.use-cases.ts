import { Inject, Injectable } from '@nestjs/common';
import { conflict, ruleBroken } from '@casetrail/kernel';
import { AppConfig } from '../config';
import { newPersonalAccessToken, type SignedInRequest } from '../auth';
import type { Role } from '../shared';
import { type CommandContext, commandHandlerFor, newIdFor, type DecideResult, ContextUseCases } from '../core';
import { FindTeamsQuery } from '../teams';
import { oidcSessionDecider } from './oidc-session.decider';
import { oidcSessionStreamId } from './oidc-sessions.events';
import { hashPassword } from './password';
import type { UserRow, UserTokenRow } from './projections/user.projection';
import type { ChangeUserTeamsDto, IssueTokenDto, ReasonDto, UserIdParam, UserTokenParams } from './users.dto';
import { userDecider, type UserCommand } from './user.decider';
import { userStreamId } from './users.events';
import { FindCredentialQuery, GetUserQuery, ListUsersQuery } from './users.queries';

export class UnknownTeams extends ruleBroken(
  'UNKNOWN_TEAMS',
  (teamIds: string[]) => `These teams are not registered: ${teamIds.join(', ')}. Register them first.`,
) {}

export class TokenAlreadyShown extends conflict(
  'TOKEN_ALREADY_SHOWN',
  () => 'This request was already carried out and its token was shown then; tokens are shown only once. Issue a new token.',
) {}

/** The token itself is shown once, here, and never again. */
export interface IssuedToken {
  userId: string;
  tokenId: string;
  token: string;
  expiresAt: string;
  position: string;
}

const users = commandHandlerFor(userDecider, (c) => userStreamId(c.userId));
const oidcSessions = commandHandlerFor(oidcSessionDecider, (c) => oidcSessionStreamId(c.sessionId));

/** User use cases shared by the HTTP API, the web pages and the CLI, so all apply the same rules. */
@Injectable()
export class UserUseCases extends ContextUseCases {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    super();
  }

  /**
   * Registers a person and nothing else: no token. The web pages and the staff import use this (a
   * token nobody saw would be a live credential nobody knows about); they give sign-in details
   * instead, or each person signs in through the identity provider.
   */
  async register(
    body: { name: string; role: Role; teamIds?: string[] },
    context: CommandContext,
  ): Promise<DecideResult & { userId: string }> {
    const command = await this.registerCommand(body, context);
    return { userId: command.userId, ...(await users.send(this.commands, command, context)) };
  }

  /** The API and the CLI: a person and their first token, shown once in the answer (it is how they sign in). */
  async registerWithToken(body: { name: string; role: Role; teamIds?: string[] }, context: CommandContext): Promise<IssuedToken> {
    const { userId } = await this.register(body, context);
    return this.issueToken({ id: userId }, { label: 'first token' }, { ...context, commandId: `${context.commandId}:token` });
  }

  /** Would this user be registered? The same look-ups and command, decided and not appended (an import's check). */
  async checkRegister(body: { name: string; role: Role; teamIds?: string[] }, context: CommandContext): Promise<void> {
    await users.check(this.commands, await this.registerCommand(body, context), context);
  }

  private async registerCommand(
    body: { name: string; role: Role; teamIds?: string[] },
    context: CommandContext,
  ): Promise<UserCommand & { type: 'RegisterUser' }> {
    const teamIds = body.teamIds ?? [];
    await this.assertTeamsExist(teamIds);
    // A retried request (same Idempotency-Key) must not create a second user: derive the id from the key.
    const userId = newIdFor(context, 'user');
    return { type: 'RegisterUser', now: context.now, userId, name: body.name, role: body.role, teamIds };
  }

  list(): Promise<UserRow[]> {
    return this.queries.execute(new ListUsersQuery());
  }

  me(request: SignedInRequest): Promise<UserRow & { tokens: UserTokenRow[] }> {
    return this.queries.execute(new GetUserQuery(request.principal.userId));
  }

  get({ id }: UserIdParam): Promise<UserRow & { tokens: UserTokenRow[] }> {
    return this.queries.execute(new GetUserQuery(id));
  }

  async changeTeams({ id }: UserIdParam, { teamIds }: ChangeUserTeamsDto, context: CommandContext): Promise<DecideResult> {
    await this.assertTeamsExist(teamIds);
    return this.send(users, { type: 'ChangeUserTeams', userId: id, teamIds }, context);
  }

  async issueToken({ id }: UserIdParam, body: IssueTokenDto, context: CommandContext): Promise<IssuedToken> {
    // The secret is random; its id, like every new id, comes from the command id.
    const { token, tokenHash } = newPersonalAccessToken();
    const tokenId = newIdFor(context, 'token');
    const days = body.expiresInDays ?? this.config.TOKEN_TTL_DAYS;
    const expiresAt = new Date(Date.parse(context.now) + days * 86_400_000).toISOString();
    const result = await this.send(
      users,
      {
        type: 'IssueToken',
        userId: id,
        tokenId,
        tokenHash,
        label: body.label ?? 'personal access token',
        expiresAt,
      },
      context,
    );
    // Only the hash was stored: the token of an earlier identical request cannot be shown again.
    if (result.replayed) throw new TokenAlreadyShown();
    return { userId: id, tokenId, token, expiresAt, position: result.position };
  }

  revokeToken({ id, tokenId }: UserTokenParams, { reason }: ReasonDto, context: CommandContext): Promise<DecideResult> {
    return this.send(users, { type: 'RevokeToken', userId: id, tokenId, reason }, context);
  }

  deactivate({ id }: UserIdParam, { reason }: ReasonDto, context: CommandContext): Promise<DecideResult> {
    return this.send(users, { type: 'DeactivateUser', userId: id, reason }, context);
  }

  /** Web sign-in. The username is kept lower case; whether someone else has it is looked up and ruled on by the decider. */
  async setPassword(
    userId: string,
    input: { username: string; password: string },
    context: CommandContext,
  ): Promise<DecideResult> {
    const username = input.username.toLowerCase();
    const holder = await this.queries.execute(new FindCredentialQuery({ username }));
    const passwordHash = await hashPassword(input.password);
    return this.send(
      users,
      { type: 'SetPassword', userId, username, passwordHash, usernameTakenBy: holder?.userId ?? null },
      context,
    );
  }

  /** Signing out: every web session of the user ends, not only the one in this browser. */
  endSessions(userId: string, reason: string, context: CommandContext): Promise<DecideResult> {
    return this.send(users, { type: 'EndSessions', userId, reason }, context);
  }

  /** Signing out of a session signed in through the identity provider: that session ends, on every instance. */
  endOidcSession(sessionId: string, userId: string, reason: string, context: CommandContext): Promise<DecideResult> {
    return this.send(oidcSessions, { type: 'EndOidcSession', sessionId, userId, reason }, context);
  }

  private async assertTeamsExist(teamIds: string[]): Promise<void> {
    const found = await this.queries.execute(new FindTeamsQuery(teamIds));
    const missing = teamIds.filter((id) => !found.some((t) => t.teamId === id));
    if (missing.length) throw new UnknownTeams(missing);
  }
}
