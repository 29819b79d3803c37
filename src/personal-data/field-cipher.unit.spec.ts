import { randomBytes } from 'node:crypto';
import { CiphertextError, decryptField, encryptField, envelopeKeyId, isEnvelope, unwrapKey, wrapKey } from './field-cipher';

describe('field cipher (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const aad = 'event-1|DomainGraded|evidence';

  it('round-trips text, including non-ASCII, and never stores it in the clear', () => {
    const text = 'Visited Zoë at home; she said the plan “felt right” 👍';
    const stored = encryptField(key, 'key-1', text, aad);
    expect(isEnvelope(stored)).toBe(true);
    expect(envelopeKeyId(stored)).toBe('key-1');
    expect(stored).not.toContain('Visited');
    expect(decryptField(key, stored, aad)).toBe(text);
  });

  it('encrypting the same text twice gives different ciphertexts (fresh IV)', () => {
    expect(encryptField(key, 'k', 'same', aad)).not.toBe(encryptField(key, 'k', 'same', aad));
  });

  it('a changed byte of the ciphertext fails authentication', () => {
    const stored = encryptField(key, 'key-1', 'evidence text', aad);
    const body = Buffer.from(stored.slice('enc:v1:key-1:'.length), 'base64url');
    body[14] ^= 0x01;
    const tampered = `enc:v1:key-1:${body.toString('base64url')}`;
    expect(() => decryptField(key, tampered, aad)).toThrow(CiphertextError);
  });

  it('a value moved to another event or field fails authentication', () => {
    const stored = encryptField(key, 'key-1', 'evidence text', aad);
    expect(() => decryptField(key, stored, 'event-2|DomainGraded|evidence')).toThrow(CiphertextError);
  });

  it('the wrong key fails authentication', () => {
    const stored = encryptField(key, 'key-1', 'evidence text', aad);
    expect(() => decryptField(randomBytes(32), stored, aad)).toThrow(CiphertextError);
  });

  it('wraps a data key under the master key, bound to its key id', () => {
    const master = randomBytes(32);
    const dataKey = randomBytes(32);
    const wrapped = wrapKey(master, dataKey, 'key-1');
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(unwrapKey(master, wrapped, 'key-1').equals(dataKey)).toBe(true);
    expect(() => unwrapKey(master, wrapped, 'key-2')).toThrow(CiphertextError);
    expect(() => unwrapKey(randomBytes(32), wrapped, 'key-1')).toThrow(CiphertextError);
  });
});
