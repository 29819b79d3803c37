import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** "ct_" + 256 random bits, base64url: what the user keeps. Only its hash is ever stored. */
export function newPersonalAccessToken(): { tokenId: string; token: string; tokenHash: string } {
  const token = `ct_${randomBytes(32).toString('base64url')}`;
  return { tokenId: randomUUID(), token, tokenHash: hashToken(token) };
}

/** SHA-256 suffices: the token has 256 bits of entropy, so no password-style stretching is needed. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
