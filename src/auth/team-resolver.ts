import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { NotFoundError } from '@casetrail/kernel';
import { READ_DB } from '../core';
import { ACCESS_REGISTRATIONS, type AccessRegistration, type RecordFacts, type RecordKind } from './access-registration';
import { isPublic, POLICY, type ResourceKind } from './policy';

export type { RecordFacts } from './access-registration';

/**
 * Looks up a record's team and owner in the read models, for the policy's resource limits, through
 * the record kinds the contexts register (AccessRegistration.records).
 * null: no such record (yet); the guard then lets the handler answer (404 from the domain).
 */
@Injectable()
export class TeamResolver {
  private readonly kinds = new Map<ResourceKind, RecordKind>();

  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_REGISTRATIONS) private readonly registrations: readonly AccessRegistration[],
  ) {
    for (const kind of registrations.flatMap((r) => r.records ?? [])) {
      if (this.kinds.has(kind.kind)) throw new Error(`Record kind "${kind.kind}" is registered twice.`);
      this.kinds.set(kind.kind, kind);
    }
    // Every record kind a limit of the policy names must be registered by the context that holds it.
    for (const rule of Object.values(POLICY)) {
      const limit = isPublic(rule) ? undefined : rule.limit;
      if (limit?.to === 'owner') this.kind(limit.record.resource);
      if (limit?.to === 'own-teams' && 'resource' in limit.team) this.kind(limit.team.resource);
    }
  }

  private kind(kind: ResourceKind): RecordKind {
    const found = this.kinds.get(kind);
    if (!found) throw new Error(`No context registers the record kind "${kind}" that the access policy names.`);
    return found;
  }

  /**
   * The error the handler gives for a missing record of this kind: a record in another team is
   * answered with exactly this, so a caller cannot tell "elsewhere" from "nowhere".
   */
  notFound(kind: ResourceKind, id: string): NotFoundError {
    return this.kind(kind).notFound(id);
  }

  /** The teams (open or closed) whose service has this id. */
  async teamsOfService(serviceId: string): Promise<string[]> {
    const sources = { db: this.db, store: this.store };
    const teams = await Promise.all(this.registrations.map((r) => r.teamsOfService?.(serviceId, sources) ?? []));
    return teams.flat();
  }

  facts(kind: ResourceKind, id: string): Promise<RecordFacts | null> {
    return this.kind(kind).facts(id, { db: this.db, store: this.store });
  }
}
