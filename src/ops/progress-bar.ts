import { Presets, SingleBar } from 'cli-progress';
import type { Progress } from './backup';

const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/** A progress bar on stderr (stdout carries the command's JSON); nothing when stderr is not a terminal. */
export function bytesProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { start: () => undefined, advance: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {done} of {all} MB | {file}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let done = 0;
  let all = 0;
  return {
    start: (totalBytes) => {
      all = totalBytes;
      bar.start(Math.max(totalBytes, 1), 0, { done: megabytes(0), all: megabytes(all), file: '' });
    },
    advance: (bytes, file) => {
      done += bytes;
      bar.update(Math.min(done, Math.max(all, 1)), { done: megabytes(done), all: megabytes(all), file });
    },
    stop: () => bar.stop(),
  };
}
