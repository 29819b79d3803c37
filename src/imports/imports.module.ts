import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { RequestHandler } from 'express';
import multer from 'multer';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditsModule } from '../audits';
import { withFileSizeLimit } from '../core';
import { IndicatorsModule } from '../improvement';
import { UsersModule } from '../users';
import { AuditImportService } from './audit-import.service';
import { ImportsController } from './imports.http';
import { RecordImportService } from './record-imports.service';
import { RecordWriters } from './record-writers';
import { MAX_UPLOAD_BYTES } from './spool';

/**
 * A page's multipart upload, as middleware: the file goes to a private temporary file (in a folder
 * only this process's user can read, made on the first upload) and the form's fields (its CSRF
 * token) to request.body. Its module registers it ahead of the web module, so that the session
 * middleware, which checks the token, runs after it.
 */
export function pageFileUpload(folderPrefix: string, maxBytes: number): RequestHandler {
  let folder: string | null = null;
  const upload = multer({
    storage: multer.diskStorage({
      destination: (_request, _file, done) => done(null, (folder ??= mkdtempSync(join(tmpdir(), folderPrefix)))),
    }),
    limits: { fileSize: maxBytes, files: 1, fields: 5 },
  }).single('file');
  // A file over the limit: 413, saying so and what the limit is (multer's own error became a 500).
  return withFileSizeLimit(upload, maxBytes);
}

/** The imports page's upload (POST /imports/check). */
const pageUpload = pageFileUpload('casetrail-upload-', MAX_UPLOAD_BYTES);

/** Imports of a council's existing records (spreadsheets, case-system extracts) through the write path. */
@Module({
  imports: [AuditsModule, IndicatorsModule, UsersModule],
  controllers: [ImportsController],
  providers: [RecordWriters, AuditImportService, RecordImportService],
  exports: [RecordWriters, AuditImportService, RecordImportService],
})
export class ImportsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(pageUpload).forRoutes({ path: 'imports/check', method: RequestMethod.POST });
  }
}
