import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '../shared';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
import { CreateAuditProgrammeDto, ProgrammeIdParam } from './audits.dto';
import { type ProgrammeSummary } from './audits.queries';
import { AuditProgrammeRow } from './projections/audit-programme.projection';
import { AuditProgrammeUseCases } from './audits.use-cases';

@ApiTags('audit programmes')
@ApiSignedIn()
@Controller('api/v1/audit-programmes')
export class AuditProgrammesController {
  constructor(private readonly programmes: AuditProgrammeUseCases) {}

  @Post()
  @ApiCommand()
  @ApiOperation({ summary: 'Create a monthly, thematic, deep-dive, multi-agency or re-audit programme' })
  @ApiCreatedResponse({ type: DecideResultView, description: 'Also answers `programmeId`.' })
  @ApiConflictResponse({ description: 'The programme id is taken.' })
  @ApiUnprocessableEntityResponse({ description: 'Ends before it starts, unknown team, re-audit without its original.' })
  create(@Body() body: CreateAuditProgrammeDto, @Ctx() context: CommandContext): Promise<DecideResult & { programmeId: string }> {
    return this.programmes.create(body, context);
  }

  @Get()
  @ApiOkResponse({ type: [AuditProgrammeRow] })
  list(): Promise<AuditProgrammeRow[]> {
    return this.programmes.list();
  }

  @Get(':id/summary')
  @ApiOperation({
    summary:
      'Counts per effective grade of the submitted audits, and a sentence for reports. Audits the caller is to ' +
      'moderate blind are left out of the counts (counted in `awaitingYourModeration`).',
  })
  @ApiNotFoundResponse({ description: 'No such programme.' })
  summary(@Param() params: ProgrammeIdParam, @Req() request: Request & { principal: Principal }): Promise<ProgrammeSummary> {
    return this.programmes.summary(params, request);
  }
}
