/**
 * LogTree folds a pass's event hashes into the same Merkle roots wherever it runs: on the caller's
 * thread (short logs) and on a worker thread (long ones), as MerkleAccumulator gives them event by event.
 */
import { createHash } from 'node:crypto';
import { MerkleAccumulator } from '@casetrail/event-store';
import { LogTree, type TreeResult } from './log-tree';

const hashOf = (i: number): string => createHash('sha256').update(`event ${i}`).digest('hex');

/** 5,000 events over pages of 1,000 then one of 2,500 (more than a page holds at first): some hashes damaged. */
const EVENTS = 5000;
const hashes = Array.from({ length: EVENTS }, (_, i) =>
  i === 17 ? 'not hex at all' : i === 4000 ? hashOf(i).slice(0, 40) : i === 4001 ? hashOf(i).toUpperCase() : hashOf(i),
);
const inSecond = (i: number): boolean => i % 3 === 0;
const rootsAt = [0, 1, 17, 18, 2048, 4999, 5000, 6000];

async function fold(offThreadFrom: number): Promise<{ result: TreeResult; offThread: boolean }> {
  const tree = new LogTree(EVENTS, { second: true, rootsAt }, offThreadFrom);
  try {
    for (let i = 0; i < EVENTS; i++) {
      tree.add(hashes[i], inSecond(i));
      if (i < 2500 && (i + 1) % 1000 === 0) await tree.endPage();
    }
    return { result: await tree.finish(), offThread: tree.offThread };
  } finally {
    await tree.close();
  }
}

function expected(): { whole: MerkleAccumulator; second: MerkleAccumulator; roots: Map<number, string> } {
  const whole = new MerkleAccumulator();
  const second = new MerkleAccumulator();
  const roots = new Map<number, string>([[0, whole.root().toString('hex')]]);
  hashes.forEach((h, i) => {
    whole.addEventHash(h);
    if (inSecond(i)) second.addEventHash(h);
    if (rootsAt.includes(whole.size)) roots.set(whole.size, whole.root().toString('hex'));
  });
  return { whole, second, roots };
}

const hex = (m: Map<number, Buffer>): Map<number, string> => new Map([...m].map(([k, v]) => [k, v.toString('hex')]));

it.each([
  ['on the caller thread', Number.MAX_SAFE_INTEGER, false],
  ['on a worker thread', 0, true],
])('folds the same roots as MerkleAccumulator %s', async (_where, offThreadFrom, offThread) => {
  const want = expected();
  const got = await fold(offThreadFrom);
  expect(got.offThread).toBe(offThread);
  expect(got.result.size).toBe(EVENTS);
  expect(got.result.root.toString('hex')).toBe(want.whole.root().toString('hex'));
  expect(got.result.second?.size).toBe(want.second.size);
  expect(got.result.second?.root.toString('hex')).toBe(want.second.root().toString('hex'));
  expect(hex(got.result.rootsAt)).toEqual(want.roots); // 6000 is never reached
});

it('an empty pass has the empty tree root and no second tree unless asked', async () => {
  const tree = new LogTree(0, {}, 0);
  try {
    const result = await tree.finish();
    expect(result).toMatchObject({ size: 0, second: null });
    expect(result.root.toString('hex')).toBe(new MerkleAccumulator().root().toString('hex'));
  } finally {
    await tree.close();
  }
});
