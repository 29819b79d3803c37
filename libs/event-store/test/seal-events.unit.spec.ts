/**
 * sealEvents assembles the stored metadata and the hashed text from parts, reusing the parts the
 * events of one append share. Existing logs must still verify, so what it writes must stay byte
 * for byte what the definitions in hash-chain.ts give: the canonical metadata with the hash in
 * its sorted place, and eventHash of the values a reader gets back.
 */
import fc from 'fast-check';
import { canonicalJson, canonicalMetadataJson, eventHash, metadataWithHash, type NewEvent } from '@casetrail/event-store';
import { sealEvents, type StreamTail } from '@casetrail/event-store/append-plan';

const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });

const metadata = fc.record({
  actorId: text,
  actorRole: text,
  correlationId: text,
  causationId: text,
  commandId: text,
  occurredAt: text,
});

const event = (shared: NewEvent['metadata']): fc.Arbitrary<NewEvent> =>
  fc.record({
    eventId: fc.uuid(),
    type: fc.constantFrom('DomainGraded', 'CaseAuditStarted', 'Odd "type" \\ é'),
    schemaVersion: fc.constantFrom(1, 2, 10),
    data: fc.jsonValue(),
    metadata: fc.oneof(fc.constant(shared), metadata),
  }) as fc.Arbitrary<NewEvent>;

const tail: fc.Arbitrary<StreamTail> = fc.oneof(
  fc.constant({ revision: null, hash: null }),
  fc.record({ revision: fc.bigInt({ min: 0n, max: 10n ** 12n }), hash: fc.string() }),
);

describe('sealEvents', () => {
  it('stores and hashes exactly what the hash-chain definitions give, event after event', () => {
    fc.assert(
      fc.property(
        metadata.chain((shared) => fc.array(event(shared), { minLength: 1, maxLength: 6 })),
        tail,
        fc.constantFrom('audit-1', 'plan-"x"', 'team-é'),
        text,
        (events, streamTail, streamId, recordedAt) => {
          const sealed = sealEvents(streamId, events, streamTail, recordedAt);
          let prevHash = streamTail.hash;
          let revision = streamTail.revision === null ? 0n : streamTail.revision + 1n;
          sealed.forEach((s, i) => {
            const e = events[i];
            const base = {
              actorId: e.metadata.actorId,
              actorRole: e.metadata.actorRole,
              correlationId: e.metadata.correlationId,
              causationId: e.metadata.causationId,
              commandId: e.metadata.commandId,
              occurredAt: e.metadata.occurredAt,
              recordedAt,
              prevHash,
            };
            const hash = eventHash({
              streamId,
              revision,
              type: e.type,
              schemaVersion: e.schemaVersion,
              data: JSON.parse(JSON.stringify(e.data)) as unknown,
              metadata: base,
            });
            expect(s.revision).toBe(revision);
            expect(s.data).toBe(canonicalJson(e.data));
            expect(s.metadata).toBe(metadataWithHash(canonicalMetadataJson(base), hash));
            expect(JSON.parse(s.metadata)).toEqual({ ...base, hash });
            prevHash = hash;
            revision += 1n;
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
