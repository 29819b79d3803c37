/**
 * Recomputes what an append sealed (append-plan.ts sealEvents, hash-chain.ts eventHash) and
 * checks the global order, one event at a time in position order, so a whole log can be
 * verified in one pass. Feed events read with `upcast: false`: the hash covers the stored shape.
 */
import type { EventMetadata, RecordedEvent, StoredEventRow } from './event-store.port';
import { eventHash } from './hash-chain';

export interface ChainProblem {
  position: string;
  streamId: string;
  revision: string;
  problem: string;
}

/** The fields a chain check needs; a RecordedEvent has them, so does a line of an export. */
export interface ChainLink {
  position: bigint;
  streamId: string;
  revision: bigint;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
}

export interface ChainVerifierOptions {
  /**
   * Strict (a whole log): every stream starts at revision 0 and has no gaps. Partial (a
   * filtered export): a stream may start later or skip revisions, but events that are
   * adjacent in the stream must still link.
   */
  complete?: boolean;
}

export class ChainVerifier {
  private readonly tails = new Map<string, { revision: bigint; hash: string }>();
  private lastPosition: bigint | null = null;
  private lastRecordedAt: string | null = null;
  private checked = 0;
  private problem: ChainProblem | null = null;

  constructor(private readonly options: ChainVerifierOptions = { complete: true }) {}

  get checkedEvents(): number {
    return this.checked;
  }

  get firstInvalid(): ChainProblem | null {
    return this.problem;
  }

  /** Checks one more event; returns the problem, if any (only the first is kept). */
  check(event: ChainLink | RecordedEvent): ChainProblem | null {
    const link = event as ChainLink;
    return this.record(link, link.metadata, () => contentMatches(link));
  }

  /**
   * Checks one more stored row whose content was already checked against its hash (by
   * storedRowMatches): only its links are checked here, with the same problems and wording.
   */
  checkStored(row: StoredEventRow, metadata: EventMetadata | null, contentMatchesHash: boolean): ChainProblem | null {
    return this.record(row, metadata, () => contentMatchesHash);
  }

  private record(
    event: { position: bigint; streamId: string; revision: bigint },
    metadata: EventMetadata | null | undefined,
    content: () => boolean,
  ): ChainProblem | null {
    this.checked += 1;
    const found = this.findProblem(event, metadata, content);
    // Later events are still counted and tracked, so the tail state stays meaningful.
    this.tails.set(event.streamId, { revision: event.revision, hash: metadata?.hash as string });
    if (this.lastPosition === null || event.position > this.lastPosition) this.lastPosition = event.position;
    if (metadata?.recordedAt && (this.lastRecordedAt === null || metadata.recordedAt > this.lastRecordedAt)) {
      this.lastRecordedAt = metadata.recordedAt;
    }
    if (!found) return null;
    const problem: ChainProblem = {
      position: event.position.toString(),
      streamId: event.streamId,
      revision: event.revision.toString(),
      problem: found,
    };
    this.problem ??= problem;
    return problem;
  }

  private findProblem(
    event: { position: bigint; streamId: string; revision: bigint },
    metadata: EventMetadata | null | undefined,
    content: () => boolean,
  ): string | null {
    if (this.lastPosition !== null && event.position <= this.lastPosition) {
      return `position ${event.position} comes after position ${this.lastPosition}: the global order is broken`;
    }
    if (!metadata || typeof metadata.hash !== 'string') return 'the event has no hash';
    if (this.lastRecordedAt !== null && metadata.recordedAt < this.lastRecordedAt) {
      return `recorded at ${metadata.recordedAt}, before an earlier position recorded at ${this.lastRecordedAt}: the global order is broken`;
    }
    const tail = this.tails.get(event.streamId);
    const complete = this.options.complete !== false;
    if (tail === undefined) {
      if (complete && event.revision !== 0n) {
        return `the stream starts at revision ${event.revision}: revisions before it are missing`;
      }
      if (event.revision === 0n && metadata.prevHash !== null) return 'revision 0 must not link to a previous hash';
    } else if (event.revision <= tail.revision) {
      return `revision ${event.revision} follows revision ${tail.revision} of the same stream: the stream is out of order`;
    } else if (event.revision !== tail.revision + 1n) {
      if (complete) return `revision ${event.revision} follows revision ${tail.revision}: an event is missing`;
    } else if (metadata.prevHash !== tail.hash) {
      return `prevHash does not match the hash of revision ${tail.revision}: the chain is broken`;
    }
    if (!content()) return 'the stored hash does not match the event: its content was changed';
    return null;
  }
}

/** Whether an event read back (data and metadata parsed) still hashes to its stored hash. */
function contentMatches(event: ChainLink): boolean {
  const { hash, ...withoutHash } = event.metadata;
  const recomputed = eventHash({
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: withoutHash,
  });
  return recomputed === hash;
}
