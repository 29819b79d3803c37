import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ChainVerifier,
  EVENT_STORE,
  MerkleLeaves,
  storedRowMatches,
  verifyConsistency,
  type ChainProblem,
  type EventMetadata,
  type EventStore,
} from '@casetrail/event-store';
import { LogTree, OFF_THREAD_FROM, type TreeResult } from './log-tree';
import { CHECKPOINT_STREAM, TRAIL_SIDE_STORE } from './side-store';
import { TrailSigner } from './signing-key';
import { verifyCanonical, type SignedTreeHead } from './signing';
import { CheckpointSizeUnknown, HistoryChangedSinceCheckpoint, NoCheckpointYet } from './trail.errors';

export interface VerificationReport {
  checkedEvents: number;
  valid: boolean;
  firstInvalid?: ChainProblem;
  /** Signed checkpoints whose root was recomputed and compared. */
  checkpointsChecked: number;
  headPosition: string;
  verifiedAt: string;
}

export interface CheckpointResult {
  checkpoint: SignedTreeHead;
  publicKey: string;
  /** Proof that this head extends the previous one (absent for the first checkpoint). */
  consistency?: ConsistencyProofView;
}

export interface ConsistencyProofView {
  fromSize: number;
  toSize: number;
  fromRoot: string;
  toRoot: string;
  proof: string[];
  consistent: boolean;
}

const CHECKPOINT_SIGNED = 'TrailCheckpointSigned';
/** Events between two progress reports of a long pass over the log. */
export const PROGRESS_EVERY = 1000;

/** Whole-log verification, signed checkpoints and consistency proofs. */
@Injectable()
export class IntegrityService {
  /** Logs from this many events have their tree built on a worker thread (log-tree.ts); tests lower it. */
  offThreadFrom = OFF_THREAD_FROM;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TRAIL_SIDE_STORE) private readonly side: EventStore,
    private readonly signer: TrailSigner,
  ) {}

  /**
   * One pass in position order up to the head taken at the start: every stream's hash chain,
   * the global order, and the root of every signed checkpoint (which also catches removed
   * tails and rewritten-and-rehashed history, which a chain alone cannot).
   */
  async verify(onProgress?: (position: bigint, head: bigint) => void): Promise<VerificationReport> {
    const head = await this.store.headPosition();
    onProgress?.(0n, head);
    const checkpoints = await this.checkpoints();
    const bySize = new Map<number, SignedTreeHead[]>();
    for (const c of checkpoints) bySize.set(c.size, [...(bySize.get(c.size) ?? []), c]);
    const chain = new ChainVerifier({ complete: true });
    const publicKey = checkpoints.length ? this.signer.publicKey : null;
    // The tree is built beside the pass (on a worker thread for a long log: log-tree.ts), so the
    // checkpoints are compared at the end, each with the event at its size, and the first problem
    // in log order wins as before: a chain problem at or before a checkpoint's last event comes first.
    const tree = new LogTree(Number(head), { rootsAt: bySize.keys() }, this.offThreadFrom);
    let firstChainProblem: { index: number; problem: ChainProblem } | undefined;
    const atSize = new Map<number, ChainProblem>();
    let size = 0;
    // After each event: progress now and then, and where the checkpoints of this size end.
    const added = (position: bigint, streamId: string, revision: bigint, problem: ChainProblem | null): void => {
      size += 1;
      if (problem && !firstChainProblem) firstChainProblem = { index: size, problem };
      if (onProgress && size % PROGRESS_EVERY === 0) onProgress(position, head);
      if (bySize.has(size))
        atSize.set(size, { position: position.toString(), streamId, revision: revision.toString(), problem: '' });
    };
    let trees: TreeResult;
    try {
      if (this.store.readStoredPages) {
        // The stored rows in large pages, each hashed as stored (storedRowMatches), links checked in order.
        for await (const rows of this.store.readStoredPages({ toPosition: head, pageSize: 2000 })) {
          for (const row of rows) {
            const { matches, hash } = storedRowMatches(row, row.metadata);
            // Its metadata as JSON.parse reads it, or null when it is not JSON (the chain check then says it has no hash).
            // (sealedMetadata's pattern was measured no cheaper than JSON.parse here: 1.1 against 0.9-1.05 µs a row.)
            const metadata = parsedMetadata(row.metadata);
            tree.add(hash);
            added(row.position, row.streamId, row.revision, chain.checkStored(row, metadata, matches));
          }
          await tree.endPage();
        }
      } else {
        for await (const event of this.store.readAll({ toPosition: head, upcast: false })) {
          tree.add(event.metadata.hash ?? '');
          added(event.position, event.streamId, event.revision, chain.check(event));
        }
      }
      trees = await tree.finish();
    } finally {
      await tree.close();
    }
    onProgress?.(head, head);

    let firstInvalid: ChainProblem | undefined;
    let checkpointsChecked = 0;
    for (const [checkpointSize, heads] of [...bySize].sort(([a], [b]) => a - b)) {
      const root = trees.rootsAt.get(checkpointSize);
      if (root === undefined) continue; // beyond the log: see `longer` below
      for (const c of heads) {
        checkpointsChecked += 1;
        if (firstInvalid || (firstChainProblem && firstChainProblem.index <= checkpointSize)) continue;
        const problem = !verifyCanonical(c, publicKey!)
          ? `the checkpoint signed at ${c.signedAt} has an invalid signature (or another key signed it)`
          : root.toString('hex') !== c.rootHash
            ? `the first ${c.size} events no longer match the checkpoint signed at ${c.signedAt}: history was rewritten`
            : null;
        if (problem) {
          const at = atSize.get(checkpointSize);
          firstInvalid = {
            position: at?.position ?? c.lastPosition,
            streamId: at?.streamId ?? '',
            revision: at?.revision ?? '',
            problem,
          };
        }
      }
    }
    firstInvalid ??= firstChainProblem?.problem;
    const longer = checkpoints.filter((c) => c.size > trees.size).sort((a, b) => a.size - b.size)[0];
    if (longer && !firstInvalid) {
      firstInvalid = {
        position: longer.lastPosition,
        streamId: '',
        revision: '',
        problem: `the log has ${trees.size} events but the checkpoint signed at ${longer.signedAt} covered ${longer.size}: events were removed`,
      };
    }
    return {
      checkedEvents: chain.checkedEvents,
      valid: firstInvalid === undefined,
      ...(firstInvalid ? { firstInvalid } : {}),
      checkpointsChecked,
      headPosition: head.toString(),
      verifiedAt: new Date().toISOString(),
    };
  }

  publicKeyPem(): string {
    return this.signer.publicKeyPem;
  }

  /** Signed checkpoints, oldest first. */
  async checkpoints(): Promise<SignedTreeHead[]> {
    const heads: SignedTreeHead[] = [];
    for await (const e of this.side.readStream(CHECKPOINT_STREAM)) heads.push(e.data as SignedTreeHead);
    return heads;
  }

  async latestCheckpoint(): Promise<SignedTreeHead> {
    for await (const e of this.side.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 })) {
      return e.data as SignedTreeHead;
    }
    throw new NoCheckpointYet();
  }

  /** Leaf hashes of the first events of the log, up to `toPosition` (or `size` events). */
  private async leaves(limit: { toPosition?: bigint; size?: number }): Promise<{ leaves: MerkleLeaves; lastPosition: bigint }> {
    const leaves = new MerkleLeaves(64 * 1024);
    let lastPosition = 0n;
    for await (const e of this.store.readAll({ toPosition: limit.toPosition, maxCount: limit.size, upcast: false })) {
      leaves.addEventHash(e.metadata.hash);
      lastPosition = e.position;
    }
    return { leaves, lastPosition };
  }

  /** Signs a tree head over the whole log as it stands, after proving it extends the previous head. */
  async makeCheckpoint(actorId: string): Promise<CheckpointResult> {
    const head = await this.store.headPosition();
    const { leaves, lastPosition } = await this.leaves({ toPosition: head });
    const previous = await this.latestCheckpoint().catch((error: unknown) => {
      if (error instanceof NoCheckpointYet) return null;
      throw error;
    });
    let consistency: ConsistencyProofView | undefined;
    if (previous) {
      if (previous.size > leaves.size) throw new HistoryChangedSinceCheckpoint(previous.size, previous.signedAt);
      consistency = this.proofBetween(leaves, previous.size, leaves.size, Buffer.from(previous.rootHash, 'hex'));
      if (!consistency.consistent) throw new HistoryChangedSinceCheckpoint(previous.size, previous.signedAt);
    }
    const checkpoint = this.signer.signTreeHead(leaves, lastPosition);
    const id = randomUUID();
    await this.side.appendToStream(CHECKPOINT_STREAM, [
      {
        eventId: id,
        type: CHECKPOINT_SIGNED,
        schemaVersion: 1,
        data: checkpoint,
        metadata: {
          actorId,
          actorRole: 'system',
          correlationId: id,
          causationId: id,
          commandId: id,
          occurredAt: checkpoint.signedAt,
        },
      },
    ]);
    return { checkpoint, publicKey: this.signer.publicKeyPem, ...(consistency ? { consistency } : {}) };
  }

  private proofBetween(leaves: MerkleLeaves, fromSize: number, toSize: number, claimedFromRoot?: Buffer): ConsistencyProofView {
    const fromRoot = claimedFromRoot ?? leaves.root(fromSize);
    const toRoot = leaves.root(toSize);
    const proof = leaves.consistencyProof(fromSize, toSize);
    return {
      fromSize,
      toSize,
      fromRoot: fromRoot.toString('hex'),
      toRoot: toRoot.toString('hex'),
      proof: proof.map((p) => p.toString('hex')),
      consistent: verifyConsistency(fromSize, toSize, fromRoot, toRoot, proof),
    };
  }

  /**
   * Proof that the tree of `to` events extends the tree of `from` events. When either size is
   * a signed checkpoint, its signed root is the one checked, so the proof speaks for the head.
   */
  async consistency(
    from: number,
    to?: number,
  ): Promise<ConsistencyProofView & { fromCheckpoint?: SignedTreeHead; toCheckpoint?: SignedTreeHead }> {
    const checkpoints = await this.checkpoints();
    const toSize = to ?? checkpoints.at(-1)?.size;
    if (toSize === undefined) throw new NoCheckpointYet();
    const { leaves } = await this.leaves({ size: toSize });
    if (from < 1 || from > toSize || toSize > leaves.size) throw new CheckpointSizeUnknown(from, toSize, leaves.size);
    const fromCheckpoint = checkpoints.findLast((c) => c.size === from);
    const toCheckpoint = checkpoints.findLast((c) => c.size === toSize);
    const view = this.proofBetween(
      leaves,
      from,
      toSize,
      fromCheckpoint ? Buffer.from(fromCheckpoint.rootHash, 'hex') : undefined,
    );
    const toMatches = !toCheckpoint || toCheckpoint.rootHash === view.toRoot;
    return {
      ...view,
      consistent: view.consistent && toMatches,
      ...(fromCheckpoint ? { fromCheckpoint } : {}),
      ...(toCheckpoint ? { toCheckpoint } : {}),
    };
  }
}

/** A stored row's metadata as JSON.parse reads it, or null when it is not JSON. */
function parsedMetadata(text: string): EventMetadata | null {
  try {
    return JSON.parse(text) as EventMetadata;
  } catch {
    return null;
  }
}
