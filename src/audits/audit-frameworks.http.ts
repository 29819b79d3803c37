import { Body } from '@nestjs/common';
import { ApiController, Ctx, type CommandContext, type DecideResult, CommandRoute, QueryRoute } from '../core';
import { PublishAuditFrameworkDto } from './audits.dto';
import { AuditFrameworkRow } from './projections/audit-framework.projection';
import { AuditFrameworkUseCases } from './audits.use-cases';

@ApiController('audit frameworks', 'api/v1/audit-frameworks')
export class AuditFrameworksController {
  constructor(private readonly frameworks: AuditFrameworkUseCases) {}

  @CommandRoute({
    summary: 'Publish the next version of a framework; audits already started keep theirs',
    unprocessable: 'Duplicate or reserved domain key, or nothing changed.',
  })
  publish(@Body() body: PublishAuditFrameworkDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.frameworks.publish(body, context);
  }

  @QueryRoute({ summary: 'Every published version of every framework', type: [AuditFrameworkRow] })
  list(): Promise<AuditFrameworkRow[]> {
    return this.frameworks.list();
  }
}
