/**
 * A progress bar for long CLI commands (projections:rebuild, trail:verify, export, backup), drawn
 * with cli-progress on stderr so stdout keeps carrying only the command's JSON. When stderr is not a
 * terminal (a pipe, a file, CI, a test) it is a no-op: nothing is written at all.
 */
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** Sets how far the work has got; `total` may change as the work learns its size. */
  update(value: number, total?: number): void;
  /** Clears the bar (call it in a `finally`). */
  stop(): void;
}

/** The stream a bar draws on: a terminal when `isTTY` is true. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A bar labelled `label` counting `unit`s, or a no-op when `stream` (default: stderr) is not a
 * terminal. It starts on the first `update` and redraws at most every 100 ms.
 */
export function progressBar(label: string, unit = 'events', stream: ProgressStream = process.stderr): Progress {
  if (stream.isTTY !== true) return NONE;
  const bar = new SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: 10,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(value, total) {
      if (!started) {
        bar.start(total ?? value, value);
        started = true;
        return;
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(value);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
