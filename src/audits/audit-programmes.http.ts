import { Body, Param, Req } from '@nestjs/common';
import { ApiController, Ctx, type CommandContext, type DecideResult, CommandRoute, QueryRoute } from '../core';
import type { SignedInRequest } from '../auth';
import { CreateAuditProgrammeDto, ProgrammeIdParam } from './audits.dto';
import { type ProgrammeSummary } from './audits.queries';
import { AuditProgrammeRow } from './projections/audit-programme.projection';
import { AuditProgrammeUseCases } from './audits.use-cases';

@ApiController('audit programmes', 'api/v1/audit-programmes')
export class AuditProgrammesController {
  constructor(private readonly programmes: AuditProgrammeUseCases) {}

  @CommandRoute({
    summary: 'Create a monthly, thematic, deep-dive, multi-agency or re-audit programme',
    description: 'Also answers `programmeId`.',
    conflict: 'The programme id is taken.',
    unprocessable: 'Ends before it starts, unknown team, re-audit without its original.',
  })
  create(@Body() body: CreateAuditProgrammeDto, @Ctx() context: CommandContext): Promise<DecideResult & { programmeId: string }> {
    return this.programmes.create(body, context);
  }

  @QueryRoute({ type: [AuditProgrammeRow] })
  list(): Promise<AuditProgrammeRow[]> {
    return this.programmes.list();
  }

  @QueryRoute(':id/summary', {
    summary:
      'Counts per effective grade of the submitted audits, and a sentence for reports. Audits the caller is to ' +
      'moderate blind are left out of the counts (counted in `awaitingYourModeration`).',
    notFound: 'No such programme.',
  })
  summary(@Param() params: ProgrammeIdParam, @Req() request: SignedInRequest): Promise<ProgrammeSummary> {
    return this.programmes.summary(params, request);
  }
}
