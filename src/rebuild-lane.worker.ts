/**
 * The worker thread of a rebuild on both cores (src/rebuild-lanes.ts): the application's own
 * projections, with their own connections to the log and the read database, replay the
 * projections it is sent (already reset by the rebuild on the main thread), posting progress, then
 * done or the error. Not a whole application context: that one prepares the read database at
 * start-up (schema, history triggers), and its writes would meet the main thread's batches.
 */
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { ThreadLock } from '@casetrail/projections';
import { AppConfig } from './config';
import { PLATFORM } from './contexts';
import { createProjectionRunner, readDbOptions } from './core';
import type { LaneCommand, LaneMessage } from './rebuild-lanes';

const port = parentPort!;
const post = (message: LaneMessage): void => port.postMessage(message);

async function main(): Promise<void> {
  // The main thread's configuration (its class does not cross threads).
  const data = workerData as { config: object; lock: SharedArrayBuffer | null };
  const config = Object.setPrototypeOf(data.config, AppConfig.prototype) as AppConfig;
  const stop = new AbortController();
  let names: string[] | null = null;
  let wake: (() => void) | null = null;
  port.on('message', (command: LaneCommand) => {
    if (command.kind === 'stop') stop.abort(new Error('Stopped: the other half of the rebuild failed'));
    else names = command.names;
    wake?.();
  });
  const store = await PLATFORM.openEventStore(config);
  try {
    const writer = await new DataSource(readDbOptions(config, PLATFORM, 'writer')).initialize();
    try {
      while (!names && !stop.signal.aborted) await new Promise<void>((resolve) => (wake = resolve));
      if (!names) return;
      const runner = createProjectionRunner(PLATFORM, store, writer);
      await runner.replayReset(
        names,
        ({ position, head }) => post({ kind: 'progress', position: position.toString(), head: head.toString() }),
        stop.signal,
        data.lock ? new ThreadLock(data.lock) : undefined,
      );
      post({ kind: 'done' });
    } finally {
      await writer.destroy();
    }
  } finally {
    await store.close();
  }
}

main().then(
  () => port.close(),
  (error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ kind: 'failed', name: e.name, message: e.message, stack: e.stack });
    port.close();
  },
);
