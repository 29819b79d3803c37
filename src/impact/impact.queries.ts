import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { In, type DataSource, type FindOptionsWhere } from 'typeorm';
import { READ_DB } from '../core';
import { ActionFindingRow, CaseAuditRow } from './projections/impact-links.projection';

/** Actions raised from audit findings: of these audits, or these actions, or every one when neither is given. */
export class ActionFindingsQuery extends Query<ActionFindingRow[]> {
  constructor(readonly filter: { auditIds?: string[]; actionIds?: string[] }) {
    super();
  }
}

/** Every audit of a case (its case reference), oldest first. */
export class CaseAuditsQuery extends Query<CaseAuditRow[]> {
  constructor(readonly caseRef: string) {
    super();
  }
}

@QueryHandler(ActionFindingsQuery)
export class ActionFindingsHandler implements IQueryHandler<ActionFindingsQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute({ filter }: ActionFindingsQuery): Promise<ActionFindingRow[]> {
    const where: FindOptionsWhere<ActionFindingRow> = {
      ...(filter.auditIds ? { auditId: In(filter.auditIds) } : {}),
      ...(filter.actionIds ? { actionId: In(filter.actionIds) } : {}),
    };
    return this.db.getRepository(ActionFindingRow).find({ where, order: { addedAt: 'ASC', actionId: 'ASC' } });
  }
}

@QueryHandler(CaseAuditsQuery)
export class CaseAuditsHandler implements IQueryHandler<CaseAuditsQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute({ caseRef }: CaseAuditsQuery): Promise<CaseAuditRow[]> {
    return this.db.getRepository(CaseAuditRow).find({ where: { caseRef }, order: { auditedOn: 'ASC', auditId: 'ASC' } });
  }
}

export const IMPACT_QUERY_HANDLERS = [ActionFindingsHandler, CaseAuditsHandler];
