import type { AccessRegistration } from '../auth';
import type { ContextRegistration } from '../core';
import { AuditNotFound } from './audit.decider';
import { AUDIT_PROJECTIONS } from './projections';
import { AuditRow } from './projections/audit.projection';

/** What the audits context registers with the platform and the access policy (src/app.module.ts). */
export const AUDITS_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'audits',
  projections: AUDIT_PROJECTIONS,
  records: [
    {
      kind: 'audit',
      async facts(id, { db }) {
        const row = await db.getRepository(AuditRow).findOne({ where: { auditId: id }, select: ['teamId'] });
        return row && { teamIds: [row.teamId], ownerIds: [] };
      },
      notFound: (id) => new AuditNotFound(id),
    },
  ],
};
