/**
 * The shared log reader waits for slow subscribers instead of buffering for them. A child
 * process with a 64 MB heap follows the live log with two subscribers that read nothing while
 * 96 MB of events are appended (see slow-subscribers-in-child.ts): a reader that queues events
 * for them runs out of heap (it did, with its old 10,000-message queues), one with back-pressure
 * completes and hands each subscriber every event once, in order. The bound is the heap size:
 * no timing, no memory figure.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_ENV, ROOT, builtNodeArgs } from '@casetrail/testing';

const HEAP_MB = 64;
const EVENTS = 6_000;
const EVENT_BYTES = 16_000; // 6,000 x 16 KB = 96 MB, half as much again as the heap

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-reader-memory-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it(`subscribers that read nothing while ${(EVENTS * (EVENT_BYTES / 1000)) / 1000} MB is appended do not exhaust a ${HEAP_MB} MB heap, and then get every event in order`, async () => {
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, ...builtNodeArgs(join(__dirname, 'slow-subscribers-in-child.ts'))],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...BUILT_ENV,
        EVENTS_FILE: join(dir, 'events.sqlite'),
        EVENTS: String(EVENTS),
        EVENT_BYTES: String(EVENT_BYTES),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': stdout may still hold the child's output at 'exit'.
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));

  expect({ code, stderr: stderr.slice(-2_000) }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(stdout)).toEqual({
    head: EVENTS,
    all: { events: EVENTS, ordered: true },
    half: { events: EVENTS / 2, ordered: true },
  });
}, 300_000);
