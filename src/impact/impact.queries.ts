import { Query } from '@nestjs/cqrs';
import { In } from 'typeorm';
import { listRowsHandler } from '../core';
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

export class ActionFindingsHandler extends listRowsHandler(
  ActionFindingsQuery,
  ActionFindingRow,
  { addedAt: 'ASC', actionId: 'ASC' },
  ({ filter }) => ({
    ...(filter.auditIds ? { auditId: In(filter.auditIds) } : {}),
    ...(filter.actionIds ? { actionId: In(filter.actionIds) } : {}),
  }),
) {}

export class CaseAuditsHandler extends listRowsHandler(
  CaseAuditsQuery,
  CaseAuditRow,
  { auditedOn: 'ASC', auditId: 'ASC' },
  ({ caseRef }) => ({ caseRef }),
) {}

export const IMPACT_QUERY_HANDLERS = [ActionFindingsHandler, CaseAuditsHandler];
