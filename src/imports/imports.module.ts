import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import multer from 'multer';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditsModule } from '../audits';
import { IndicatorsModule } from '../improvement';
import { UsersModule } from '../users';
import { AuditImportService } from './audit-import.service';
import { ImportsController } from './imports.http';
import { RecordImportService } from './record-imports.service';
import { RecordWriters } from './record-writers';
import { MAX_UPLOAD_BYTES } from './spool';

/**
 * The web page's upload (POST /imports/check, multipart): the file goes to a private temporary
 * file and the form's fields (its CSRF token) to request.body, before the session middleware
 * checks the token. Registered here, ahead of the web module, so that order holds.
 */
let uploadDir: string | null = null;
const pageUpload = multer({
  storage: multer.diskStorage({
    // A folder only this process's user can read, made on the first upload.
    destination: (_request, _file, done) => done(null, (uploadDir ??= mkdtempSync(join(tmpdir(), 'casetrail-upload-')))),
  }),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 },
}).single('file');

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
