import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ConflictError, RuleBrokenError } from '@casetrail/kernel';
import { AppConfig } from '../config';
import { newPersonalAccessToken } from '../auth';
import type { Role } from '../shared';
import { type CommandContext, DecideCommand, deterministicUuid, type DecideResult } from '../core';
import { FindTeamsQuery } from '../teams';
import { oidcSessionDecider } from './oidc-session.decider';
import { oidcSessionStreamId } from './oidc-sessions.events';
import { userDecider, type UserCommand } from './users.decider';
import { userStreamId } from './users.events';
import { hashPassword } from './password';
import { FindCredentialQuery } from './users.queries';

export class UnknownTeams extends RuleBrokenError {
  readonly code = 'UNKNOWN_TEAMS';
  constructor(teamIds: string[]) {
    super(`These teams are not registered: ${teamIds.join(', ')}. Register them first.`);
  }
}

export class TokenAlreadyShown extends ConflictError {
  readonly code = 'TOKEN_ALREADY_SHOWN';
  constructor() {
    super('This request was already carried out and its token was shown then; tokens are shown only once. Issue a new token.');
  }
}

/** The token itself is shown once, here, and never again. */
export interface IssuedToken {
  userId: string;
  tokenId: string;
  token: string;
  expiresAt: string;
  position: string;
}

/** User use cases shared by the HTTP API and the CLI, so both apply the same rules. */
@Injectable()
export class UsersService {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async register(input: { name: string; role: Role; teamIds?: string[] }, context: CommandContext): Promise<IssuedToken> {
    const teamIds = input.teamIds ?? [];
    await this.assertTeamsExist(teamIds);
    // A retried request (same Idempotency-Key) must not create a second user: derive the id from the key.
    const userId = deterministicUuid(context.commandId, 'user');
    await this.decide(
      userId,
      { type: 'RegisterUser', now: context.now, userId, name: input.name, role: input.role, teamIds },
      context,
    );
    return this.issueToken(userId, { label: 'first token' }, { ...context, commandId: `${context.commandId}:token` });
  }

  async issueToken(
    userId: string,
    input: { label?: string; expiresInDays?: number },
    context: CommandContext,
  ): Promise<IssuedToken> {
    const { tokenId, token, tokenHash } = newPersonalAccessToken();
    const days = input.expiresInDays ?? this.config.TOKEN_TTL_DAYS;
    const expiresAt = new Date(Date.parse(context.now) + days * 86_400_000).toISOString();
    const result = await this.decide(
      userId,
      {
        type: 'IssueToken',
        now: context.now,
        userId,
        tokenId,
        tokenHash,
        label: input.label ?? 'personal access token',
        expiresAt,
      },
      context,
    );
    // Only the hash was stored: the token of an earlier identical request cannot be shown again.
    if (result.replayed) throw new TokenAlreadyShown();
    return { userId, tokenId, token, expiresAt, position: result.position };
  }

  revokeToken(userId: string, tokenId: string, reason: string, context: CommandContext): Promise<DecideResult> {
    return this.decide(userId, { type: 'RevokeToken', now: context.now, userId, tokenId, reason }, context);
  }

  async changeTeams(userId: string, teamIds: string[], context: CommandContext): Promise<DecideResult> {
    await this.assertTeamsExist(teamIds);
    return this.decide(userId, { type: 'ChangeUserTeams', now: context.now, userId, teamIds }, context);
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
    return this.decide(
      userId,
      { type: 'SetPassword', now: context.now, userId, username, passwordHash, usernameTakenBy: holder?.userId ?? null },
      context,
    );
  }

  /** Signing out: every web session of the user ends, not only the one in this browser. */
  endSessions(userId: string, reason: string, context: CommandContext): Promise<DecideResult> {
    return this.decide(userId, { type: 'EndSessions', now: context.now, userId, reason }, context);
  }

  /** Signing out of a session signed in through the identity provider: that session ends, on every instance. */
  endOidcSession(sessionId: string, userId: string, reason: string, context: CommandContext): Promise<DecideResult> {
    return this.commands.execute(
      new DecideCommand(
        oidcSessionDecider,
        oidcSessionStreamId(sessionId),
        { type: 'EndOidcSession', now: context.now, sessionId, userId, reason },
        context,
      ),
    );
  }

  deactivate(userId: string, reason: string, context: CommandContext): Promise<DecideResult> {
    return this.decide(userId, { type: 'DeactivateUser', now: context.now, userId, reason }, context);
  }

  private decide(userId: string, command: UserCommand, context: CommandContext): Promise<DecideResult> {
    return this.commands.execute(new DecideCommand(userDecider, userStreamId(userId), command, context));
  }

  private async assertTeamsExist(teamIds: string[]): Promise<void> {
    const found = await this.queries.execute(new FindTeamsQuery(teamIds));
    const missing = teamIds.filter((id) => !found.some((t) => t.teamId === id));
    if (missing.length) throw new UnknownTeams(missing);
  }
}
