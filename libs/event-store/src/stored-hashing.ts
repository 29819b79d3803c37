/**
 * Checking stored rows as they are stored, for verification and export: a row's content against
 * its hash from the stored bytes (storedRowMatches: one SHA-256 call, nothing parsed or serialised
 * again), and sealed metadata read without JSON.parse (sealedMetadata). The callers read the log
 * in large raw pages (readStoredPages) and check the links between events in order; the Merkle
 * trees are built beside them (src/trail/log-tree.ts, on a worker thread for a long log).
 */
import { hash as oneShotHash } from 'node:crypto';
import type { EventMetadata } from './event-store.port';
import { canonicalJson, storedTextMatches, type StoredEventText } from './hash-chain';

/** A JSON string's contents that need no escaping: no quote, backslash, control character or surrogate. */
const PLAIN = String.raw`([^"\\\u0000-\u001f\ud800-\udfff]*)`;
const HEX_HASH = '([0-9a-f]{64})';
/** The metadata text exactly as an append seals it (hash-chain.ts metadataWithHash): its nine fields in sorted order. */
const SEALED_METADATA = new RegExp(
  `^\\{"actorId":"${PLAIN}","actorRole":"${PLAIN}","causationId":"${PLAIN}","commandId":"${PLAIN}",` +
    `"correlationId":"${PLAIN}","hash":"${HEX_HASH}","occurredAt":"${PLAIN}","prevHash":(?:null|"${HEX_HASH}"),` +
    `"recordedAt":"${PLAIN}"\\}$`,
);

/**
 * The metadata of a stored row read without JSON.parse when its text has exactly the sealed
 * shape (every append since metadata is stored canonical), else null. A text of that shape is
 * JSON whose values need no unescaping, so the fields are what JSON.parse would give, and each
 * value written between quotes is what JSON.stringify would write.
 */
export function sealedMetadata(text: string): EventMetadata | null {
  const m = SEALED_METADATA.exec(text);
  if (m === null) return null;
  return {
    actorId: m[1],
    actorRole: m[2],
    causationId: m[3],
    commandId: m[4],
    correlationId: m[5],
    hash: m[6],
    occurredAt: m[7],
    prevHash: m[8] ?? null,
    recordedAt: m[9],
  };
}

/**
 * storedTextMatches, the same answer, with the row's usual case done in one SHA-256 call: the
 * hash member taken out of the metadata text (hash-chain.ts splitHash) and the rest hashed as it
 * is. Anything else (no hash member, a row stored in an older form, a changed row) goes through
 * storedTextMatches itself.
 */
export function storedRowMatches(row: StoredEventText, metadataText: string): { matches: boolean; hash: string } {
  const at = metadataText.indexOf(',"hash":"');
  const end = at < 0 ? -1 : metadataText.indexOf('"', at + 9);
  if (end >= 0) {
    const hash = metadataText.slice(at + 9, end);
    const text =
      `{"data":${row.data},"metadata":${metadataText.slice(0, at)}${metadataText.slice(end + 1)},"revision":"${row.revision}",` +
      `"schemaVersion":${canonicalJson(row.schemaVersion)},"streamId":${JSON.stringify(row.streamId)},"type":${JSON.stringify(row.type)}}`;
    if (oneShotHash('sha256', text, 'hex') === hash) return { matches: true, hash };
  }
  return storedTextMatches(row, metadataText);
}
