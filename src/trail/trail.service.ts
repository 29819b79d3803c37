import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { EVENT_STORE, streamCategory, type EventStore, type ReadAllOptions, type RecordedEvent } from '@casetrail/event-store';
import { Platform } from '../core';
import type { Principal } from '../shared';
import { ListTeamsQuery } from '../teams';
import { ListUsersQuery, type UserRow } from '../users';
import { plainState } from './stream-deciders';
import { readsEverything, TeamScope } from './team-scope';
import { TrailReading } from './trail-reading';
import { firstPositionRecordedFrom, toTrailEvent, type TrailEventView } from './trail-event';
import type { ChangesQueryDto, TrailQueryDto } from './trail.dto';
import { StreamNotFound } from './trail.errors';

/** A page examines at most this many events, then hands back a cursor (sparse filters stay fast). */
const MAX_SCAN = 20_000;
/** A changes report covers at most this many events; `truncated` says when there were more. */
const MAX_CHANGES = 5_000;

export interface TrailPage {
  events: TrailEventView[];
  /** Pass as `after` for the next page; null when there is nothing more. */
  nextAfter: string | null;
}

export interface StreamHistory {
  streamId: string;
  category: string;
  /** False when no decider is registered for the category (see stream-deciders.ts). */
  stateAvailable: boolean;
  events: (TrailEventView & { stateAfter?: unknown })[];
}

export interface ChangeView {
  position: string;
  recordedAt: string;
  occurredAt: string;
  type: string;
  actor: { id: string; name: string | null; role: string };
  text: string;
}

export interface ChangesReport {
  from: string;
  to: string;
  entities: { streamId: string; entity: string; changes: ChangeView[] }[];
  eventCount: number;
  truncated: boolean;
}

@Injectable()
export class TrailService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly teams: TeamScope,
    private readonly queries: QueryBus,
    private readonly reading: TrailReading,
    private readonly platform: Platform,
  ) {}

  /** Users by id, and teams by their stream ("team-north" -> "Team North and East team": the name they have now). */
  private async userNames(): Promise<Map<string, string>> {
    const [users, teams] = await Promise.all([
      this.queries.execute<ListUsersQuery, UserRow[]>(new ListUsersQuery()),
      this.queries.execute(new ListTeamsQuery(true)),
    ]);
    return new Map([
      ...users.map((u) => [u.userId, u.name] as const),
      // "Team North": a name that says it is a team already is not prefixed again.
      ...teams.map((t) => [`team-${t.teamId}`, /^team\b/i.test(t.name) ? t.name : `Team ${t.name}`] as const),
    ]);
  }

  /** The stored event (what was hashed) with the change in words, as this reader may read it. */
  private async view(e: RecordedEvent, principal: Principal, names: Map<string, string>): Promise<TrailEventView> {
    return {
      ...toTrailEvent(e),
      entity: this.reading.entityOf(e.streamId, names),
      text: await this.reading.describe(e, principal, names),
    };
  }

  /** Null: everything. Otherwise the teams whose events the principal may see. */
  private visibleTeams(principal: Principal, teamId?: string): Set<string> | null {
    if (readsEverything(principal)) return teamId === undefined ? null : new Set([teamId]);
    if (teamId !== undefined && !principal.teamIds.includes(teamId)) {
      throw new ForbiddenException(`You can read the trail of your own teams only, and "${teamId}" is not one of them.`);
    }
    return new Set(teamId === undefined ? principal.teamIds : [teamId]);
  }

  async page(q: TrailQueryDto, principal: Principal): Promise<TrailPage> {
    const teams = this.visibleTeams(principal, q.teamId);
    const limit = q.limit ?? 100;
    if (teams?.size === 0) return { events: [], nextAfter: null };
    const newest = q.order === 'newest';
    const after = q.after === undefined ? null : BigInt(q.after);
    const head = await this.store.headPosition();
    const jsFiltered = teams !== null || q.actorId !== undefined || q.streamId !== undefined || q.by === 'people';

    let source: AsyncIterable<RecordedEvent>;
    if (q.streamId !== undefined) {
      // One entity: its own stream, then position bounds in memory (a stream is short).
      source = this.store.readStream(q.streamId, { direction: newest ? 'backwards' : 'forwards', upcast: false });
    } else {
      const options: ReadAllOptions = {
        upcast: false,
        direction: newest ? 'backwards' : 'forwards',
        recordedUntil: q.to,
        filter:
          q.streamPrefix || q.type
            ? { streamPrefixes: q.streamPrefix ? [q.streamPrefix] : undefined, eventTypes: q.type ? [q.type] : undefined }
            : undefined,
        maxCount: jsFiltered ? undefined : limit + 1,
      };
      if (newest) {
        options.fromPosition = after !== null ? after - 1n : head;
      } else {
        let start = after !== null ? after + 1n : 1n;
        if (q.from !== undefined) {
          const fromPosition = await firstPositionRecordedFrom(this.store, q.from, head);
          if (fromPosition === null) return { events: [], nextAfter: null };
          if (fromPosition > start) start = fromPosition;
        }
        options.fromPosition = start;
        options.toPosition = head;
      }
      source = this.store.readAll(options);
    }

    const events: TrailEventView[] = [];
    const hidden = await this.reading.hiddenStreams(principal);
    let names: Map<string, string> | null = null;
    let scanned = 0;
    for await (const e of source) {
      if (after !== null && (newest ? e.position >= after : e.position <= after)) continue;
      if (e.position > head) continue;
      const recordedAt = e.metadata.recordedAt;
      if (q.to !== undefined && recordedAt > q.to) continue;
      if (q.from !== undefined && recordedAt <= q.from) {
        if (newest && q.streamId === undefined) break; // older from here on
        continue;
      }
      scanned += 1;
      if (q.type !== undefined && e.type !== q.type) continue;
      const matches =
        !hidden.has(e.streamId) &&
        (q.actorId === undefined || e.metadata.actorId === q.actorId) &&
        (q.by !== 'people' || e.metadata.actorRole !== 'system') &&
        (teams === null || (await this.teams.belongsToAny(e, teams)));
      if (matches) {
        if (events.length === limit) return { events, nextAfter: events[events.length - 1].position };
        names ??= await this.userNames();
        await this.reading.nameStreams([e.streamId], names);
        events.push(await this.view(e, principal, names));
      }
      if (scanned >= MAX_SCAN) return { events, nextAfter: e.position.toString() };
    }
    return { events, nextAfter: null };
  }

  /**
   * Who may read which stream is the access policy's rule (src/auth/policy.ts), enforced before this runs;
   * what they may read of each event is TrailReading's (the words and the state after each event).
   */
  async history(streamId: string, principal: Principal): Promise<StreamHistory> {
    await this.reading.assertMayReadHistory(streamId, principal);
    const category = streamCategory(streamId);
    const decider = this.platform.deciderForStream(streamId);
    const stored: RecordedEvent[] = [];
    for await (const e of this.store.readStream(streamId, { upcast: false })) stored.push(e);
    if (stored.length === 0) throw new StreamNotFound(streamId);
    const names = await this.userNames();
    await this.reading.nameStreams([streamId], names);
    const events = await Promise.all(stored.map((e) => this.view(e, principal, names)));
    if (!decider) return { streamId, category, stateAvailable: false, events };
    // The state is folded from the current (upcast) shapes, exactly as the command handler folds it.
    let state = decider.initialState;
    const withState: StreamHistory['events'] = [];
    for (const [i, e] of stored.entries()) {
      const current = await this.reading.readable(e, principal);
      state = decider.evolve(state, { type: current.type, data: current.data });
      withState.push({ ...events[i], stateAfter: plainState(state) });
    }
    return { streamId, category, stateAvailable: true, events: withState };
  }

  /** What changed between `from` (exclusive) and `to` (inclusive, default now), by entity, in words. */
  async changes(q: ChangesQueryDto, principal: Principal): Promise<ChangesReport> {
    const teams = this.visibleTeams(principal, q.teamId);
    const to = q.to ?? new Date().toISOString();
    const report: ChangesReport = { from: q.from, to, entities: [], eventCount: 0, truncated: false };
    if (teams?.size === 0) return report;
    const head = await this.store.headPosition();
    const start = await firstPositionRecordedFrom(this.store, q.from, head);
    if (start === null) return report;
    const users = await this.userNames();
    const hidden = await this.reading.hiddenStreams(principal);
    const byStream = new Map<string, { streamId: string; entity: string; changes: ChangeView[] }>();
    // The stored shape, read as TrailReading says this reader may read it (the same words as every trail page).
    for await (const e of this.store.readAll({ fromPosition: start, toPosition: head, recordedUntil: to, upcast: false })) {
      if (e.metadata.recordedAt <= q.from) continue;
      if (hidden.has(e.streamId)) continue;
      if (teams !== null && !(await this.teams.belongsToAny(e, teams))) continue;
      if (report.eventCount === MAX_CHANGES) {
        report.truncated = true;
        break;
      }
      report.eventCount += 1;
      let group = byStream.get(e.streamId);
      if (!group) {
        await this.reading.nameStreams([e.streamId], users);
        group = { streamId: e.streamId, entity: this.reading.entityOf(e.streamId, users), changes: [] };
        byStream.set(e.streamId, group);
        report.entities.push(group);
      }
      const actorName = users.get(e.metadata.actorId) ?? null;
      group.changes.push({
        position: e.position.toString(),
        recordedAt: e.metadata.recordedAt,
        occurredAt: e.metadata.occurredAt,
        type: e.type,
        actor: { id: e.metadata.actorId, name: actorName, role: e.metadata.actorRole },
        text: await this.reading.describe(e, principal, users),
      });
    }
    return report;
  }
}
