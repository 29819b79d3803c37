/**
 * Hashing the stored log for verification: the caller reads the log in large raw pages
 * (readStoredPages), each row's content is checked against its hash from the stored bytes as they
 * are (storedRowMatches: one SHA-256 call, nothing parsed or serialised again) and its Merkle leaf
 * computed, and the pages come back in position order, so the caller checks the links between
 * events (prevHash, revisions, global order) in order. Rows are hashed on the caller's thread by
 * default (see defaultHashWorkers for why); worker threads can be asked for, with a bounded number
 * of pages in flight, so memory stays flat however long the log.
 */
import { hash as oneShotHash } from 'node:crypto';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventMetadata, EventStore, StoredEventRow } from './event-store.port';
import { canonicalJson, storedTextMatches, type StoredEventText } from './hash-chain';
import { merkleLeafInto } from './merkle';

/**
 * A page of stored rows, hashed: per row 1 when its content matches its hash, its 32-byte Merkle
 * leaf, and its metadata as JSON.parse reads it (null when the text is not JSON).
 */
export interface HashedPage {
  rows: StoredEventRow[];
  contentMatches: Uint8Array;
  leaves: Buffer;
  metadata: (EventMetadata | null)[];
}

/** A JSON string's contents that need no escaping: no quote, backslash, control character or surrogate. */
const PLAIN = String.raw`([^"\\\u0000-\u001f\ud800-\udfff]*)`;
const HEX_HASH = '([0-9a-f]{64})';
/** The metadata text exactly as an append seals it (hash-chain.ts metadataWithHash): its nine fields in sorted order. */
const SEALED_METADATA = new RegExp(
  `^\\{"actorId":"${PLAIN}","actorRole":"${PLAIN}","causationId":"${PLAIN}","commandId":"${PLAIN}",` +
    `"correlationId":"${PLAIN}","hash":"${HEX_HASH}","occurredAt":"${PLAIN}","prevHash":(?:null|"${HEX_HASH}"),` +
    `"recordedAt":"${PLAIN}"\\}$`,
);

/**
 * The metadata of a stored row read without JSON.parse when its text has exactly the sealed
 * shape (every append since metadata is stored canonical), else null. A text of that shape is
 * JSON whose values need no unescaping, so the fields are what JSON.parse would give, and each
 * value written between quotes is what JSON.stringify would write.
 */
export function sealedMetadata(text: string): EventMetadata | null {
  const m = SEALED_METADATA.exec(text);
  if (m === null) return null;
  return {
    actorId: m[1],
    actorRole: m[2],
    causationId: m[3],
    commandId: m[4],
    correlationId: m[5],
    hash: m[6],
    occurredAt: m[7],
    prevHash: m[8] ?? null,
    recordedAt: m[9],
  };
}

/** A stored row's metadata as JSON.parse reads it, or null when it is not JSON. */
function parsedMetadata(text: string): EventMetadata | null {
  try {
    return JSON.parse(text) as EventMetadata;
  } catch {
    return null;
  }
}

/**
 * storedTextMatches, the same answer, with the row's usual case done in one SHA-256 call: the
 * hash member taken out of the metadata text (hash-chain.ts splitHash) and the rest hashed as it
 * is. Anything else (no hash member, a row stored in an older form, a changed row) goes through
 * storedTextMatches itself.
 */
export function storedRowMatches(row: StoredEventText, metadataText: string): { matches: boolean; hash: string } {
  const at = metadataText.indexOf(',"hash":"');
  const end = at < 0 ? -1 : metadataText.indexOf('"', at + 9);
  if (end >= 0) {
    const hash = metadataText.slice(at + 9, end);
    const text =
      `{"data":${row.data},"metadata":${metadataText.slice(0, at)}${metadataText.slice(end + 1)},"revision":"${row.revision}",` +
      `"schemaVersion":${canonicalJson(row.schemaVersion)},"streamId":${JSON.stringify(row.streamId)},"type":${JSON.stringify(row.type)}}`;
    if (oneShotHash('sha256', text, 'hex') === hash) return { matches: true, hash };
  }
  return storedTextMatches(row, metadataText);
}

/** hashColumns on the caller's thread, straight from the rows (no columns to copy for a worker). */
function hashRowsHere(rows: StoredEventRow[]): HashedPage {
  const n = rows.length;
  const contentMatches = new Uint8Array(n);
  const leaves = Buffer.allocUnsafe(n * 32);
  const metadata: (EventMetadata | null)[] = new Array<EventMetadata | null>(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    const { matches, hash } = storedRowMatches(row, row.metadata);
    contentMatches[i] = matches ? 1 : 0;
    merkleLeafInto(hash, leaves, i * 32);
    metadata[i] = parsedMetadata(row.metadata);
  }
  return { rows, contentMatches, leaves, metadata };
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
  const leaves = Buffer.alloc(n * 32);
  for (let i = 0; i < n; i++) {
    const row = {
      streamId: c.streamIds[i],
      revision: c.revisions[i],
      type: c.types[i],
      schemaVersion: c.schemaVersions[i],
      data: c.data[i],
    };
    const { matches, hash } = storedRowMatches(row, c.metadata[i]);
    contentMatches[i] = matches ? 1 : 0;
    merkleLeafInto(hash, leaves, i * 32);
  }
  return { contentMatches, leaves };
}

export interface HashStoredLogOptions {
  toPosition?: bigint;
  /** Worker threads (default 0: hashed on the caller's thread; see defaultHashWorkers). */
  workers?: number;
  pageSize?: number;
}

/**
 * Worker threads for a verification of `events` events: none, at any size. Measured (2 cores,
 * 20,000 realistic events, CPU time of the whole process): with the one-shot hashes a row costs
 * about 11 µs of CPU hashed on the caller's thread, reading included, and 35–45 µs with two
 * workers, as the caller still reads every row and then copies its text into a worker (the
 * structured clone alone cost more than hashing the row here) and each worker starts cold; the
 * wall time was also longer. Workers can only pay once they read the stored rows themselves.
 */
export function defaultHashWorkers(_events: bigint): number {
  return 0;
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
    for await (const rows of pages) yield hashRowsHere(rows);
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
      metadata: entry.rows.map((row) => parsedMetadata(row.metadata)),
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
