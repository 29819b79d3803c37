import type { DataSource } from 'typeorm';
import type { EventStore } from '@casetrail/event-store';
import type { NotFoundError } from '@casetrail/kernel';
import type { CommandContext, DecideCommand } from '../core';
import type { Principal } from '../shared';
import type { ResourceKind } from './policy';

/** What the guard needs to know about a record: its teams and who owns (or raised) it. */
export interface RecordFacts {
  teamIds: string[];
  ownerIds: string[];
}

/** Where a context's record kinds are looked up: the read models and the log. */
export interface RecordSources {
  db: DataSource;
  store: EventStore;
}

/** A kind of record the access policy names (`resource` of a limit), registered by the context that holds it. */
export interface RecordKind {
  kind: ResourceKind;
  /** The record's teams and owners; null: no such record (yet), the handler then answers 404. */
  facts(id: string, sources: RecordSources): Promise<RecordFacts | null>;
  /**
   * The error the handler gives for a missing record of this kind: a record in another team is
   * answered with exactly this, so a caller cannot tell "elsewhere" from "nowhere".
   */
  notFound(id: string): NotFoundError;
  /**
   * A case-level record (an audit, a dispute, an action): what its reads are recorded under in the
   * access log (its stream, "audit-<id>"). Every GET route whose rule names the record by a route
   * parameter records the read (src/auth/case-level-reads.ts); a kind without it is not case-level.
   */
  caseLevel?: (id: string) => string;
}

/** A live personal access token and what the request needs of it. */
export interface TokenHolder {
  principal: Principal;
  expiresAt: string;
  /** The last day a use of the token was recorded (TokenUsage records the first use each day). */
  lastUsedOn: string | null;
}

/** The personal access tokens and their holders, registered by the context that issues them (users). */
export interface TokenHolders {
  /** The projection that keeps tokens and holders current (sign-in waits for it alone). */
  projection: string;
  /** The live token's holder at `now`, or null (unknown, expired, revoked, or its user deactivated). */
  holder(tokenHash: string, now: string, db: DataSource): Promise<TokenHolder | null>;
  /** The last day a use of the token was recorded; undefined: no such token. */
  lastUsedOn(tokenId: string, db: DataSource): Promise<string | null | undefined>;
  /** The command that records the first use of a token on a day. */
  recordUse(principal: Principal, now: string, context: CommandContext): DecideCommand;
}

/** What a context tells the access policy about itself (AuthModule.forRoot). Auth never imports a context. */
export interface AccessRegistration {
  records?: readonly RecordKind[];
  /** The teams (open or closed) whose service has this id. */
  teamsOfService?: (serviceId: string, sources: RecordSources) => Promise<string[]>;
  tokens?: TokenHolders;
}

export const ACCESS_REGISTRATIONS = Symbol('ACCESS_REGISTRATIONS');
