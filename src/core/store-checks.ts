/**
 * Checks that the stores agree with each other, run before the server serves (and before CLI
 * commands that write), so that an inconsistent store (a restored copy whose parts come from
 * different moments, a lost log file, an old key store) is refused with a message that says
 * what is wrong and what to do, instead of serving records the log does not hold or showing
 * "[erased]" for text nobody erased. /health reports the same problems while the server runs.
 *
 * - a projection checkpoint beyond the log's head: the read database holds records the log
 *   does not (refused: the log may have lost events, so nothing is rebuilt automatically);
 * - the log ends before the last signed trail checkpoint: events are missing (refused);
 * - an event encrypted with a key the key store does not hold (refused); an erased key is a
 *   tombstone in the key store, so it is never "missing";
 * - a key the log says was erased (SubjectErased) but the key store still holds, as after
 *   restoring an old key store: destroyed again, and said in the log.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { ProjectionCheckpoint, type ProjectionRunner } from '@casetrail/projections';
import { AppConfig } from '../config/app-config';
import { CHECKPOINT_STREAM, TRAIL_SIDE_STORE } from '../trail/side-store';
import { EncryptingEventStore } from './personal-data/encrypting-event-store';
import { envelopeKeyId } from './personal-data/field-cipher';
import { PERSONAL_FIELDS } from './personal-data/personal-fields';
import { SUBJECT_ERASURES_STREAM } from './personal-data/subject-erasure.decider';
import { PROJECTION_RUNNER, READ_DB_WRITER } from './tokens';

export type StoreProblemCode = 'PROJECTION_AHEAD_OF_LOG' | 'LOG_SHORTER_THAN_CHECKPOINT' | 'KEYS_MISSING';

export interface StoreProblem {
  code: StoreProblemCode;
  /** What is wrong and what to do, in plain words. */
  message: string;
}

export class InconsistentStoreError extends Error {
  override readonly name = 'InconsistentStoreError';
  constructor(readonly problems: StoreProblem[]) {
    super(
      `The stores do not agree with each other, so Casetrail will not use them:\n${problems
        .map((p) => `- ${p.message}`)
        .join('\n')}`,
    );
  }
}

/** Keys may be made on one machine and used on another a little later: this much clock skew is allowed. */
const KEY_CLOCK_MARGIN_MS = 60 * 60 * 1000;

const numbered = (n: bigint | string | number): string => BigInt(n).toLocaleString('en-GB');

@Injectable()
export class StoreChecks {
  private readonly logger = new Logger('StoreChecks');
  /** The key check reads the log, so it runs at start-up only; /health repeats its result. */
  private keyProblems: StoreProblem[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB_WRITER) private readonly readDb: DataSource,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    private readonly config: AppConfig,
    private readonly modules: ModuleRef,
  ) {}

  private get side(): EventStore {
    return this.modules.get<EventStore>(TRAIL_SIDE_STORE, { strict: false });
  }

  /** Runs every check (destroying again any key the log says was erased); throws when the stores disagree. */
  async refuseIfInconsistent(): Promise<void> {
    await this.shredErasedKeys();
    this.keyProblems = await this.missingKeys();
    const problems = [...(await this.quickProblems()), ...this.keyProblems];
    if (problems.length) throw new InconsistentStoreError(problems);
  }

  /** The checks cheap enough for every /health call, plus the key check's start-up result. */
  async problems(): Promise<StoreProblem[]> {
    return [...(await this.quickProblems()), ...this.keyProblems];
  }

  private async quickProblems(): Promise<StoreProblem[]> {
    // Checkpoints first, then the head: a checkpoint read first can never be beyond a head read after it.
    const ahead = await this.projectionsAhead();
    const head = await this.store.headPosition();
    const problems: StoreProblem[] = [];
    if (ahead.length && ahead.some((p) => p.position > head)) {
      const names = ahead.filter((p) => p.position > head).map((p) => p.name);
      const furthest = ahead.reduce((max, p) => (p.position > max ? p.position : max), 0n);
      problems.push({
        code: 'PROJECTION_AHEAD_OF_LOG',
        message:
          `The read database has applied events up to position ${numbered(furthest)}, but the event log ends at ` +
          `${numbered(head)} (projections: ${names.join(', ')}). Either the log has lost its newest events: restore ` +
          'the log and the key store from a backup (npm run cli -- restore <backup folder>); or the read database is ' +
          'newer than the log (a copy from another moment): rebuild it from the log with ' +
          `npm run cli -- projections:rebuild ${names.join(' ')}` +
          (this.config.READ_DB_URL ? '.' : ', or delete DATA_DIR/read-models.sqlite and start again (it is rebuilt).'),
      });
    }
    const checkpoint = await this.lastSignedCheckpoint();
    if (checkpoint && BigInt(checkpoint.lastPosition) > head) {
      problems.push({
        code: 'LOG_SHORTER_THAN_CHECKPOINT',
        message:
          `The event log ends at position ${numbered(head)}, but the trail checkpoint signed at ${checkpoint.signedAt} ` +
          `covers ${numbered(checkpoint.size)} events up to position ${numbered(checkpoint.lastPosition)}: events are ` +
          'missing from the log. Restore the log and the key store from a backup taken after that checkpoint ' +
          '(npm run cli -- restore <backup folder>); npm run cli -- trail:verify shows where the log breaks.',
      });
    }
    return problems;
  }

  private async projectionsAhead(): Promise<{ name: string; position: bigint }[]> {
    const rows = await this.readDb.getRepository(ProjectionCheckpoint).find();
    return rows
      .filter((row) => this.runner.projections.some((p) => p.name === row.name && p.version === row.version))
      .map((row) => ({ name: row.name, position: BigInt(row.position) }));
  }

  private async lastSignedCheckpoint(): Promise<{ size: number; lastPosition: string; signedAt: string } | null> {
    for await (const e of this.side.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 })) {
      return e.data as { size: number; lastPosition: string; signedAt: string };
    }
    return null;
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
