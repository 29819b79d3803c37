import { join } from 'node:path';
import { PostgresEventStore, SqliteEventStore, type EventStore } from '@casetrail/event-store';
import type { AppConfig } from '../config';

/**
 * The trail's own hash-chained log, apart from the domain log: access entries (one stream per
 * day) and signed checkpoints. Reads are recorded here so they never flood the main trail,
 * never move the head that checkpoints and projections follow, and yet cannot be silently
 * edited either. PostgreSQL: schema "trail" of EVENT_STORE_URL; otherwise DATA_DIR/trail.sqlite.
 */
export const TRAIL_SIDE_STORE = Symbol('TRAIL_SIDE_STORE');

export function openTrailSideStore(config: AppConfig): Promise<EventStore> {
  if (config.EVENT_STORE === 'postgres' && config.EVENT_STORE_URL) {
    return PostgresEventStore.connect({ connectionString: config.EVENT_STORE_URL, schema: 'trail', poolSize: 3 });
  }
  return Promise.resolve(new SqliteEventStore({ file: join(config.dataDir, 'trail.sqlite') }));
}

export const CHECKPOINT_STREAM = 'checkpoint-log';
export const ACCESS_CATEGORY = 'access';
export const accessStreamId = (at: string): string => `${ACCESS_CATEGORY}-${at.slice(0, 10)}`;
