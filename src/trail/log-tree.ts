/**
 * The Merkle trees of one pass over the log (a verification or an export), built on a worker
 * thread when the log is long: each event costs two or three SHA-256 calls for its leaf and the
 * tree's nodes, about 1 µs each on this machine (the call, not the hashing, of 33 or 65 bytes),
 * and those are the one part of the pass that needs nothing but the event hashes in order. The
 * pass hands over each page's event hashes as 32 bytes each (transferred buffers, at most 16
 * pages of 64 KB in flight) and goes on reading, checking and writing on its own thread; the
 * worker folds the pages in order.
 * A short log is folded on the caller's thread (a worker costs tens of ms to start).
 * The same fold (foldPage) runs in both places: the roots do not depend on where.
 */
import { hash as oneShotHash } from 'node:crypto';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MerkleAccumulator, merkleLeafHash } from '@casetrail/event-store/merkle';

/**
 * Logs of at least this many events (by head position) are folded on a worker thread. Measured
 * (2 cores, idle, alternated): at 20,000 events the worker saved no wall time and cost about 35%
 * more CPU (its start); at 50,000 it took 10-20% off the wall time for about 15% more CPU.
 */
export const OFF_THREAD_FROM = 50_000;
/** Pages handed over and not yet folded: at most this many, so memory stays flat however long the log. */
const IN_FLIGHT = 16;
const LEAF_BYTES = 32;

/** One page of event hashes: 32 bytes each, or the leaf itself where the hash is not 64 hex digits. */
export interface LeafPage {
  count: number;
  bytes: Uint8Array;
  /** 1 where `bytes` already holds the leaf (a damaged hash, hashed as merkleLeafHash does). */
  isLeaf: Uint8Array;
  /** Null: every event is also in the second tree; else 1 where it is. */
  second: Uint8Array | null;
}

/** What a pass asks for: the whole log's tree, maybe a second one over some of it, roots at some sizes. */
export interface TreeOptions {
  /** A second tree over the events marked `inSecond` (a filtered export's). */
  second?: boolean;
  /** Sizes of the whole tree whose roots are wanted (signed checkpoints). */
  rootsAt?: Iterable<number>;
}

export interface TreeResult {
  size: number;
  root: Buffer;
  second: { size: number; root: Buffer } | null;
  /** The whole tree's root at each size asked for and reached. */
  rootsAt: Map<number, Buffer>;
}

/** The trees as folded so far; the same state on a worker and on the caller's thread. */
export class TreeState {
  readonly whole = new MerkleAccumulator();
  readonly second: MerkleAccumulator | null;
  readonly rootsAt = new Map<number, Buffer>();
  private readonly wanted: Set<number>;
  private readonly leaf = Buffer.allocUnsafe(LEAF_BYTES);
  private readonly leafInput = Buffer.alloc(1 + LEAF_BYTES, 0x00);

  constructor(options: { second: boolean; rootsAt: number[] }) {
    this.second = options.second ? new MerkleAccumulator() : null;
    this.wanted = new Set(options.rootsAt);
    if (this.wanted.has(0)) this.rootsAt.set(0, this.whole.root());
  }

  foldPage(page: LeafPage): void {
    const bytes = Buffer.from(page.bytes.buffer, page.bytes.byteOffset, page.bytes.byteLength);
    for (let i = 0; i < page.count; i++) {
      const at = i * LEAF_BYTES;
      if (page.isLeaf[i] === 1) bytes.copy(this.leaf, 0, at, at + LEAF_BYTES);
      else {
        // merkleLeafHash of the hash's 64 hex digits: SHA-256 of 0x00 || its 32 bytes, taken from the bytes
        // (no hex string and back, no Buffer per leaf; log-tree.unit.spec compares it with MerkleAccumulator).
        bytes.copy(this.leafInput, 1, at, at + LEAF_BYTES);
        this.leaf.write(oneShotHash('sha256', this.leafInput, 'binary'), 0, 'latin1');
      }
      this.whole.addLeafAt(this.leaf, 0);
      if (this.second && (page.second === null || page.second[i] === 1)) this.second.addLeafAt(this.leaf, 0);
      if (this.wanted.has(this.whole.size)) this.rootsAt.set(this.whole.size, this.whole.root());
    }
  }

  result(): TreeResult {
    return {
      size: this.whole.size,
      root: this.whole.root(),
      second: this.second ? { size: this.second.size, root: this.second.root() } : null,
      rootsAt: this.rootsAt,
    };
  }
}

/**
 * Collects a pass's event hashes page by page (add, then endPage once per page, awaited) and gives
 * the roots at the end (finish). With a worker, endPage waits only when IN_FLIGHT pages are
 * still being folded; close() ends the worker on every path (a pass that throws included).
 */
export class LogTree {
  private page: LeafPage;
  private readonly worker: Worker | null;
  private readonly state: TreeState | null;
  private readonly waiting: { resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  private failure: unknown = null;
  private inFlight = 0;

  constructor(
    events: number,
    private readonly options: TreeOptions = {},
    offThreadFrom = OFF_THREAD_FROM,
  ) {
    const init = { second: options.second === true, rootsAt: [...(options.rootsAt ?? [])] };
    this.page = this.newPage();
    if (events < offThreadFrom) {
      this.worker = null;
      this.state = new TreeState(init);
      return;
    }
    this.state = null;
    const file = join(__dirname, `log-tree.worker${extname(__filename)}`);
    // Under ts-jest the sources are TypeScript: the worker compiles its own, with the path aliases.
    const ts = extname(__filename) === '.ts';
    this.worker = new Worker(file, {
      workerData: init,
      ...(ts ? { execArgv: ['--require', 'ts-node/register/transpile-only', '--require', 'tsconfig-paths/register'] } : {}),
    });
    this.worker.on('message', (message: unknown) => {
      this.inFlight -= 1;
      this.waiting.shift()?.resolve(message);
    });
    this.worker.on('error', (error) => {
      this.failure = error;
      for (const w of this.waiting.splice(0)) w.reject(error);
    });
  }

  get offThread(): boolean {
    return this.worker !== null;
  }

  private newPage(capacity = 2048): LeafPage {
    return {
      count: 0,
      // A Buffer (its own ArrayBuffer, so it can be transferred): add writes hex into it without a view per event.
      bytes: Buffer.alloc(capacity * LEAF_BYTES),
      isLeaf: new Uint8Array(capacity),
      second: this.options.second ? new Uint8Array(capacity) : null,
    };
  }

  /** One more event, by its hash (hex, as stored); `inSecond`: it is also in the second tree. */
  add(hashHex: string, inSecond = true): void {
    let page = this.page;
    if (page.count === page.isLeaf.length) {
      const bigger = this.newPage(page.count * 2);
      bigger.bytes.set(page.bytes);
      bigger.isLeaf.set(page.isLeaf);
      if (page.second) bigger.second!.set(page.second);
      bigger.count = page.count;
      this.page = page = bigger;
    }
    const i = page.count++;
    const bytes = page.bytes as Buffer; // made by newPage
    // As merkleLeafHash reads it: 64 hex digits are 32 bytes; anything else is hashed here, as it is.
    if (!(hashHex.length === 64 && bytes.write(hashHex, i * LEAF_BYTES, LEAF_BYTES, 'hex') === LEAF_BYTES)) {
      merkleLeafHash(hashHex).copy(bytes, i * LEAF_BYTES);
      page.isLeaf[i] = 1;
    }
    if (page.second) page.second[i] = inSecond ? 1 : 0;
  }

  /** Hands the page collected so far over (or folds it here). */
  async endPage(): Promise<void> {
    const page = this.page;
    if (page.count === 0) return;
    this.page = this.newPage();
    if (this.state) return this.state.foldPage(page);
    if (this.failure) throw this.failure;
    this.inFlight += 1;
    const folded = new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
    folded.catch(() => undefined); // awaited below or in finish; a failure is also kept in `failure`
    const transfer = [page.bytes.buffer, page.isLeaf.buffer, ...(page.second ? [page.second.buffer] : [])];
    this.worker!.postMessage(page, transfer as ArrayBuffer[]);
    if (this.inFlight >= IN_FLIGHT) await folded;
  }

  /** The roots, once every page is folded. */
  async finish(): Promise<TreeResult> {
    await this.endPage();
    if (this.state) return this.state.result();
    if (this.failure) throw this.failure;
    const result = new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.inFlight += 1;
    this.worker!.postMessage('finish');
    return revive((await result) as TreeResult);
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

/** Buffers come back from a worker as Uint8Arrays. */
function revive(r: TreeResult): TreeResult {
  const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return {
    size: r.size,
    root: buf(r.root),
    second: r.second ? { size: r.second.size, root: buf(r.second.root) } : null,
    rootsAt: new Map([...r.rootsAt].map(([size, root]) => [size, buf(root)])),
  };
}
