import { PayloadTooLargeException, UnprocessableEntityException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../shared';
import type { Source } from './hashing';
import { MAX_UPLOAD_BYTES, UploadTooLargeError, withSpooledUpload } from './spool';
import { formatOf, UnreadableFileError, XLSX_CONTENT_TYPE, type TableFormat } from './table-reader';

export interface UploadOptions {
  dryRun: boolean;
  skipInvalid: boolean;
  actor: { userId: string; role: string };
}

/**
 * An upload whose body is the file itself (text/csv or the XLSX type): no JSON body parser runs
 * on these types, so the request stream is spooled here to a private temporary file and handed
 * to `run` as a source that can be read more than once. 415 for another type, 413 when larger
 * than `maxBytes`, 422 when the file cannot be read as its type says.
 */
export async function withUpload<T>(
  request: Request & { principal: Principal },
  query: { dryRun?: string; skipInvalid?: string },
  run: (source: Source, format: TableFormat, options: UploadOptions) => Promise<T>,
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<T> {
  const format = formatOf(request.header('content-type'));
  if (!format) {
    throw new UnsupportedMediaTypeException(
      `Send the file itself as the body, with Content-Type text/csv or ${XLSX_CONTENT_TYPE}`,
    );
  }
  try {
    return await withSpooledUpload(
      request,
      (source) =>
        run(source, format, {
          dryRun: query.dryRun === 'true',
          skipInvalid: query.skipInvalid === 'true',
          actor: { userId: request.principal.userId, role: request.principal.role },
        }),
      maxBytes,
    );
  } catch (error) {
    if (error instanceof UploadTooLargeError) throw new PayloadTooLargeException(error.message);
    if (error instanceof UnreadableFileError) throw new UnprocessableEntityException(error.message);
    throw error;
  }
}
