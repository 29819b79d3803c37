import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { EVENT_STORE, streamCategory, type EventStore, type RecordedEvent } from '@casetrail/event-store';
import { AwaitingModerationQuery } from '../audits';
import type { Principal } from '../shared';
import { EncryptingEventStore } from '../personal-data';
import { describeEvent, entityLabel, entityName } from './event-describers';
import { readsEverything, TeamScope } from './team-scope';

/**
 * THE rule for what a reader may read of an event on the trail, asked by every trail route and page
 * (GET /trail, /trail/changes, /streams/:id, and the trail pages and their CSVs), so an inspector
 * never sees "(encrypted)" on one page for a reason another page shows them in full:
 *
 * - a child's personal free text (evidence, rationales, reasons, notes: docs/data-protection.md) is
 *   readable in the words and in the state after each event to whoever may read the record the
 *   event belongs to: inspectors and administrators every record, everyone else the records of
 *   their own teams (the teams the event, or the first event of its stream, names). Once the
 *   child's records are erased it reads "(erased)" for everyone;
 * - otherwise it stays as stored and the words say "(encrypted)";
 * - `data` (the stored shape, in the list, the history and the export) is always exactly what was
 *   hashed, ciphertext included, so anyone can recompute every hash: it is never decrypted;
 * - blind moderation covers the trail too (docs/audit-rules.md, rule 8): the events of an audit
 *   waiting for the reader's moderation are left out of their trail, changes and history until they
 *   record it, or its grades and its immediate review would give the auditor's judgement away.
 */
@Injectable()
export class TrailReading {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly teams: TeamScope,
    private readonly queries: QueryBus,
  ) {}

  /** The streams of the audits waiting for this reader's moderation: left out of what they read on the trail. */
  async hiddenStreams(principal: Principal): Promise<ReadonlySet<string>> {
    const auditIds: string[] = await this.queries.execute(new AwaitingModerationQuery(principal.userId));
    return new Set(auditIds.map((id) => `audit-${id}`));
  }

  /** One record's history: refused, in plain words, while it is an audit waiting for this reader's moderation. */
  async assertMayReadHistory(streamId: string, principal: Principal): Promise<void> {
    if ((await this.hiddenStreams(principal)).has(streamId)) {
      throw new ForbiddenException(
        'This audit is waiting for your moderation, so its history is hidden from you until you record your moderation.',
      );
    }
  }

  /** May this reader read the personal text of this event? */
  async mayReadPersonalText(event: RecordedEvent, principal: Principal): Promise<boolean> {
    if (readsEverything(principal)) return true;
    return (await this.teams.teamsOf(event)).some((team) => principal.teamIds.includes(team));
  }

  /** A stored-shape event in the current shape, its personal text readable when the rule allows it. */
  async readable(event: RecordedEvent, principal: Principal): Promise<RecordedEvent> {
    if (!(this.store instanceof EncryptingEventStore)) return event;
    return (await this.mayReadPersonalText(event, principal)) ? await this.store.readable(event) : this.store.upcastOnly(event);
  }

  /**
   * "Team North Assessment" / "User Ada Admin" / "Audit of CASE-2001": the entity an event belongs to, in
   * words: its name when `names` has it (nameStreams), else its kind and id ("Audit A-17").
   */
  entityOf(streamId: string, names: ReadonlyMap<string, string>): string {
    const userName = streamCategory(streamId) === 'user' ? names.get(streamId.slice(5)) : undefined;
    return userName ? `User ${userName}` : (names.get(streamId) ?? entityLabel(streamId));
  }

  /**
   * Adds to `names` the name of each record not named yet, from the event that created it (its stream's
   * first event: the case reference of an audit, the child reference of a dispute, a plan's title, a
   * team's name), so the trail names records as people know them, not by id. Keyed by stream id, which
   * never clashes with a user id (a stream id starts with its category).
   */
  async nameStreams(streamIds: Iterable<string>, names: Map<string, string>): Promise<void> {
    for (const streamId of new Set(streamIds)) {
      if (names.has(streamId) || streamCategory(streamId) === 'user') continue;
      let name: string | null = null;
      for await (const first of this.store.readStream(streamId, { maxCount: 1, upcast: false }))
        name = entityName(streamId, first.data);
      names.set(streamId, name ?? entityLabel(streamId));
    }
  }

  /** The change in words, as this reader may read it (the same sentence on every page and route). */
  async describe(event: RecordedEvent, principal: Principal, names: ReadonlyMap<string, string>): Promise<string> {
    return describeEvent(await this.readable(event, principal), {
      actor: names.get(event.metadata.actorId) ?? event.metadata.actorId,
      entity: this.entityOf(event.streamId, names),
      nameOf: (id) => names.get(id),
    });
  }
}
