/**
 * Ed25519 signatures over canonical JSON (RFC 8785), shared by the server (signing tree heads
 * and export manifests) and the offline export verifier, so both sign and check the same bytes.
 */
import canonicalize from 'canonicalize';
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** A signed Merkle tree head over the first `size` events of the log (RFC 6962 style). */
export interface SignedTreeHead {
  size: number;
  /** Position of the last event covered ("0" for an empty log). */
  lastPosition: string;
  /** Hex MTH of the event hashes in position order. */
  rootHash: string;
  signedAt: string;
  /** Hex SHA-256 of the signing key's public key (SPKI DER): which key signed. */
  keyId: string;
  /** Base64 Ed25519 signature over the canonical JSON of the other fields. */
  signature: string;
}

export type Unsigned<T extends { signature: string }> = Omit<T, 'signature'>;

function canonicalBytes(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be canonicalised');
  return Buffer.from(text, 'utf8');
}

export const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');

export function signCanonical<T extends { signature: string }>(unsigned: Unsigned<T>, privateKey: KeyObject): T {
  const signature = sign(null, canonicalBytes(unsigned), privateKey).toString('base64');
  return { ...unsigned, signature } as T;
}

/** True when `signed.signature` is a valid signature by `publicKey` over the rest of `signed`. */
export function verifyCanonical(signed: { signature: string }, publicKey: KeyObject | string): boolean {
  const { signature, ...unsigned } = signed;
  if (typeof signature !== 'string') return false;
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return verify(null, canonicalBytes(unsigned), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
