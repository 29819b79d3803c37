import { notFound, conflict, ruleBroken } from '@casetrail/kernel';

export class StreamNotFound extends notFound(
  'STREAM_NOT_FOUND',
  (streamId: string) => `Nothing has been recorded for "${streamId}".`,
) {}

export class NoCheckpointYet extends notFound(
  'NO_CHECKPOINT_YET',
  () => 'No checkpoint has been signed yet. An administrator can make one with "npm run cli -- trail:checkpoint".',
) {}

export class CheckpointSizeUnknown extends ruleBroken(
  'CHECKPOINT_SIZE_UNKNOWN',
  (from: number, to: number, head: number) =>
    `A consistency proof needs 1 <= from (${from}) <= to (${to}) <= the log size (${head}).`,
) {}

/** The log no longer extends the last signed checkpoint: signing a new head would hide that. */
export class HistoryChangedSinceCheckpoint extends conflict(
  'HISTORY_CHANGED_SINCE_CHECKPOINT',
  (size: number, signedAt: string) =>
    `The first ${size} events no longer match the checkpoint signed at ${signedAt}: recorded history was altered. ` +
    'Run trail:verify to find where; no new checkpoint was signed.',
) {}
