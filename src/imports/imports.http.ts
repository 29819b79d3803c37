import { applyDecorators, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiPropertyOptional,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { ApiController, ErrorBodyView } from '../core';
import type { SignedInRequest } from '../auth';
import { AuditImportService } from './audit-import.service';
import { errorsAsCsv, type ImportReport } from './import-report';
import { RecordWriters } from './record-writers';
import type { Source } from './hashing';
import { withUpload, type UploadOptions } from './upload';
import { MAX_UPLOAD_BYTES } from './spool';
import { XLSX_CONTENT_TYPE, type TableFormat } from './table-reader';
import { RecordImportService } from './record-imports.service';
import { auditTemplate, indicatorTemplate, templateCsv, templateXlsx, userTemplate, type Template } from './templates';

/** A file import: POST of the CSV or XLSX file itself (the body, at most MAX_UPLOAD_BYTES), answered 200 with its report. */
const ImportRoute = (path: string, summary: string, answers: string): MethodDecorator =>
  applyDecorators(
    Post(path),
    HttpCode(200),
    ApiOperation({
      summary,
      description: `The file may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB (MAX_UPLOAD_BYTES); a larger one is refused with 413.`,
    }),
    ApiConsumes('text/csv', XLSX_CONTENT_TYPE),
    ApiBody({ description: 'The file itself.', schema: { type: 'string', format: 'binary' } }),
    ApiOkResponse({ description: answers }),
    ApiPayloadTooLargeResponse({
      type: ErrorBodyView,
      description: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: nothing is recorded.`,
    }),
  );

export class ImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Check every row and append nothing.' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'Dry run must be true or false' })
  dryRun?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Import the good rows even when others are bad.' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'Skip invalid rows must be true or false' })
  skipInvalid?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: only the errors, as a CSV report.' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'Report must be json or csv' })
  report?: 'json' | 'csv';
}

/**
 * Uploads whose body is the file itself (text/csv or the XLSX type), streamed to a private
 * temporary file and imported row by row through the write path. No JSON body parser runs on
 * these content types, so the request stream is read here.
 */
@ApiController('imports', 'api/v1/imports')
export class ImportsController {
  constructor(
    private readonly audits: AuditImportService,
    private readonly records: RecordImportService,
    private readonly writers: RecordWriters,
  ) {}

  private async answer(
    request: SignedInRequest,
    query: ImportQueryDto,
    response: Response,
    run: (source: Source, format: TableFormat, options: UploadOptions) => Promise<ImportReport>,
  ): Promise<ImportReport | string> {
    const report = await withUpload(request, query, run);
    if (query.report === 'csv') {
      response.type('text/csv');
      return errorsAsCsv(report.errors);
    }
    return report;
  }

  private async xlsx(response: Response, template: Template, sheet: string, file: string): Promise<void> {
    response.type(XLSX_CONTENT_TYPE).attachment(file);
    response.send(await templateXlsx(template, sheet));
  }

  @ImportRoute(
    'audits',
    'Import historic case audits from a CSV or XLSX file (the body): one audit per row, started, graded and submitted ' +
      'through the same commands as the API, with the importing user as actor. A file with any bad row imports nothing ' +
      'unless skipInvalid=true; a re-import of the same file appends nothing.',
    '{ rows, imported, skipped, alreadyRecorded, valid, dryRun, sha256, errors: [{ row, column, message }] }',
  )
  async importAudits(
    @Req() request: SignedInRequest,
    @Query() query: ImportQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImportReport | string> {
    return this.answer(request, query, response, (source, format, options) => this.audits.run(source, format, options));
  }

  @ImportRoute(
    'indicators',
    "Import indicator values (the case system's monthly extract) from a CSV or XLSX file (the body): one measurement per " +
      'row, recorded through the same command as the API, with the importing user as actor. Same rules as the audit import.',
    'As the audit import answers.',
  )
  importIndicators(
    @Req() request: SignedInRequest,
    @Query() query: ImportQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImportReport | string> {
    return this.answer(request, query, response, (source, format, options) => this.records.indicators(source, format, options));
  }

  @ImportRoute(
    'users',
    'Import staff (name, role, teams; never a password) from a CSV or XLSX file (the body): one user per row, registered ' +
      'through the same command as the API, with no token. Same rules as the audit import.',
    'As the audit import answers.',
  )
  importUsers(
    @Req() request: SignedInRequest,
    @Query() query: ImportQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImportReport | string> {
    return this.answer(request, query, response, (source, format, options) => this.records.users(source, format, options));
  }

  @Get('audits/template.csv')
  @ApiOperation({ summary: 'The audit import template (CSV): the columns for the current framework and an example row' })
  @ApiProduces('text/csv')
  async auditTemplateCsv(@Res({ passthrough: true }) response: Response): Promise<string> {
    const framework = await this.writers.currentFramework();
    response.type('text/csv').attachment('casetrail-audits-template.csv');
    return templateCsv(auditTemplate(framework?.domains ?? []));
  }

  @Get('audits/template.xlsx')
  @ApiOperation({ summary: 'The audit import template (XLSX)' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  async auditTemplateXlsx(@Res() response: Response): Promise<void> {
    const framework = await this.writers.currentFramework();
    await this.xlsx(response, auditTemplate(framework?.domains ?? []), 'Audits', 'casetrail-audits-template.xlsx');
  }

  @Get('indicators/template.csv')
  @ApiOperation({ summary: 'The indicator-value import template (CSV): its columns and an example row' })
  @ApiProduces('text/csv')
  indicatorTemplateCsv(@Res({ passthrough: true }) response: Response): string {
    response.type('text/csv').attachment('casetrail-indicators-template.csv');
    return templateCsv(indicatorTemplate());
  }

  @Get('indicators/template.xlsx')
  @ApiOperation({ summary: 'The indicator-value import template (XLSX)' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  indicatorTemplateXlsx(@Res() response: Response): Promise<void> {
    return this.xlsx(response, indicatorTemplate(), 'Indicators', 'casetrail-indicators-template.xlsx');
  }

  @Get('users/template.csv')
  @ApiOperation({ summary: 'The users import template (CSV): its columns and an example row' })
  @ApiProduces('text/csv')
  userTemplateCsv(@Res({ passthrough: true }) response: Response): string {
    response.type('text/csv').attachment('casetrail-users-template.csv');
    return templateCsv(userTemplate());
  }

  @Get('users/template.xlsx')
  @ApiOperation({ summary: 'The users import template (XLSX)' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  userTemplateXlsx(@Res() response: Response): Promise<void> {
    return this.xlsx(response, userTemplate(), 'Users', 'casetrail-users-template.xlsx');
  }
}
