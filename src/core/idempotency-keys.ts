import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Projection } from '@casetrail/projections';

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

export const idempotencyKeysProjection: Projection = {
  name: 'idempotency-keys',
  version: 1,
  filter: {},
  entities: [IdempotencyKeyRow],
  async apply(event, manager) {
    // `<user>:<key>~<fingerprint>` (see recordedCommandId); commands without a key have no "~".
    const recorded = event.metadata.commandId;
    const at = recorded.indexOf('~');
    if (at < 0) return;
    const commandId = recorded.slice(0, at);
    // The first event of a command names it; its other events (and replays) add nothing.
    if (await manager.existsBy(IdempotencyKeyRow, { commandId })) return;
    await manager.insert(IdempotencyKeyRow, { commandId, fingerprint: recorded.slice(at + 1), streamId: event.streamId });
  },
};
