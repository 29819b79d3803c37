import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** A source that can be read more than once (a file on disk, an uploaded body): one pass to hash, one to check, one to write. */
export type Source = () => Readable;

/** SHA-256 (hex) of everything the source yields, streamed. */
export async function sha256Of(open: Source): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of open()) hash.update(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return hash.digest('hex');
}
