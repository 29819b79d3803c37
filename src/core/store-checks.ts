/**
 * Checks that the stores agree with each other, run before the server serves (and before CLI
 * commands that write), so that an inconsistent store (a restored copy whose parts come from
 * different moments, a lost log file, an old key store) is refused with a message that says
 * what is wrong and what to do, instead of serving records the log does not hold or showing
 * "[erased]" for text nobody erased. /health reports the same problems while the server runs.
 *
 * - a projection checkpoint beyond the log's head: the read database holds records the log
 *   does not (refused: the log may have lost events, so nothing is rebuilt automatically);
 * - and the checks the contexts and platform modules register (ContextRegistration.storeChecks):
 *   the trail's (the log ends before the last signed trail checkpoint: events are missing) and
 *   personal-data's (a key the log needs is missing; an erased key is back).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { ProjectionCheckpoint, type ProjectionRunner } from '@casetrail/projections';
import { AppConfig } from '../config';
import type { StoreCheck, StoreProblem } from './platform';
import { PROJECTION_RUNNER, READ_DB_WRITER, STORE_CHECKS } from './tokens';

export type { StoreCheck, StoreProblem } from './platform';

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

/** A log position as people read it (1,234,567). */
export const numbered = (n: bigint | string | number): string => BigInt(n).toLocaleString('en-GB');

@Injectable()
export class StoreChecks {
  /** The start-up checks read the log, so they run at start-up only; /health repeats their result. */
  private startupProblems: StoreProblem[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB_WRITER) private readonly readDb: DataSource,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    private readonly config: AppConfig,
    @Inject(STORE_CHECKS) private readonly checks: StoreCheck[],
  ) {}

  /** Runs every check (a start-up check may repair, e.g. destroy again a key the log says was erased); throws when the stores disagree. */
  async refuseIfInconsistent(): Promise<void> {
    const found: StoreProblem[] = [];
    for (const check of this.checks) found.push(...((await check.startupProblems?.()) ?? []));
    this.startupProblems = found;
    const problems = [...(await this.quickProblems()), ...this.startupProblems];
    if (problems.length) throw new InconsistentStoreError(problems);
  }

  /** The checks cheap enough for every /health call, plus the start-up checks' result. */
  async problems(): Promise<StoreProblem[]> {
    return [...(await this.quickProblems()), ...this.startupProblems];
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
    for (const check of this.checks) problems.push(...((await check.quickProblems?.()) ?? []));
    return problems;
  }

  private async projectionsAhead(): Promise<{ name: string; position: bigint }[]> {
    const rows = await this.readDb.getRepository(ProjectionCheckpoint).find();
    return rows
      .filter((row) => this.runner.projections.some((p) => p.name === row.name && p.version === row.version))
      .map((row) => ({ name: row.name, position: BigInt(row.position) }));
  }
}
