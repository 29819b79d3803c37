import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@casetrail/event-store';
import type { Principal } from '../shared';

/** Inspectors and admins read everything; every other role reads its own teams only. */
export const readsEverything = (principal: Principal): boolean => principal.role === 'inspector' || principal.role === 'admin';

/** The teams an event's data names: `teamId` (a string) and `teamIds` (a list of strings). */
export function teamsNamedIn(data: unknown): string[] {
  if (typeof data !== 'object' || data === null) return [];
  const { teamId, teamIds } = data as { teamId?: unknown; teamIds?: unknown };
  const teams: string[] = [];
  if (typeof teamId === 'string') teams.push(teamId);
  if (Array.isArray(teamIds)) for (const t of teamIds) if (typeof t === 'string') teams.push(t);
  return teams;
}

const CACHE_LIMIT = 20_000;

/**
 * The rule for "the trail of a team": an event belongs to the teams its own data names
 * (`teamId` or `teamIds`); an event that names none belongs to the teams named by the first
 * event of its stream (the event that created the entity). Events of a stream whose first
 * event names no team (e.g. a user created without teams) belong to no team: only
 * inspectors and admins see them.
 */
@Injectable()
export class TeamScope {
  private readonly streamTeams = new Map<string, string[]>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async teamsOf(event: RecordedEvent): Promise<string[]> {
    const own = teamsNamedIn(event.data);
    if (own.length || event.revision === 0n) return own;
    return this.teamsOfStream(event.streamId);
  }

  async teamsOfStream(streamId: string): Promise<string[]> {
    const cached = this.streamTeams.get(streamId);
    if (cached) return cached;
    let teams: string[] = [];
    for await (const first of this.store.readStream(streamId, { maxCount: 1, upcast: false })) teams = teamsNamedIn(first.data);
    if (this.streamTeams.size >= CACHE_LIMIT) this.streamTeams.clear(); // bounded memory; a miss only costs one read
    this.streamTeams.set(streamId, teams);
    return teams;
  }

  /** True when the event belongs to at least one of `teams`. */
  async belongsToAny(event: RecordedEvent, teams: ReadonlySet<string>): Promise<boolean> {
    return (await this.teamsOf(event)).some((t) => teams.has(t));
  }
}
