/**
 * The export streams. The real server runs in a child process with a V8 heap of 96 MB and
 * exports about 320 MB (160,000 events of 2 KB): an export that held its whole response in memory (one string, or an
 * array of lines) cannot fit and the server dies mid-response; a streaming export completes.
 * The bound is the heap size, the same on any machine and under any load: no timing, no RSS.
 */
import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { SqliteEventStore, type NewEvent } from '@casetrail/event-store';
import { testMetadata } from '@casetrail/testing';
import { AppProcess } from '../support/app-process';
import { runCli } from '../support/cli-process';
import { PROFILES } from '../support/test-app';

// 96 MB, not 64: with 64 the server sometimes ran out of heap while its projections caught up on the
// seeded events, before the export began (seen after the 5 December 2026 merges); the export is still
// more than three times the heap.
const HEAP_MB = 96;
const EVENTS = 160_000;
const PER_STREAM = 1_000;

/** Reads the whole export, keeping only a count of bytes and lines and the last line (the manifest). */
function download(url: string, token: string): Promise<{ status: number; bytes: number; lines: number; lastLine: string }> {
  return new Promise((resolve, reject) => {
    httpGet(`${url}/api/v1/trail/export?format=ndjson`, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      let lines = 0;
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
        for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
        tail = (tail + chunk).slice(-20_000);
      });
      // A server that dies mid-response ends the body early ('aborted' and then 'end', or 'error').
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, bytes, lines, lastLine: tail.trimEnd().split('\n').at(-1) ?? '' }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

it(`exports ${EVENTS.toLocaleString('en-GB')} events (about 320 MB) from a server whose heap is ${HEAP_MB} MB`, async () => {
  const storage = await PROFILES[0].create();
  const server = await AppProcess.start(storage.env, 180_000, [`--max-old-space-size=${HEAP_MB}`]);
  try {
    const inspector = await runCli(storage.env, ['user:add', '--name', 'Ines Inspector', '--role', 'inspector']);
    expect(inspector.code).toBe(0);
    const { token } = JSON.parse(inspector.stdout) as { token: string };

    // Seeded straight into the log from this process (SQLite allows a second writer), not through the server.
    const store = new SqliteEventStore({ file: join(storage.env.DATA_DIR, 'events.sqlite') });
    const note = 'x'.repeat(1_800); // ~2 KB per exported line
    for (let s = 0; s < EVENTS / PER_STREAM; s++) {
      const events: NewEvent[] = Array.from({ length: PER_STREAM }, (_, i) => ({
        eventId: randomUUID(),
        type: 'ReviewNoted',
        schemaVersion: 1,
        data: { teamId: `team-${s % 30}`, note, i },
        metadata: testMetadata(),
      }));
      await store.appendToStream(`review-M${s}`, events);
    }
    const seeded = Number(await store.headPosition());

    const exported = await download(server.url, token);
    const head = Number(await store.headPosition()); // the request itself records the token's first use
    await store.close();
    expect(server.child.exitCode).toBeNull(); // the server is alive after the export...
    expect(exported.status).toBe(200);
    expect(exported.bytes).toBeGreaterThan(3 * HEAP_MB * 1024 * 1024); // ...which was far larger than its heap
    // Every event of the log, then the manifest.
    expect(head).toBeGreaterThanOrEqual(seeded);
    expect(exported.lines).toBe(head + 1);
    expect(JSON.parse(exported.lastLine).manifest).toMatchObject({ count: head, complete: true });
  } finally {
    await server.kill();
    await storage.drop();
  }
}, 900_000);
