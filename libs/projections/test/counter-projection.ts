/** A deliberately non-idempotent projection: applying an event twice shows as a wrong total. */
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RecordedEvent } from '@casetrail/event-store';
import type { Projection } from '@casetrail/projections';

@Entity({ name: 'test_counters' })
export class Counter {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'integer' }) total!: number;
  @Column({ type: 'varchar' }) lastPosition!: string;
}

/** Adds each Added event's amount to its stream's counter; not idempotent on purpose. */
export const counterProjection = (overrides: Partial<Projection> = {}): Projection => ({
  name: 'counters',
  version: 1,
  filter: { streamPrefixes: ['counter-'] },
  entities: [Counter],
  apply: async (event: RecordedEvent, manager) => {
    if (event.type !== 'Added') return;
    const row = (await manager.findOneBy(Counter, { id: event.streamId })) ?? { id: event.streamId, total: 0 };
    await manager.save(Counter, {
      ...row,
      total: row.total + (event.data as { amount: number }).amount,
      lastPosition: event.position.toString(),
    });
  },
  ...overrides,
});
