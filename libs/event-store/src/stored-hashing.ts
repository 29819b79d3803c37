/**
 * Hashing the stored log for verification, on every core: the caller reads the log in large raw
 * pages (readStoredPages), worker threads check each row's content against its hash
 * (storedTextMatches: the stored bytes as they are) and compute its Merkle leaf, and the pages
 * come back in position order, so the caller checks the links between events (prevHash, revisions,
 * global order) in order on its own thread. A bounded number of pages is in flight at a time, so
 * memory stays flat however long the log.
 */
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventStore, StoredEventRow } from './event-store.port';
import { storedTextMatches } from './hash-chain';
import { merkleLeafHash } from './merkle';

/** A page of stored rows, hashed: per row 1 when its content matches its hash, and its 32-byte Merkle leaf. */
export interface HashedPage {
  rows: StoredEventRow[];
  contentMatches: Uint8Array;
  leaves: Buffer;
}

/** What a worker receives: the columns it hashes (plain strings and numbers clone cheaply). */
export interface StoredColumns {
  streamIds: string[];
  revisions: string[];
  types: string[];
  schemaVersions: number[];
  data: string[];
  metadata: string[];
}

export const columnsOf = (rows: StoredEventRow[]): StoredColumns => ({
  streamIds: rows.map((r) => r.streamId),
  revisions: rows.map((r) => r.revision.toString()),
  types: rows.map((r) => r.type),
  schemaVersions: rows.map((r) => r.schemaVersion),
  data: rows.map((r) => r.data),
  metadata: rows.map((r) => r.metadata),
});

/** The work of one page, the same on a worker and on the caller's thread. */
export function hashColumns(c: StoredColumns): { contentMatches: Uint8Array; leaves: Uint8Array } {
  const n = c.data.length;
  const contentMatches = new Uint8Array(n);
  const leaves = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) {
    const row = {
      streamId: c.streamIds[i],
      revision: c.revisions[i],
      type: c.types[i],
      schemaVersion: c.schemaVersions[i],
      data: c.data[i],
    };
    const { matches, hash } = storedTextMatches(row, c.metadata[i]);
    contentMatches[i] = matches ? 1 : 0;
    leaves.set(merkleLeafHash(hash), i * 32);
  }
  return { contentMatches, leaves };
}

/** Logs shorter than this are hashed on the caller's thread: starting workers would cost more. */
export const WORKERS_FROM_EVENTS = 5000;

export interface HashStoredLogOptions {
  toPosition?: bigint;
  /** Worker threads (default: one per core, at most 4; 0 hashes on the caller's thread). */
  workers?: number;
  pageSize?: number;
}

/** Worker threads for the default: one per core, none for a short log. */
export function defaultHashWorkers(events: bigint): number {
  return events < BigInt(WORKERS_FROM_EVENTS) ? 0 : Math.min(4, availableParallelism());
}

interface PoolWorker {
  worker: Worker;
  waiting: { resolve(v: { contentMatches: Uint8Array; leaves: Uint8Array }): void; reject(e: unknown): void }[];
}

function startWorker(): PoolWorker {
  const file = join(__dirname, `stored-hashing.worker${extname(__filename)}`);
  // Under ts-jest the sources are TypeScript: the worker compiles its own with ts-node.
  const worker = new Worker(
    file,
    extname(__filename) === '.ts' ? { execArgv: ['--require', 'ts-node/register/transpile-only'] } : {},
  );
  const pool: PoolWorker = { worker, waiting: [] };
  worker.on('message', (result: { contentMatches: Uint8Array; leaves: Uint8Array }) => pool.waiting.shift()?.resolve(result));
  worker.on('error', (error) => {
    for (const w of pool.waiting.splice(0)) w.reject(error);
  });
  return pool;
}

/**
 * The stored log up to `toPosition`, page by page in position order, each page hashed (on
 * worker threads when there are any). At most two pages per worker are read ahead.
 */
export async function* hashStoredLog(store: EventStore, options: HashStoredLogOptions = {}): AsyncGenerator<HashedPage> {
  if (!store.readStoredPages) throw new Error('This event store cannot read its stored rows');
  const workers = options.workers ?? 0;
  const pages = store.readStoredPages({ toPosition: options.toPosition, pageSize: options.pageSize ?? 2000 });
  if (workers === 0) {
    for await (const rows of pages) {
      const { contentMatches, leaves } = hashColumns(columnsOf(rows));
      yield { rows, contentMatches, leaves: Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength) };
    }
    return;
  }
  const pool = Array.from({ length: workers }, startWorker);
  const inFlight: { rows: StoredEventRow[]; result: Promise<{ contentMatches: Uint8Array; leaves: Uint8Array }> }[] = [];
  let next = 0;
  const done = (entry: (typeof inFlight)[number]): Promise<HashedPage> =>
    entry.result.then(({ contentMatches, leaves }) => ({
      rows: entry.rows,
      contentMatches,
      leaves: Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength),
    }));
  try {
    for await (const rows of pages) {
      const target = pool[next++ % pool.length];
      const result = new Promise<{ contentMatches: Uint8Array; leaves: Uint8Array }>((resolve, reject) => {
        target.waiting.push({ resolve, reject });
      });
      target.worker.postMessage(columnsOf(rows));
      inFlight.push({ rows, result });
      if (inFlight.length >= workers * 2) yield await done(inFlight.shift()!);
    }
    while (inFlight.length) yield await done(inFlight.shift()!);
  } finally {
    for (const entry of inFlight) entry.result.catch(() => undefined);
    await Promise.all(pool.map((p) => p.worker.terminate()));
  }
}
