/**
 * The server starts on a log that already holds the default audit framework and dispute
 * protocol recorded under other command ids (as the benchmark's generator, an import or an
 * admin records them): publishing the same domains again is nothing to do, not a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { auditFrameworkStreamId } from '../../src/audits/audits.events';
import { DEFAULT_FRAMEWORK_ID } from '../../src/audits/audit-framework.decider';
import { DISPUTE_PROTOCOL_STREAM } from '../../src/disputes/disputes.events';
import { generateLog } from '../bench/trail-data';
import { TestApp } from '../support/test-app';

jest.setTimeout(120_000);

async function types(store: EventStore, streamId: string): Promise<string[]> {
  const found: string[] = [];
  for await (const event of store.readStream(streamId)) found.push(event.type);
  return found;
}

describe('start-up on a log that already holds the defaults', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'casetrail-generated-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts, serves, and records no second default framework or protocol', async () => {
    const log = generateLog(join(dir, 'events.sqlite'), 2_000);
    expect(log.counts.AuditFrameworkPublished).toBe(1);
    expect(log.counts.DisputeProtocolPublished).toBe(1);
    const t = await TestApp.start({ DATA_DIR: dir });
    try {
      const { token } = await t.userWithToken('admin');
      await t.http.get('/api/v1/teams').set('Authorization', `Bearer ${token}`).expect(200);
      const store = t.app.get<EventStore>(EVENT_STORE);
      expect(await types(store, auditFrameworkStreamId(DEFAULT_FRAMEWORK_ID))).toEqual(['AuditFrameworkPublished']);
      expect(await types(store, DISPUTE_PROTOCOL_STREAM)).toEqual(['DisputeProtocolPublished']);
    } finally {
      await t.close();
    }
  });
});
