import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { READ_DB } from '../core';
import type { Principal } from '../shared';
import { ACCESS_REGISTRATIONS, type AccessRegistration, type TokenHolders } from './access-registration';
import { tokenHoldersOf } from './token-cache';

/**
 * Makes the use of personal access tokens visible in the user's history: the first use of a
 * token on a day records PersonalAccessTokenUsed; later uses that day cost nothing more when the
 * caller passes the token's last day of use (the guard has it from TokenCache), else one indexed read.
 */
@Injectable()
export class TokenUsage {
  private readonly logger = new Logger('TokenUsage');
  private readonly holders: TokenHolders;

  constructor(
    private readonly commands: CommandBus,
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(ACCESS_REGISTRATIONS) registrations: readonly AccessRegistration[],
  ) {
    this.holders = tokenHoldersOf(registrations);
  }

  /** `lastUsedOn`, when the caller already read the token, saves the look-up. */
  async noteUse(principal: Principal, now = new Date().toISOString(), lastUsedOn?: string | null): Promise<void> {
    const on = now.slice(0, 10);
    if (lastUsedOn === on) return;
    if (lastUsedOn === undefined) {
      const last = await this.holders.lastUsedOn(principal.tokenId, this.db);
      if (last === undefined || last === on) return;
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
      await this.commands.execute(this.holders.recordUse(principal, now, context));
    } catch (error) {
      // Noting a use must never stop the request it belongs to.
      this.logger.warn(`Could not record the use of token ${principal.tokenId}: ${(error as Error).message}`);
    }
  }
}
