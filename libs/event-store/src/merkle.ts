/**
 * A Merkle tree over the global log in the style of RFC 6962 (Certificate Transparency):
 * leaf i is the i-th event in position order, leaf hash = SHA-256(0x00 || event hash bytes),
 * node hash = SHA-256(0x01 || left || right), and a tree of n leaves splits at the largest
 * power of two below n. A signed tree head therefore fixes the whole log up to its size,
 * and a consistency proof shows a later head only appended to an earlier one.
 */
import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** Root of the empty tree: SHA-256 of the empty string (RFC 6962 section 2.1). */
export const EMPTY_TREE_ROOT = createHash('sha256').digest();

/** Leaf hash of one event, from its hex `hash`. */
export function merkleLeafHash(eventHashHex: string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(Buffer.from(eventHashHex, 'hex')).digest();
}

export function merkleNodeHash(left: Buffer, right: Buffer): Buffer {
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
 * memory: it keeps only the roots of the perfect subtrees (the binary digits of the size).
 */
export class MerkleAccumulator {
  private readonly stack: { hash: Buffer; size: number }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  addEventHash(eventHashHex: string): void {
    this.addLeafHash(merkleLeafHash(eventHashHex));
  }

  addLeafHash(leaf: Buffer): void {
    let node = { hash: leaf, size: 1 };
    while (this.stack.length && this.stack[this.stack.length - 1].size === node.size) {
      const left = this.stack.pop()!;
      node = { hash: merkleNodeHash(left.hash, node.hash), size: left.size * 2 };
    }
    this.stack.push(node);
    this.count += 1;
  }

  /** RFC 6962 MTH of the leaves added so far: the perfect subtrees folded right to left. */
  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_TREE_ROOT;
    let root = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) root = merkleNodeHash(this.stack[i].hash, root);
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
