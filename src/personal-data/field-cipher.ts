/**
 * AES-256-GCM for personal free text and for wrapping data keys. A field is stored as one
 * string, so an event keeps its shape and the hash chain covers exactly what is stored:
 *
 *   enc:v1:<keyId>:<base64url(iv 12 bytes | ciphertext | tag 16 bytes)>
 *
 * The key id names the subject's data key in the key store (not the subject), and the
 * additional authenticated data binds the ciphertext to its event and field, so a value
 * cannot be moved to another event or field without failing to decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** What a personal field reads as once its subject's key has been destroyed. */
export const ERASED = '[erased]';

export class CiphertextError extends Error {
  override readonly name = 'CiphertextError';
}

function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new CiphertextError('ciphertext is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // GCM's tag check: a changed byte, a wrong key or a value moved from another field.
    throw new CiphertextError('ciphertext failed authentication (changed, moved, or the wrong key)');
  }
}

export const isEnvelope = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

export function encryptField(key: Buffer, keyId: string, plaintext: string, aad: string): string {
  return `${PREFIX}${keyId}:${seal(key, Buffer.from(plaintext, 'utf8'), aad).toString('base64url')}`;
}

/** The key id an envelope names (undefined when the value is not an envelope). */
export function envelopeKeyId(value: string): string | undefined {
  if (!isEnvelope(value)) return undefined;
  const end = value.indexOf(':', PREFIX.length);
  return end < 0 ? undefined : value.slice(PREFIX.length, end);
}

export function decryptField(key: Buffer, envelope: string, aad: string): string {
  const keyId = envelopeKeyId(envelope);
  if (keyId === undefined) throw new CiphertextError('not an encrypted field');
  const sealed = Buffer.from(envelope.slice(PREFIX.length + keyId.length + 1), 'base64url');
  return open(key, sealed, aad).toString('utf8');
}

/** Wraps a data key under the master key; the key id is authenticated, so wrapped keys cannot be swapped. */
export function wrapKey(masterKey: Buffer, dataKey: Buffer, keyId: string): Buffer {
  return seal(masterKey, dataKey, `subject-key:${keyId}`);
}

export function unwrapKey(masterKey: Buffer, wrapped: Buffer, keyId: string): Buffer {
  return open(masterKey, wrapped, `subject-key:${keyId}`);
}

export const newDataKey = (): Buffer => randomBytes(KEY_BYTES);
