import { ApiController, commandRoute, queryRoute, forwardTo } from '../core';
import { PublishAuditFrameworkDto } from './audits.dto';
import { AuditFrameworkRow } from './projections/audit-framework.projection';
import { AuditFrameworkUseCases } from './audits.use-cases';

@ApiController('audit frameworks', 'api/v1/audit-frameworks')
export class AuditFrameworksController extends forwardTo(AuditFrameworkUseCases, {
  publish: commandRoute({
    body: PublishAuditFrameworkDto,
    summary: 'Publish the next version of a framework; audits already started keep theirs',
    unprocessable: 'Duplicate or reserved domain key, or nothing changed.',
  }),
  list: queryRoute({ summary: 'Every published version of every framework', type: [AuditFrameworkRow] }),
}) {}
