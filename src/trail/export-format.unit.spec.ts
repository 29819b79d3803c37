import { sealedMetadata, type EventMetadata } from '@casetrail/event-store';
import { sealedNdjsonLine, storedEventLine } from './export-format';
import { storedView } from './trail-event';

const metadata: EventMetadata = {
  actorId: 'user-7',
  actorRole: 'auditor',
  causationId: 'c1',
  commandId: 'c1',
  correlationId: 'k1',
  hash: 'ab'.repeat(32),
  occurredAt: '2026-03-02T09:00:00.000Z',
  prevHash: null,
  recordedAt: '2026-03-02T09:00:01.000Z',
};
/** The stored text of some metadata as an append seals it: canonical, the hash in its sorted place. */
const sealedText = (m: EventMetadata): string =>
  JSON.stringify(Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1))));

describe('export lines of sealed rows', () => {
  it.each([
    ['first of its stream', metadata, '{"grade":"good","note":"Child seen alone"}'],
    ['linked, data beyond Latin-1', { ...metadata, prevHash: 'cd'.repeat(32) }, '{"note":"Seen at home … “twice”, café"}'],
    ['odd but plain values', { ...metadata, actorId: "O'Brien, J <j@x>", actorRole: 'a/b\u00e9' }, '[1,null,{"a":"\\"q\\""}]'],
  ])('an ndjson line written around the stored text is the line of the parsed view (%s)', (_name, m, data) => {
    const row = { position: 42n, streamId: 'audit-1 "x"', revision: 3n, type: 'DomainGraded', schemaVersion: 2, data };
    const read = sealedMetadata(sealedText(m));
    expect(read).toEqual(m);
    const line = sealedNdjsonLine(row, read!);
    expect(line).toBe(storedEventLine(storedView(row, m), data, 'ndjson'));
    expect(JSON.parse(line)).toEqual({
      ...storedView(row, m),
      data: JSON.parse(data) as unknown,
    });
  });
});
