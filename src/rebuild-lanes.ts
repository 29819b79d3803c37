/**
 * projections:rebuild on both cores: the projections are split in two groups of similar cost, one
 * replayed on this thread, the other on a worker thread (src/rebuild-lane.worker.ts) with its own
 * application context, so its own connections to the same log and read database. The CLI and the
 * benchmark both rebuild through here. Each projection still commits its rows with its checkpoint
 * (libs/projections: ProjectionRunner.rebuild with a RebuildLane).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { ThreadLock, type AnyProjection, type OnCatchUpProgress, type ProjectionRunner } from '@casetrail/projections';
import { AppConfig } from './config';
import { PROJECTION_RUNNER } from './core';

/**
 * CPU ms a projection's own fold and writes took per 1,000 events of the benchmark's realistic
 * log (150,000 events, each projection rebuilt alone, minus the log read every lane pays, about
 * 9 ms per 1,000). Only the proportions matter; a projection not listed counts as cheap.
 */
const COST: Record<string, number> = {
  audits: 30,
  disputes: 5.5,
  'impact-links': 3.5,
  'idempotency-keys': 3,
  'dispute-protocols': 2,
  'bank-holidays': 1.5,
};
const CHEAP = 0.3;

/**
 * Below this many events in the log, one thread: starting the worker (loading the application
 * again, about 1 CPU s) costs more than the second core gives back.
 */
export const MIN_EVENTS_FOR_LANES = 20_000;

/**
 * The projections to replay on the worker: the costliest stays here, each next one (costliest
 * first) goes to the side with less work so far; each side also reads the log once.
 */
export function laneNames(projections: readonly AnyProjection[]): string[] {
  const cost = (p: AnyProjection): number => COST[p.name] ?? CHEAP;
  const sorted = [...projections].sort((a, b) => cost(b) - cost(a));
  let here = 0;
  let there = 0;
  const names: string[] = [];
  for (const p of sorted) {
    if (here <= there) here += cost(p);
    else {
      there += cost(p);
      names.push(p.name);
    }
  }
  return names;
}

export interface RebuildOptions {
  /** Whether to use a worker thread: by default when the log holds MIN_EVENTS_FOR_LANES events or more. */
  lanes?: boolean;
}

/** Drops and replays the named projections (all when none named); see the file's comment. */
export async function rebuildProjections(
  app: INestApplicationContext,
  names: string[] = [],
  onProgress?: OnCatchUpProgress,
  options: RebuildOptions = {},
): Promise<AnyProjection[]> {
  const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
  const chosen = names.length ? runner.projections.filter((p) => names.includes(p.name)) : runner.projections;
  const lanes = options.lanes ?? (await app.get<EventStore>(EVENT_STORE).headPosition()) >= BigInt(MIN_EVENTS_FOR_LANES);
  const there = lanes && chosen.length > 1 ? laneNames(chosen) : [];
  if (there.length === 0) return runner.rebuild(names, onProgress);
  // Started before the resets, so that loading the application on the worker overlaps them.
  const worker = startLaneWorker(app.get(AppConfig));
  try {
    return await runner.rebuild(names, onProgress, {
      names: there,
      // SQLite: one writer at a time; PostgreSQL takes both lanes' writes at once.
      lock: app.get(AppConfig).READ_DB_URL ? undefined : worker.lock,
      replay: (lane, report, signal) => worker.replay(lane, report, signal),
    });
  } finally {
    await worker.close();
  }
}

/** What the worker posts. */
export type LaneMessage =
  | { kind: 'progress'; position: string; head: string }
  | { kind: 'done' }
  | { kind: 'failed'; name: string; message: string; stack?: string };

/** What the worker is sent. */
export type LaneCommand = { kind: 'replay'; names: string[] } | { kind: 'stop' };

interface LaneWorker {
  lock: ThreadLock;
  replay(names: string[], onProgress: OnCatchUpProgress, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

function startLaneWorker(config: AppConfig): LaneWorker {
  const lock = new ThreadLock();
  const file = join(__dirname, `rebuild-lane.worker${extname(__filename)}`);
  // Under ts-jest the sources are TypeScript: the worker compiles its own with ts-node.
  const worker = new Worker(file, {
    workerData: { config: { ...config }, lock: config.READ_DB_URL ? null : lock.buffer },
    execArgv:
      extname(__filename) === '.ts'
        ? ['--require', 'ts-node/register/transpile-only', '--require', 'tsconfig-paths/register']
        : [],
    // Its stdout would mix with the CLI's JSON: the worker reports through messages only.
    stdout: true,
  });
  let settle: { resolve(): void; reject(error: unknown): void } | null = null;
  let onProgress: OnCatchUpProgress = () => undefined;
  let names = '';
  let failure: unknown = null;
  const fail = (error: unknown): void => {
    failure ??= error;
    settle?.reject(error);
    settle = null;
  };
  worker.on('message', (message: LaneMessage) => {
    if (message.kind === 'progress') {
      onProgress({ projection: names, index: 0, count: 1, position: BigInt(message.position), head: BigInt(message.head) });
    } else if (message.kind === 'done') {
      settle?.resolve();
      settle = null;
    } else if (message.kind === 'failed') {
      // The worker's own error, as it was thrown there (its class does not cross threads).
      const error = new Error(message.message);
      error.name = message.name;
      if (message.stack) error.stack = message.stack;
      fail(error);
    }
  });
  worker.on('error', fail);
  const exited = new Promise<void>((resolve) =>
    worker.on('exit', (code) => {
      fail(new Error(`The rebuild's worker thread stopped (exit code ${code})`));
      resolve();
    }),
  );
  return {
    lock,
    replay(lane, report, signal) {
      if (failure) return Promise.reject(failure);
      names = lane.join(', ');
      onProgress = report;
      const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      signal.addEventListener('abort', () => worker.postMessage({ kind: 'stop' } satisfies LaneCommand), { once: true });
      worker.postMessage({ kind: 'replay', names: lane } satisfies LaneCommand);
      return done;
    },
    async close() {
      worker.postMessage({ kind: 'stop' } satisfies LaneCommand);
      await exited;
    },
  };
}
