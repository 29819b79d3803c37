import { ForbiddenException, Get, Post } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditImportService,
  describe as describeError,
  type ImportKind,
  type ImportOptions,
  type ImportReport,
  formatOf,
  RecordImportService,
  type Source,
  type TableFormat,
} from '../../imports';
import { Page, PageController, PageIn, Pages } from '../kit';

/** Where a checked upload waits for its confirmation: private to this process's temporary folder. */
export const PAGE_UPLOADS = join(tmpdir(), 'casetrail-page-imports');
const SHA = /^[0-9a-f]{64}$/;
const kept = (userId: string, kind: ImportKind, sha256: string, format: TableFormat): string =>
  join(PAGE_UPLOADS, `${userId}-${kind}-${sha256}.${format}`);

/** The kinds of file the page takes, in the order offered, with what each records. */
const KINDS: { kind: ImportKind; text: string; hint: string; noun: [string, string] }[] = [
  {
    kind: 'audits',
    text: 'Historic case audits',
    hint: 'One row per audit: case reference, team, audit date, auditor, a grade per domain and the overall grade.',
    noun: ['audit', 'audits'],
  },
  {
    kind: 'indicators',
    text: 'Indicator values',
    hint: "The case system's extract: indicator, team (blank for the council), period, value, numerator and denominator.",
    noun: ['indicator value', 'indicator values'],
  },
  {
    kind: 'users',
    text: 'Staff',
    hint: 'Name, role and teams. Never a password: each person signs in with a token or through your identity provider.',
    noun: ['person', 'people'],
  },
];
const kindOf = (value: unknown): ImportKind => KINDS.find((k) => k.kind === value)?.kind ?? 'audits';

/** Removes checked uploads nobody confirmed within an hour. */
function sweepStaleUploads(now = Date.now()): void {
  if (!existsSync(PAGE_UPLOADS)) return;
  for (const name of readdirSync(PAGE_UPLOADS)) {
    const path = join(PAGE_UPLOADS, name);
    if (now - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
  }
}

type Upload = { path: string; originalname: string; mimetype: string; size: number };

/**
 * Imports in the browser: upload a file, see the dry run (every row checked, nothing recorded),
 * then confirm. The multipart upload is parsed by ImportsModule's middleware (multer, to a
 * temporary file) before the session middleware checks the form's CSRF token.
 */
@PageController('imports')
export class ImportPagesController extends Pages {
  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  /** ImportsModule's services (registered by the application module; looked up so the web module needs no new import). */
  private run(kind: ImportKind, source: Source, format: TableFormat, options: ImportOptions): Promise<ImportReport> {
    if (kind === 'audits') return this.moduleRef.get(AuditImportService, { strict: false }).run(source, format, options);
    const records = this.moduleRef.get(RecordImportService, { strict: false });
    return kind === 'indicators' ? records.indicators(source, format, options) : records.users(source, format, options);
  }

  /** The kinds this person may import (the policy of each kind's API route). */
  private kinds(page: Page) {
    return KINDS.filter((k) => page.may(`POST /api/v1/imports/${k.kind}`));
  }

  /** The kind asked for, if this person may import it (else 403, as the API answers). */
  private allowed(page: Page, value: unknown): ImportKind {
    const kind = kindOf(value);
    if (!this.kinds(page).some((k) => k.kind === kind)) {
      throw new ForbiddenException(`You may not import ${KINDS.find((k) => k.kind === kind)!.noun[1]}`);
    }
    return kind;
  }

  /** The upload form, the kind chosen; with `error`, the upload refused (400). */
  private showUpload(page: Page, chosen: unknown, error?: string): void {
    const kinds = this.kinds(page);
    const selected = kinds.find((k) => k.kind === chosen)?.kind ?? kinds[0]?.kind;
    const kindItems = kinds.map((k) => ({ value: k.kind, text: k.text, hint: { text: k.hint }, checked: k.kind === selected }));
    this.views.send(page.request, page.response, 'imports/upload.njk', { kinds, kindItems, error }, error ? 400 : 200);
  }

  @Get()
  upload(@PageIn() page: Page): void {
    this.showUpload(page, page.query.kind);
  }

  @Post('check')
  async check(@PageIn() page: Page): Promise<void> {
    const file = (page.request as { file?: Upload }).file;
    let kind: ImportKind;
    try {
      kind = this.allowed(page, page.body.kind);
    } catch (error) {
      if (file) rmSync(file.path, { force: true });
      throw error;
    }
    const format = file ? (formatOf(file.originalname) ?? formatOf(file.mimetype)) : null;
    if (!file || !format) {
      if (file) rmSync(file.path, { force: true });
      return this.showUpload(page, kind, 'Choose a .csv or .xlsx file to check');
    }
    const { userId, role } = page.principal;
    try {
      const report = await this.run(kind, () => createReadStream(file.path), format, {
        dryRun: true,
        skipInvalid: false,
        actor: { userId, role },
      });
      // Kept for the confirmation only when there is something to import; unconfirmed ones go after an hour.
      sweepStaleUploads();
      if (report.valid > 0) {
        mkdirSync(PAGE_UPLOADS, { recursive: true, mode: 0o700 });
        renameSync(file.path, kept(userId, kind, report.sha256, format));
      } else rmSync(file.path, { force: true });
      this.views.send(page.request, page.response, 'imports/preview.njk', this.view(report, format, file.originalname));
    } catch (error) {
      rmSync(file.path, { force: true });
      throw error;
    }
  }

  @Post('confirm')
  async confirm(@PageIn() page: Page): Promise<void> {
    const body = page.body as Record<string, string>;
    const format = body.format === 'xlsx' ? 'xlsx' : 'csv';
    const kind = this.allowed(page, body.kind);
    const { userId, role } = page.principal;
    const path = SHA.test(body.sha256 ?? '') ? kept(userId, kind, body.sha256, format) : null;
    if (!path || !existsSync(path)) return this.showUpload(page, kind, 'That upload is no longer waiting; upload the file again');
    try {
      const report = await this.run(kind, () => createReadStream(path), format, {
        dryRun: false,
        skipInvalid: body.skipInvalid === 'yes',
        actor: { userId, role },
      });
      const view = { ...this.view(report, format, body.name ?? ''), done: true };
      this.views.send(page.request, page.response, 'imports/preview.njk', view);
    } finally {
      rmSync(path, { force: true });
    }
  }

  private view(report: ImportReport, format: TableFormat, name: string): Record<string, unknown> {
    const [one, many] = KINDS.find((k) => k.kind === report.kind)!.noun;
    return {
      report,
      format,
      name,
      kind: report.kind,
      noun: (n: number) => `${n} ${n === 1 ? one : many}`,
      errors: report.errors.map((e) => ({ ...e, text: describeError(e) })),
    };
  }
}
