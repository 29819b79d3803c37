import { Body, Controller, Get, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, DecideCommand, type DecideResult, DecideResultView } from '../core';
import { auditFrameworkDecider } from './audit-framework.decider';
import { auditFrameworkStreamId } from './audits.events';
import { PublishAuditFrameworkDto } from './audits.commands';
import { ListFrameworksQuery } from './audits.queries';
import { DEFAULT_FRAMEWORK_ID } from './default-framework';
import { AuditFrameworkRow } from './projections/audit-framework.projection';

@ApiTags('audit frameworks')
@ApiSignedIn()
@Controller('api/v1/audit-frameworks')
export class AuditFrameworksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiCommand()
  @ApiOperation({ summary: 'Publish the next version of a framework; audits already started keep theirs' })
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiUnprocessableEntityResponse({ description: 'Duplicate or reserved domain key, or nothing changed.' })
  publish(@Body() body: PublishAuditFrameworkDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    const frameworkId = body.frameworkId ?? DEFAULT_FRAMEWORK_ID;
    const domains = body.domains.map(({ key, title, guidance, limiting }) => ({
      key,
      title,
      guidance,
      ...(limiting ? { limiting: true } : {}),
    }));
    return this.commands.execute(
      new DecideCommand(
        auditFrameworkDecider,
        auditFrameworkStreamId(frameworkId),
        { type: 'PublishAuditFramework', now: context.now, frameworkId, domains },
        context,
      ),
    );
  }

  @Get()
  @ApiOperation({ summary: 'Every published version of every framework' })
  @ApiOkResponse({ type: [AuditFrameworkRow] })
  list(): Promise<AuditFrameworkRow[]> {
    return this.queries.execute(new ListFrameworksQuery());
  }
}
