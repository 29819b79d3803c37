import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
import { PublishAuditFrameworkDto } from './audits.dto';
import { AuditFrameworkRow } from './projections/audit-framework.projection';
import { AuditFrameworkUseCases } from './audits.use-cases';

@ApiTags('audit frameworks')
@ApiSignedIn()
@Controller('api/v1/audit-frameworks')
export class AuditFrameworksController {
  constructor(private readonly frameworks: AuditFrameworkUseCases) {}

  @Post()
  @ApiCommand()
  @ApiOperation({ summary: 'Publish the next version of a framework; audits already started keep theirs' })
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiUnprocessableEntityResponse({ description: 'Duplicate or reserved domain key, or nothing changed.' })
  publish(@Body() body: PublishAuditFrameworkDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.frameworks.publish(body, context);
  }

  @Get()
  @ApiOperation({ summary: 'Every published version of every framework' })
  @ApiOkResponse({ type: [AuditFrameworkRow] })
  list(): Promise<AuditFrameworkRow[]> {
    return this.frameworks.list();
  }
}
