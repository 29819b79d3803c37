/**
 * The export streams: exporting 200,000 events through the real HTTP server must not hold
 * the export in memory. Peak RSS growth during the export is compared with the export's size
 * (a buffered export would need at least its own size, twice over as JS strings); no timing.
 */
import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_STORE, type EventStore, type NewEvent } from '@casetrail/event-store';
import { testMetadata } from '@casetrail/testing';
import { PROFILES, TestApp } from '../support/test-app';

const EVENTS = 200_000;
const PER_STREAM = 1_000;

it('exports 200,000 events with memory growth below the export size', async () => {
  const storage = await PROFILES[0].create();
  const t = await TestApp.start(storage.env);
  try {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const note = 'x'.repeat(400); // ~1 KB per exported line
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
    const inspector = await t.userWithToken('inspector');
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const { bytes, lines, lastLine } = await new Promise<{ bytes: number; lines: number; lastLine: string }>(
      (resolve, reject) => {
        httpGet(
          {
            host: '127.0.0.1',
            port,
            path: '/api/v1/trail/export?format=ndjson',
            headers: { Authorization: `Bearer ${inspector.token}` },
          },
          (res) => {
            let count = 0;
            let newlines = 0;
            let tail = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              count += Buffer.byteLength(chunk);
              for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) newlines++;
              tail = (tail + chunk).slice(-20_000); // keep only the end, where the manifest is
            });
            res.on('end', () => resolve({ bytes: count, lines: newlines, lastLine: tail.trimEnd().split('\n').at(-1) ?? '' }));
            res.on('error', reject);
          },
        ).on('error', reject);
      },
    );
    clearInterval(sampler);
    const growth = peak - baseline;
    const users = Number(await store.headPosition()) - EVENTS; // the inspector's own events are in the log too
    expect(lines).toBe(EVENTS + users + 1);
    expect(JSON.parse(lastLine).manifest).toMatchObject({ count: EVENTS + users, complete: true });
    expect(bytes).toBeGreaterThan(EVENTS * 500);
    // A buffered export needs at least its full size in memory (the body as one string), so the
    // bound is the export's size. Streaming grew RSS by ~55 MB on a quiet machine and up to
    // ~160 MB on a busy one (V8's concurrent GC falls behind when CPUs are contended).
    console.log(`export ${(bytes / 1e6).toFixed(0)} MB, peak RSS growth ${(growth / 1e6).toFixed(0)} MB`);
    expect(growth).toBeLessThan(bytes);
  } finally {
    await t.close();
    await storage.drop();
  }
}, 600_000);
