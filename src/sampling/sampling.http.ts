import { Body, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiPayloadTooLargeResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiController, Ctx, contextFromRequest, type CommandContext, type ErrorBody, ErrorBodyView, QueryRoute } from '../core';
import type { SignedInRequest } from '../auth';
import { withUpload, XLSX_CONTENT_TYPE } from '../imports';
import { CaseListUploadQuery, DrawSampleDto, ProgrammeIdParam } from './sampling.dto';
import { MAX_CASE_LIST_BYTES, SamplingService, type CaseListUpload, type SampleView } from './sampling.service';

/** Routes only: case lists, samples and their verification (src/sampling/sampling.service.ts does the work). */
@ApiController('sampling', 'api/v1')
export class SamplingController {
  constructor(private readonly sampling: SamplingService) {}

  @Post('case-lists')
  @ApiOperation({
    summary:
      'Upload a case list (CSV or XLSX body: case reference, team, category, worker id, open since; ?fileName= names it); recorded as ' +
      'CaseListRecorded with its SHA-256 when every row is good (422 with the errors otherwise). Columns that look ' +
      "like a child's name or date of birth are refused.",
    description: `The file may be at most ${MAX_CASE_LIST_BYTES / 1024 / 1024} MB (MAX_CASE_LIST_BYTES); a larger one is refused with 413.`,
  })
  @ApiConsumes('text/csv', XLSX_CONTENT_TYPE)
  @ApiBody({ description: 'The file itself.', schema: { type: 'string', format: 'binary' } })
  // Declared, as Nest's default 201 (left out once any answer is declared) was before.
  @ApiCreatedResponse({ description: '' })
  @ApiPayloadTooLargeResponse({
    type: ErrorBodyView,
    description: `The file is larger than ${MAX_CASE_LIST_BYTES / 1024 / 1024} MB: nothing is recorded.`,
  })
  async uploadCaseList(
    @Req() request: SignedInRequest,
    @Query() query: CaseListUploadQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseListUpload | ErrorBody> {
    const context = contextFromRequest(request);
    const upload = await withUpload(
      request,
      {},
      (source, format) => this.sampling.uploadCaseList(source, format, context, query.fileName),
      MAX_CASE_LIST_BYTES,
    );
    if (upload.recorded) return upload;
    // Refused: the API's one error shape, the rows' problems in its details (nothing recorded).
    response.status(422);
    const [first] = upload.errors;
    const more =
      upload.errors.length > 1 ? ` (and ${upload.errors.length - 1} more problem${upload.errors.length > 2 ? 's' : ''})` : '';
    return {
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: first
        ? `The case list was not recorded. Row ${first.row}, column "${first.column}": ${first.message}${more}`
        : 'The case list has no cases.',
      details: { code: 'CASE_LIST_REFUSED', ...upload },
    };
  }

  @Post('samples')
  @ApiOperation({
    summary:
      'Draw the case sample of an audit programme from a recorded case list (CaseSampleDrawn): n per team or a total in ' +
      'proportion to caseloads, optionally by category, leaving out cases audited in the last N months (default 12), ' +
      'with a seed. Once per programme.',
  })
  draw(@Body() body: DrawSampleDto, @Ctx() context: CommandContext): Promise<SampleView> {
    return this.sampling.draw(body, context);
  }

  @QueryRoute('samples/:programmeId', {
    summary: "A programme's sample: inputs, cases chosen and excluded with reasons, and how many are audited",
  })
  get(@Param() { programmeId }: ProgrammeIdParam, @Req() request: SignedInRequest): Promise<SampleView> {
    return this.sampling.sample(programmeId, request.principal.userId);
  }

  @QueryRoute('samples/:programmeId/verify', {
    summary: 'Recompute the sample from the recorded case list and inputs: valid, or what differs',
  })
  verify(@Param() { programmeId }: ProgrammeIdParam) {
    return this.sampling.verify(programmeId);
  }
}
