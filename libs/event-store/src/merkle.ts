/**
 * A Merkle tree over the global log in the style of RFC 6962 (Certificate Transparency):
 * leaf i is the i-th event in position order, leaf hash = SHA-256(0x00 || event hash bytes),
 * node hash = SHA-256(0x01 || left || right), and a tree of n leaves splits at the largest
 * power of two below n. A signed tree head therefore fixes the whole log up to its size,
 * and a consistency proof shows a later head only appended to an earlier one.
 */
import { createHash, hash as oneShotHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/**
 * The bytes of a leaf or node hash are assembled in these (0x00 || hash, 0x01 || left || right)
 * and hashed in one call: a one-shot SHA-256 costs about a third of a Hash object with its
 * updates, and a verification or export computes two or three of them per event.
 */
const leafInput = Buffer.alloc(33, 0x00);
const nodeInput = Buffer.alloc(65, 0x01);

/** Root of the empty tree: SHA-256 of the empty string (RFC 6962 section 2.1). */
export const EMPTY_TREE_ROOT = createHash('sha256').digest();

/** Leaf hash of one event, from its hex `hash`. */
export function merkleLeafHash(eventHashHex: string): Buffer {
  if (eventHashHex.length === 64 && leafInput.write(eventHashHex, 1, 'hex') === 32) {
    return oneShotHash('sha256', leafInput, 'buffer');
  }
  // Not a 32-byte hex hash (a damaged row): its bytes as Buffer.from reads them.
  return createHash('sha256').update(LEAF_PREFIX).update(Buffer.from(eventHashHex, 'hex')).digest();
}

export function merkleNodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length === 32 && right.length === 32) {
    left.copy(nodeInput, 1);
    right.copy(nodeInput, 33);
    return oneShotHash('sha256', nodeInput, 'buffer');
  }
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** Largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Streams leaves in and gives the root of the tree so far at any moment, in O(log n)
 * memory: it keeps only the roots of the perfect subtrees (the binary digits of the size),
 * 32 bytes each in one buffer, largest first. Adding a leaf merges equal subtrees in place: each
 * node hash is one SHA-256 call over `0x01 || left || right`, its digest written back as bytes
 * (a 'binary' (latin1) string of 32 characters: no Buffer allocated per node).
 */
export class MerkleAccumulator {
  /** Roots of the perfect subtrees, 32 bytes each: 64 of them cover any size a number can count. */
  private readonly roots = Buffer.alloc(64 * 32);
  private readonly sizes: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  addEventHash(eventHashHex: string): void {
    this.addLeafHash(merkleLeafHash(eventHashHex));
  }

  addLeafHash(leaf: Buffer): void {
    this.addLeafAt(leaf, 0);
  }

  /** Adds the 32-byte leaf hash at `offset` in `leaves` (a page of leaves, without slicing it). */
  addLeafAt(leaves: Buffer, offset: number): void {
    // The new node is built in nodeInput's right half; each merge puts the left neighbour before it.
    leaves.copy(nodeInput, 33, offset, offset + 32);
    let size = 1;
    let top = this.sizes.length - 1;
    while (top >= 0 && this.sizes[top] === size) {
      this.roots.copy(nodeInput, 1, top * 32, top * 32 + 32);
      nodeInput.write(oneShotHash('sha256', nodeInput, 'binary'), 33, 'latin1');
      size *= 2;
      this.sizes.pop();
      top -= 1;
    }
    nodeInput.copy(this.roots, (top + 1) * 32, 33, 65);
    this.sizes.push(size);
    this.count += 1;
  }

  /** RFC 6962 MTH of the leaves added so far: the perfect subtrees folded right to left. */
  root(): Buffer {
    const top = this.sizes.length - 1;
    if (top < 0) return EMPTY_TREE_ROOT;
    let root: Buffer = Buffer.from(this.roots.subarray(top * 32, top * 32 + 32));
    for (let i = top - 1; i >= 0; i--) root = merkleNodeHash(this.roots.subarray(i * 32, i * 32 + 32), root);
    return root;
  }
}

/**
 * All leaf hashes of a log held in one buffer (32 bytes each: 32 MB for a million events),
 * for building consistency proofs, which need subtree hashes of arbitrary ranges.
 */
export class MerkleLeaves {
  private buffer: Buffer;
  private count = 0;

  constructor(capacity = 1024) {
    this.buffer = Buffer.alloc(Math.max(1, capacity) * 32);
  }

  get size(): number {
    return this.count;
  }

  addEventHash(eventHashHex: string): void {
    if ((this.count + 1) * 32 > this.buffer.length) {
      const bigger = Buffer.alloc(this.buffer.length * 2);
      this.buffer.copy(bigger);
      this.buffer = bigger;
    }
    merkleLeafHash(eventHashHex).copy(this.buffer, this.count * 32);
    this.count += 1;
  }

  private leaf(i: number): Buffer {
    return this.buffer.subarray(i * 32, i * 32 + 32);
  }

  /** MTH(D[start:end]). */
  rootOf(start: number, end: number): Buffer {
    if (start < 0 || end > this.count || start > end)
      throw new RangeError(`No leaves ${start}..${end} in a log of ${this.count}`);
    const accumulator = new MerkleAccumulator();
    for (let i = start; i < end; i++) accumulator.addLeafHash(this.leaf(i));
    return accumulator.root();
  }

  root(size = this.count): Buffer {
    return this.rootOf(0, size);
  }

  /** RFC 6962 section 2.1.2: PROOF(m, D[n]) for 0 < m <= n. */
  consistencyProof(m: number, n = this.count): Buffer[] {
    if (m < 1 || m > n || n > this.count) throw new RangeError(`No consistency proof from size ${m} to size ${n}`);
    return this.subproof(m, 0, n, true);
  }

  private subproof(m: number, start: number, end: number, complete: boolean): Buffer[] {
    const n = end - start;
    if (m === n) return complete ? [] : [this.rootOf(start, end)];
    const k = splitPoint(n);
    if (m <= k) return [...this.subproof(m, start, start + k, complete), this.rootOf(start + k, end)];
    return [...this.subproof(m - k, start + k, end, false), this.rootOf(start, start + k)];
  }
}

/**
 * Checks a consistency proof (RFC 9162 section 2.1.4.2): true when a tree of size `first`
 * with root `firstRoot` is a prefix of a tree of size `second` with root `secondRoot`.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: Buffer[],
): boolean {
  if (first < 1 || first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (proof.length === 0) return false;
  let path = proof;
  // When the first tree is a perfect subtree on the left edge, its root is the proof's implicit start.
  if ((first & (first - 1)) === 0) path = [firstRoot, ...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      fr = merkleNodeHash(c, fr);
      sr = merkleNodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = merkleNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
