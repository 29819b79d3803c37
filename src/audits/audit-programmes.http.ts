import { Req } from '@nestjs/common';
import { ApiController, commandRoute, from, queryRoute, forwardTo } from '../core';
import type { SignedInRequest } from '../auth';
import { CreateAuditProgrammeDto, ProgrammeIdParam } from './audits.dto';
import { AuditProgrammeRow } from './projections/audit-programme.projection';
import { AuditProgrammeUseCases } from './audits.use-cases';

@ApiController('audit programmes', 'api/v1/audit-programmes')
export class AuditProgrammesController extends forwardTo(AuditProgrammeUseCases, {
  create: commandRoute({
    body: CreateAuditProgrammeDto,
    summary: 'Create a monthly, thematic, deep-dive, multi-agency or re-audit programme',
    description: 'Also answers `programmeId`.',
    conflict: 'The programme id is taken.',
    unprocessable: 'Ends before it starts, unknown team, re-audit without its original.',
  }),
  list: queryRoute({ type: [AuditProgrammeRow] }),
  summary: queryRoute(':id/summary', {
    params: ProgrammeIdParam,
    also: [from<SignedInRequest>(Req())],
    summary:
      'Counts per effective grade of the submitted audits, and a sentence for reports. Audits the caller is to ' +
      'moderate blind are left out of the counts (counted in `awaitingYourModeration`).',
    notFound: 'No such programme.',
  }),
}) {}
