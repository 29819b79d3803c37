import { createHash } from 'node:crypto';
import {
  EMPTY_TREE_ROOT,
  MerkleAccumulator,
  MerkleLeaves,
  merkleLeafHash,
  merkleNodeHash,
  verifyConsistency,
} from '@casetrail/event-store';

const eventHashes = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => createHash('sha256').update(`event ${i}`).digest('hex'));

/** RFC 6962 section 2.1, written as literally as possible to check the fast versions against. */
function referenceRoot(hashes: string[]): Buffer {
  if (hashes.length === 0) return createHash('sha256').digest();
  if (hashes.length === 1) return merkleLeafHash(hashes[0]);
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return merkleNodeHash(referenceRoot(hashes.slice(0, k)), referenceRoot(hashes.slice(k)));
}

describe('Merkle tree over the log (RFC 6962)', () => {
  it('leaf and node hashes use the 0x00 and 0x01 prefixes', () => {
    const h = 'ab'.repeat(32);
    expect(merkleLeafHash(h)).toEqual(
      createHash('sha256')
        .update(Buffer.from('00' + h, 'hex'))
        .digest(),
    );
    const [a, b] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    expect(merkleNodeHash(a, b)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([1]), a, b]))
        .digest(),
    );
  });

  it('the streaming accumulator gives the RFC root at every size from 0 to 70', () => {
    const hashes = eventHashes(70);
    const accumulator = new MerkleAccumulator();
    expect(accumulator.root()).toEqual(EMPTY_TREE_ROOT);
    hashes.forEach((h, i) => {
      accumulator.addEventHash(h);
      expect(accumulator.root().toString('hex')).toBe(referenceRoot(hashes.slice(0, i + 1)).toString('hex'));
    });
  });

  it('a consistency proof between every pair of sizes up to 33 verifies', () => {
    const hashes = eventHashes(33);
    const leaves = new MerkleLeaves(2); // small capacity: growth is exercised too
    hashes.forEach((h) => leaves.addEventHash(h));
    for (let n = 1; n <= 33; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = leaves.consistencyProof(m, n);
        expect(verifyConsistency(m, n, referenceRoot(hashes.slice(0, m)), referenceRoot(hashes.slice(0, n)), proof)).toBe(true);
      }
    }
  });

  it('a log whose history was rewritten fails the consistency proof', () => {
    const hashes = eventHashes(20);
    const rewritten = [...hashes];
    rewritten[3] = createHash('sha256').update('another event').digest('hex');
    const leaves = new MerkleLeaves();
    rewritten.forEach((h) => leaves.addEventHash(h));
    const oldRoot = referenceRoot(hashes.slice(0, 7));
    expect(verifyConsistency(7, 20, oldRoot, leaves.root(), leaves.consistencyProof(7, 20))).toBe(false);
    // And a proof cannot be stretched to another pair of sizes.
    const honest = new MerkleLeaves();
    hashes.forEach((h) => honest.addEventHash(h));
    expect(verifyConsistency(6, 20, referenceRoot(hashes.slice(0, 6)), honest.root(), honest.consistencyProof(7, 20))).toBe(
      false,
    );
  });
});
