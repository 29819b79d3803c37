import type { ExpectedRevision } from './event-store.port';

const describeRevision = (r: ExpectedRevision | bigint | null): string =>
  r === null ? 'no stream' : typeof r === 'bigint' ? `revision ${r}` : r;

/** The stream is not where the writer expected it to be (someone else wrote first). */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or null when it does not exist. */
    readonly actual: bigint | null,
  ) {
    super(`Stream ${streamId}: expected ${describeRevision(expected)}, but it is at ${describeRevision(actual)}`);
  }
}

/**
 * Event ids are unique in the whole log. Re-sending the same ids to the same place is an
 * idempotent no-op; sending them anywhere else (another stream, another order, mixed with
 * new ones) is refused rather than silently rewriting history.
 */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
    detail: string,
  ) {
    super(`Stream ${streamId}: event ${eventId} ${detail}`);
  }
}

/** The append itself is malformed (empty, bad stream id, bad metadata). */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}
