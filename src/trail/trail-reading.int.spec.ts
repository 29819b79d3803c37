import { randomBytes } from 'node:crypto';
import { SqliteEventStore, type RecordedEvent } from '@casetrail/event-store';
import { collect, newEvent } from '@casetrail/testing';
import type { Principal, Role } from '../shared';
import { EncryptingEventStore, SqliteSubjectKeyStore } from '../personal-data';
import { TeamScope } from './team-scope';
import { TrailReading } from './trail-reading';

const who = (role: Role, teamIds: string[] = []): Principal => ({ userId: `u-${role}`, name: role, role, teamIds, tokenId: 't' });
const names = new Map([['u-qa', 'Quinn Auditor']]);

describe('one rule for what a reader may read on the trail', () => {
  let keys: SqliteSubjectKeyStore;
  let store: EncryptingEventStore;
  let reading: TrailReading;
  let stored: RecordedEvent[];

  beforeEach(async () => {
    keys = new SqliteSubjectKeyStore(':memory:', randomBytes(32));
    store = new EncryptingEventStore(new SqliteEventStore({ file: ':memory:' }), keys);
    reading = new TrailReading(store, new TeamScope(store), { execute: async () => [] } as never);
    await store.appendToStream('audit-a', [
      newEvent('CaseAuditStarted', { auditId: 'a', caseRef: 'C-1', teamId: 'north', domains: ['planning'] }),
      newEvent('GradeCorrected', {
        auditId: 'a',
        domain: 'planning',
        from: 'good',
        to: 'inadequate',
        reason: 'No plan since March',
      }),
    ]);
    stored = await collect(store.readAll({ upcast: false }));
  });
  afterEach(() => store.close());

  const words = (principal: Principal) => reading.describe(stored[1], principal, names);

  it("an inspector reads a child's personal text on the trail, as the record's own page shows it", async () => {
    expect(JSON.stringify(stored[1].data)).not.toContain('No plan since March'); // stored encrypted
    expect(await words(who('inspector'))).toContain('reason "No plan since March"');
    expect(await words(who('admin'))).toContain('reason "No plan since March"');
  });

  it("others read it for their own teams' records, and see (encrypted) for anyone else's", async () => {
    expect(await words(who('team-manager', ['north']))).toContain('reason "No plan since March"');
    expect(await words(who('team-manager', ['south']))).toContain('reason (encrypted)');
    expect(await reading.mayReadPersonalText(stored[1], who('qa-officer', ['south']))).toBe(false);
  });

  it('reads (erased) for everyone once the child is erased', async () => {
    await keys.erase('C-1', '2026-12-05T10:00:00Z');
    expect(await words(who('inspector'))).toContain('reason (erased)');
  });
});
