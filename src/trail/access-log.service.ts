import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@casetrail/event-store';
import type { Principal } from '../shared';
import { ACCESS_CATEGORY, accessStreamId, TRAIL_SIDE_STORE } from './side-store';
import { firstPositionRecordedFrom } from './trail-event';

/** One read of case-level data. */
export interface AccessEntry {
  actorId: string;
  role: string;
  /** Method and path as requested, e.g. "GET /api/v1/streams/audit-A-17". */
  route: string;
  /** What was read: a stream id ("audit-A-17"), "case:<ref>", "child:<ref>", "team:<id>", "trail:all"... */
  subject: string;
  at: string;
}

export const CASE_DATA_READ = 'CaseDataRead';
const MAX_SUBJECT = 300;
const MAX_ROUTE = 500;
/** An access-log page looks at no more than this many entries, then hands back a cursor. */
const MAX_SCAN = 50_000;

/**
 * The access log: who read which case-level data, when, through which route. Kept in the
 * trail's side store (one stream per day, hash-chained like every stream), not in the domain
 * log. Other contexts record through @RecordsAccess(...) on a route, or call record() directly.
 */
@Injectable()
export class AccessLogService {
  constructor(@Inject(TRAIL_SIDE_STORE) private readonly side: EventStore) {}

  async record(principal: Pick<Principal, 'userId' | 'role'>, route: string, subjects: string[]): Promise<void> {
    const unique = [...new Set(subjects.filter((s) => typeof s === 'string' && s !== ''))];
    if (unique.length === 0) return;
    const at = new Date().toISOString();
    const id = randomUUID();
    await this.side.appendToStream(
      accessStreamId(at),
      unique.map((subject) => ({
        eventId: randomUUID(),
        type: CASE_DATA_READ,
        schemaVersion: 1,
        data: {
          actorId: principal.userId,
          role: principal.role,
          route: route.slice(0, MAX_ROUTE),
          subject: subject.slice(0, MAX_SUBJECT),
          at,
        } satisfies AccessEntry,
        metadata: {
          actorId: principal.userId,
          actorRole: principal.role,
          correlationId: id,
          causationId: id,
          commandId: id,
          occurredAt: at,
        },
      })),
    );
  }

  /** Entries oldest first, filtered; `after` is the `nextAfter` of the previous page. */
  async list(query: {
    subject?: string;
    actorId?: string;
    from?: string;
    to?: string;
    after?: string;
    limit?: number;
  }): Promise<{ entries: (AccessEntry & { position: string })[]; nextAfter: string | null }> {
    const limit = query.limit ?? 100;
    const head = await this.side.headPosition();
    let start = query.after === undefined ? 1n : BigInt(query.after) + 1n;
    if (query.from !== undefined) {
      const fromPosition = await firstPositionRecordedFrom(this.side, query.from, head);
      if (fromPosition === null) return { entries: [], nextAfter: null };
      if (fromPosition > start) start = fromPosition;
    }
    const entries: (AccessEntry & { position: string })[] = [];
    let scanned = 0;
    for await (const e of this.side.readAll({
      fromPosition: start,
      toPosition: head,
      recordedUntil: query.to,
      filter: { streamPrefixes: [`${ACCESS_CATEGORY}-`] },
    })) {
      scanned += 1;
      const entry = e.data as AccessEntry;
      if (
        (query.subject === undefined || entry.subject === query.subject) &&
        (query.actorId === undefined || entry.actorId === query.actorId)
      ) {
        entries.push({ position: e.position.toString(), ...entry });
        if (entries.length === limit) return { entries, nextAfter: e.position.toString() };
      }
      if (scanned >= MAX_SCAN) return { entries, nextAfter: e.position.toString() };
    }
    return { entries, nextAfter: null };
  }
}
