import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { AppConfig } from '../config';
import { numbered, type StoreCheck, type StoreProblem } from '../core';
import { EncryptingEventStore } from './encrypting-event-store';
import { envelopeKeyId } from './field-cipher';
import { PERSONAL_FIELDS } from './personal-fields';
import { SUBJECT_ERASURES_STREAM } from './subject-erasure.decider';

/** Keys may be made on one machine and used on another a little later: this much clock skew is allowed. */
const KEY_CLOCK_MARGIN_MS = 60 * 60 * 1000;

/**
 * Personal-data's checks of the stores, at start-up (registered with the platform):
 * - an event encrypted with a key the key store does not hold (refused); an erased key is a
 *   tombstone in the key store, so it is never "missing";
 * - a key the log says was erased (SubjectErased) but the key store still holds, as after
 *   restoring an old key store: destroyed again, and said in the log.
 */
@Injectable()
export class PersonalDataKeyChecks implements StoreCheck {
  private readonly logger = new Logger('StoreChecks');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly config: AppConfig,
  ) {}

  async startupProblems(): Promise<StoreProblem[]> {
    await this.shredErasedKeys();
    return this.missingKeys();
  }

  private get keys(): EncryptingEventStore['keys'] | null {
    return this.store instanceof EncryptingEventStore ? this.store.keys : null;
  }

  /**
   * Looks, newest first, at the personal text recorded since the key store's newest key was
   * made: a key store older than the log lacks exactly the keys made after its copy, and every
   * event using one of those was recorded after it. An empty key store means the whole log, back
   * to the first text in the clear (recorded before encryption existed, as is all before it).
   */
  private async missingKeys(): Promise<StoreProblem[]> {
    const keys = this.keys;
    if (!keys) return [];
    const newest = (await keys.subjects())
      .map((s) => s.createdAt)
      .filter((at): at is string => at !== null)
      .sort()
      .at(-1);
    const since = newest === undefined ? undefined : new Date(Date.parse(newest) - KEY_CLOCK_MARGIN_MS).toISOString();
    const checked = new Set<string>();
    const filter = { eventTypes: Object.keys(PERSONAL_FIELDS) };
    for await (const event of this.store.readAll({ direction: 'backwards', filter, upcast: false })) {
      if (since !== undefined && event.metadata.recordedAt < since) break;
      const data = event.data as Record<string, unknown>;
      let recordedBeforeEncryption = false;
      for (const field of PERSONAL_FIELDS[event.type] ?? []) {
        const values = Array.isArray(data?.[field]) ? (data[field] as unknown[]) : [data?.[field]];
        for (const value of values) {
          const keyId = typeof value === 'string' ? envelopeKeyId(value) : undefined;
          if (keyId === undefined && typeof value === 'string' && value !== '') recordedBeforeEncryption = true;
          if (keyId === undefined || checked.has(keyId)) continue;
          checked.add(keyId);
          if ((await keys.keyById(keyId)) === undefined) {
            return [
              {
                code: 'KEYS_MISSING',
                message:
                  `The key store (${this.config.keyStoreUrl ? 'schema personal_data in PostgreSQL' : 'DATA_DIR/subject-keys.sqlite'}) ` +
                  `does not hold key ${keyId}, which encrypts personal text in ${event.streamId} ` +
                  `(position ${numbered(event.position)}, recorded ${event.metadata.recordedAt}), and no erasure of it is ` +
                  'recorded: the key store is older than the log, or was replaced. Restore the key store that belongs ' +
                  'with this log (from the same backup: npm run cli -- restore <backup folder>). Without it that text ' +
                  'would show as "[erased]" and new text would get a second key.',
              },
            ];
          }
        }
      }
      // Text in the clear: recorded before encryption existed, as is everything older. Nothing to look for.
      if (recordedBeforeEncryption) break;
    }
    return [];
  }

  /** Every subject the log says was erased has no key left (an older key store could bring one back). */
  private async shredErasedKeys(): Promise<void> {
    const keys = this.keys;
    if (!keys) return;
    for await (const event of this.store.readStream(SUBJECT_ERASURES_STREAM, { upcast: false })) {
      const { subjectRef } = event.data as { subjectRef: string };
      if (await keys.isErased(subjectRef)) continue;
      await keys.erase(subjectRef, new Date().toISOString());
      this.logger.warn(
        `The key store still held the key of ${subjectRef}, whose erasure is recorded at position ` +
          `${event.position} (an older key store was restored): the key is destroyed again.`,
      );
    }
  }
}
