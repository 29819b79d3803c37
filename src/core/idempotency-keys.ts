import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RecordedEvent } from '@casetrail/event-store';
import type { BulkProjection } from '@casetrail/projections';

/**
 * Every Idempotency-Key used, with the fingerprint of its request and the first stream it went
 * to. The command handler finds earlier uses of a key in the stream it writes to; this table
 * finds them anywhere, so the same key sent with another request that writes elsewhere (another
 * record, another route) is refused too. The same request may write to several streams.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyRow {
  /** `<user id>:<key>`: the command id without its fingerprint. */
  @PrimaryColumn({ type: 'varchar', length: 210 }) commandId!: string;
  @Column({ type: 'varchar', length: 64 }) fingerprint!: string;
  @Column({ type: 'varchar', length: 200 }) streamId!: string;
}

/** `<user>:<key>` and the fingerprint of an event's command (see recordedCommandId); null for commands without a key (no "~"). */
function keyOf(event: RecordedEvent): { commandId: string; fingerprint: string } | null {
  const recorded = event.metadata.commandId;
  const at = recorded.indexOf('~');
  return at < 0 ? null : { commandId: recorded.slice(0, at), fingerprint: recorded.slice(at + 1) };
}

/** Written in bulk (BulkProjection): it reads every event of the log. */
export const idempotencyKeysProjection: BulkProjection = {
  name: 'idempotency-keys',
  // 2: written in bulk (same rows).
  version: 2,
  filter: {},
  entities: [IdempotencyKeyRow],
  writes: 'bulk',
  // No as-at view reads it (the command handler asks it about now): no row history.
  history: false,
  async prefetch(events, rows) {
    const ids = events.map(keyOf).flatMap((k) => (k ? [k.commandId] : []));
    await rows.table(IdempotencyKeyRow).preload('commandId', ids);
  },
  apply(event, rows) {
    const key = keyOf(event);
    if (!key) return;
    const keys = rows.table(IdempotencyKeyRow);
    // The first event of a command names it; its other events (and replays) add nothing.
    const put = (found: IdempotencyKeyRow | null): void => {
      if (!found) keys.put({ ...key, streamId: event.streamId });
    };
    // Without a promise when the row is in memory (preloaded): the usual case.
    const found = keys.get({ commandId: key.commandId });
    if (found instanceof Promise) return found.then(put);
    put(found);
  },
};
