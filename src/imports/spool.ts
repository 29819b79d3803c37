import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Source } from './hashing';

/** The largest upload an import takes (a 10,000-row audit file is about 2 MB). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export class UploadTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`The file is larger than ${maxBytes / 1024 / 1024} MB; split it and import each part`);
  }
}

/**
 * Streams an upload into a private temporary file (an import reads it more than once, and memory
 * must not grow with its size), hands `use` a source over it, and removes it afterwards. Refused
 * (UploadTooLargeError) past `maxBytes`.
 */
export async function withSpooledUpload<T>(
  body: Readable,
  use: (source: Source, bytes: number) => Promise<T>,
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-import-'));
  const file = join(dir, 'upload');
  let bytes = 0;
  try {
    await pipeline(
      body,
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          done(bytes > maxBytes ? new UploadTooLargeError(maxBytes) : null, chunk);
        },
      }),
      createWriteStream(file, { mode: 0o600 }),
    );
    return await use(() => createReadStream(file), bytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
