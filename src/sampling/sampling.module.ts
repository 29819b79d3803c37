import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import multer from 'multer';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SamplingController } from './sampling.http';
import { SamplingService } from './sampling.service';

/** The largest case list the page takes (a council's open cases are a few thousand rows). */
export const MAX_CASE_LIST_BYTES = 20 * 1024 * 1024;

/**
 * The case-list page's upload (POST /case-lists, multipart): the file goes to a private temporary
 * file and the form's fields (its CSRF token) to request.body, before the session middleware checks
 * the token, as for the imports page. Registered here, ahead of the web module, so that order holds.
 */
let uploadDir: string | null = null;
const caseListUpload = multer({
  storage: multer.diskStorage({
    destination: (_request, _file, done) => done(null, (uploadDir ??= mkdtempSync(join(tmpdir(), 'casetrail-case-list-')))),
  }),
  limits: { fileSize: MAX_CASE_LIST_BYTES, files: 1, fields: 5 },
}).single('file');

/** Reproducible case sampling for audit programmes (docs/imports.md, "Case sampling"). */
@Module({ controllers: [SamplingController], providers: [SamplingService], exports: [SamplingService] })
export class SamplingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(caseListUpload).forRoutes({ path: 'case-lists', method: RequestMethod.POST });
  }
}
