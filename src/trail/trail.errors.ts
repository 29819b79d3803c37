import { ConflictError, NotFoundError, RuleBrokenError } from '@casetrail/kernel';

export class StreamNotFound extends NotFoundError {
  readonly code = 'STREAM_NOT_FOUND';
  constructor(streamId: string) {
    super(`Nothing has been recorded for "${streamId}".`);
  }
}

export class NoCheckpointYet extends NotFoundError {
  readonly code = 'NO_CHECKPOINT_YET';
  constructor() {
    super('No checkpoint has been signed yet. An administrator can make one with "npm run cli -- trail:checkpoint".');
  }
}

export class CheckpointSizeUnknown extends RuleBrokenError {
  readonly code = 'CHECKPOINT_SIZE_UNKNOWN';
  constructor(from: number, to: number, head: number) {
    super(`A consistency proof needs 1 <= from (${from}) <= to (${to}) <= the log size (${head}).`);
  }
}

/** The log no longer extends the last signed checkpoint: signing a new head would hide that. */
export class HistoryChangedSinceCheckpoint extends ConflictError {
  readonly code = 'HISTORY_CHANGED_SINCE_CHECKPOINT';
  constructor(size: number, signedAt: string) {
    super(
      `The first ${size} events no longer match the checkpoint signed at ${signedAt}: recorded history was altered. ` +
        'Run trail:verify to find where; no new checkpoint was signed.',
    );
  }
}
