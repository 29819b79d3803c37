import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { DecideCommand } from '../core/decide.command';
import { READ_DB } from '../core/tokens';
import { UserTokenRow } from '../users/projections/user.projection';
import { userDecider } from '../users/users.decider';
import { userStreamId } from '../users/users.events';
import type { Principal } from './principal';

/**
 * Makes the use of personal access tokens visible in the user's history: the first use of a
 * token on a day records PersonalAccessTokenUsed; later uses that day cost nothing more when the
 * caller passes the token's last day of use (the guard has it from TokenCache), else one indexed read.
 */
@Injectable()
export class TokenUsage {
  private readonly logger = new Logger('TokenUsage');

  constructor(
    private readonly commands: CommandBus,
    @Inject(READ_DB) private readonly db: DataSource,
  ) {}

  /** `lastUsedOn`, when the caller already read the token, saves the look-up. */
  async noteUse(principal: Principal, now = new Date().toISOString(), lastUsedOn?: string | null): Promise<void> {
    const on = now.slice(0, 10);
    if (lastUsedOn === on) return;
    if (lastUsedOn === undefined) {
      const token = await this.db
        .getRepository(UserTokenRow)
        .findOne({ where: { tokenId: principal.tokenId }, select: ['tokenId', 'lastUsedOn'] });
      if (!token || token.lastUsedOn === on) return;
    }
    // The command id names token and day: concurrent first uses (two instances, two requests)
    // replay one another instead of recording the day twice.
    const commandId = `token-use:${principal.tokenId}:${on}`;
    const context = {
      actorId: principal.userId,
      actorRole: principal.role,
      commandId,
      correlationId: commandId,
      causationId: commandId,
      now,
    };
    try {
      await this.commands.execute(
        new DecideCommand(
          userDecider,
          userStreamId(principal.userId),
          { type: 'RecordTokenUse', now, userId: principal.userId, tokenId: principal.tokenId },
          context,
        ),
      );
    } catch (error) {
      // Noting a use must never stop the request it belongs to.
      this.logger.warn(`Could not record the use of token ${principal.tokenId}: ${(error as Error).message}`);
    }
  }
}
