import { Controller, Get, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditImportService, describe as describeError, type ImportReport, formatOf, type TableFormat } from '../../imports';
import type { SignedIn } from '../page-helpers';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';

/** Where a checked upload waits for its confirmation: private to this process's temporary folder. */
export const PAGE_UPLOADS = join(tmpdir(), 'casetrail-page-imports');
const SHA = /^[0-9a-f]{64}$/;
const kept = (userId: string, sha256: string, format: TableFormat): string => join(PAGE_UPLOADS, `${userId}-${sha256}.${format}`);

/** Removes checked uploads nobody confirmed within an hour. */
function sweepStaleUploads(now = Date.now()): void {
  if (!existsSync(PAGE_UPLOADS)) return;
  for (const name of readdirSync(PAGE_UPLOADS)) {
    const path = join(PAGE_UPLOADS, name);
    if (now - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
  }
}

type UploadRequest = SignedIn & { file?: { path: string; originalname: string; mimetype: string; size: number } };

/**
 * Imports in the browser: upload a file, see the dry run (every row checked, nothing recorded),
 * then confirm. The multipart upload is parsed by ImportsModule's middleware (multer, to a
 * temporary file) before the session middleware checks the form's CSRF token.
 */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller('imports')
export class ImportPagesController {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  /** ImportsModule's service (registered by the application module; looked up so the web module needs no new import). */
  private audits(): AuditImportService {
    return this.moduleRef.get(AuditImportService, { strict: false });
  }

  @Get()
  page(@Req() request: SignedIn, @Res() response: Response): void {
    this.views.send(request, response, 'imports/upload.njk', {});
  }

  @Post('check')
  async check(@Req() request: UploadRequest, @Res() response: Response): Promise<void> {
    const file = request.file;
    const format = file ? (formatOf(file.originalname) ?? formatOf(file.mimetype)) : null;
    if (!file || !format) {
      if (file) rmSync(file.path, { force: true });
      this.views.send(request, response, 'imports/upload.njk', { error: 'Choose a .csv or .xlsx file to check' }, 400);
      return;
    }
    try {
      const report = await this.audits().run(() => createReadStream(file.path), format, {
        dryRun: true,
        skipInvalid: false,
        actor: { userId: request.principal.userId, role: request.principal.role },
      });
      // Kept for the confirmation only when there is something to import; unconfirmed ones go after an hour.
      sweepStaleUploads();
      if (report.valid > 0) {
        mkdirSync(PAGE_UPLOADS, { recursive: true, mode: 0o700 });
        renameSync(file.path, kept(request.principal.userId, report.sha256, format));
      } else rmSync(file.path, { force: true });
      this.views.send(request, response, 'imports/preview.njk', this.view(report, format, file.originalname));
    } catch (error) {
      rmSync(file.path, { force: true });
      throw error;
    }
  }

  @Post('confirm')
  async confirm(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const body = request.body as Record<string, string>;
    const format = body.format === 'xlsx' ? 'xlsx' : 'csv';
    const path = SHA.test(body.sha256 ?? '') ? kept(request.principal.userId, body.sha256, format) : null;
    if (!path || !existsSync(path)) {
      this.views.send(
        request,
        response,
        'imports/upload.njk',
        { error: 'That upload is no longer waiting; upload the file again' },
        400,
      );
      return;
    }
    try {
      const report = await this.audits().run(() => createReadStream(path), format, {
        dryRun: false,
        skipInvalid: body.skipInvalid === 'yes',
        actor: { userId: request.principal.userId, role: request.principal.role },
      });
      this.views.send(request, response, 'imports/preview.njk', { ...this.view(report, format, body.name ?? ''), done: true });
    } finally {
      rmSync(path, { force: true });
    }
  }

  private view(report: ImportReport, format: TableFormat, name: string): Record<string, unknown> {
    return { report, format, name, errors: report.errors.map((e) => ({ ...e, text: describeError(e) })) };
  }
}
