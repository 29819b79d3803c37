import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
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
import {
  ApiCommand,
  ApiSignedIn,
  Ctx,
  type CommandContext,
  DecideCommand,
  deterministicUuid,
  type DecideResult,
  DecideResultView,
} from '../core';
import { FindTeamsQuery } from '../teams';
import { auditProgrammeDecider } from './audit-programme.decider';
import { auditProgrammeStreamId } from './audits.events';
import { CreateAuditProgrammeDto, ProgrammeIdParam } from './audits.commands';
import { FindProgrammeQuery, ListProgrammesQuery, ProgrammeSummaryQuery, type ProgrammeSummary } from './audits.queries';
import { AuditProgrammeRow } from './projections/audit-programme.projection';

@ApiTags('audit programmes')
@ApiSignedIn()
@Controller('api/v1/audit-programmes')
export class AuditProgrammesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiCommand()
  @ApiOperation({ summary: 'Create a monthly, thematic, deep-dive, multi-agency or re-audit programme' })
  @ApiCreatedResponse({ type: DecideResultView, description: 'Also answers `programmeId`.' })
  @ApiConflictResponse({ description: 'The programme id is taken.' })
  @ApiUnprocessableEntityResponse({ description: 'Ends before it starts, unknown team, re-audit without its original.' })
  async create(
    @Body() body: CreateAuditProgrammeDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult & { programmeId: string }> {
    // Derived from the command id: a retry with the same Idempotency-Key names the same programme (and appends nothing).
    const programmeId = body.programmeId ?? deterministicUuid(context.commandId, 'audit-programme');
    const [teams, original] = await Promise.all([
      this.queries.execute(new FindTeamsQuery(body.teamIds)),
      body.reAuditOf ? this.queries.execute(new FindProgrammeQuery(body.reAuditOf)) : Promise.resolve(null),
    ]);
    const result = await this.commands.execute(
      new DecideCommand(
        auditProgrammeDecider,
        auditProgrammeStreamId(programmeId),
        {
          type: 'CreateAuditProgramme',
          now: context.now,
          programmeId,
          title: body.title,
          kind: body.kind,
          ...(body.theme !== undefined ? { theme: body.theme } : {}),
          from: body.from,
          to: body.to,
          teamIds: body.teamIds,
          knownTeamIds: teams.map((t) => t.teamId),
          ...(body.reAuditOf !== undefined ? { reAuditOf: body.reAuditOf, reAuditOfExists: original !== null } : {}),
        },
        context,
      ),
    );
    return { programmeId, ...result };
  }

  @Get()
  @ApiOkResponse({ type: [AuditProgrammeRow] })
  list(): Promise<AuditProgrammeRow[]> {
    return this.queries.execute(new ListProgrammesQuery());
  }

  @Get(':id/summary')
  @ApiOperation({
    summary:
      'Counts per effective grade of the submitted audits, and a sentence for reports. Audits the caller is to ' +
      'moderate blind are left out of the counts (counted in `awaitingYourModeration`).',
  })
  @ApiNotFoundResponse({ description: 'No such programme.' })
  summary(@Param() { id }: ProgrammeIdParam, @Req() request: Request & { principal: Principal }): Promise<ProgrammeSummary> {
    return this.queries.execute(new ProgrammeSummaryQuery(id, request.principal.userId));
  }
}
