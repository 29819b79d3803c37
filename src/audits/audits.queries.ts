import { Query } from '@nestjs/cqrs';

/** One audit action as other contexts see it (the plans context lists a team's outstanding actions). */
export interface AuditActionView {
  actionId: string;
  auditId: string;
  caseRef: string;
  description: string;
  ownerId: string;
  teamId: string;
  raisedOn: string;
  dueOn: string;
  status: 'open' | 'completed' | 'cancelled';
  completedOn?: string;
  /** Not completed (or cancelled) and `on` is after dueOn. */
  overdue: boolean;
}

/**
 * A team's audit actions as at the day `on`. status: 'open' = open and not overdue,
 * 'overdue' = open and past due, 'completed' = completed, undefined = every open one
 * (open + overdue).
 */
export class ListTeamAuditActionsQuery extends Query<AuditActionView[]> {
  constructor(
    readonly teamId: string,
    readonly status: 'open' | 'overdue' | 'completed' | undefined,
    readonly on: string,
  ) {
    super();
  }
}
