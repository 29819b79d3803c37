import { Injectable } from '@nestjs/common';
import { API_POLICY, isPublic, recordIsTheirs, type RouteRule } from './policy';
import type { Principal } from '../shared';
import { TeamResolver } from './team-resolver';

/** API routes that read one record named by its `:id`, whose rule pages apply to each record they list. */
export type RecordRoute =
  | {
      [K in keyof typeof API_POLICY]: K extends `GET ${string}/:id${string}` ? K : never;
    }[keyof typeof API_POLICY]
  // A record's history on the trail (the trail offers a link only where it answers).
  | 'GET /api/v1/streams/:streamId';

/**
 * The access policy applied to records a page shows several of at once (the dashboard's plans):
 * a record is shown only when its API route (`GET /api/v1/plans/:id/status`) would answer the
 * caller, by the same rule AuthGuard enforces on that route.
 */
@Injectable()
export class RecordAccess {
  constructor(private readonly teams: TeamResolver) {}

  async mayRead(route: RecordRoute, principal: Principal, id: string): Promise<boolean> {
    const rule: RouteRule = API_POLICY[route];
    if (isPublic(rule)) return true;
    if (!rule.roles.includes(principal.role)) return false;
    const limit = rule.limit;
    if (!limit || !limit.for.includes(principal.role)) return true;
    if (limit.to === 'own-teams' && 'resource' in limit.team) {
      const facts = await this.teams.facts(limit.team.resource, id);
      return facts !== null && recordIsTheirs(limit, principal, facts);
    }
    if (limit.to === 'owner') {
      const facts = await this.teams.facts(limit.record.resource, id);
      return facts !== null && facts.ownerIds.includes(principal.userId);
    }
    throw new Error(`${route}: its limit does not name the record by its id`);
  }

  /** The records of `ids` the caller may read through `route`, in their order. */
  async filter<T>(route: RecordRoute, principal: Principal, records: readonly T[], idOf: (record: T) => string): Promise<T[]> {
    const allowed = await Promise.all(records.map((record) => this.mayRead(route, principal, idOf(record))));
    return records.filter((_, i) => allowed[i]);
  }
}
