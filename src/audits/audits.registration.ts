import { auditFrameworkDecider } from './audit-framework.decider';
import { auditProgrammeDecider } from './audit-programme.decider';
import { auditDecider } from './audit.decider';
import type { AccessRegistration } from '../auth';
import { stateFolder, type ContextRegistration } from '../core';
import { AuditNotFound } from './audit.decider';
import { AUDIT_PROJECTIONS } from './projections';
import { AuditRow } from './projections/audit.projection';

/** What the audits context registers with the platform and the access policy (src/app.module.ts). */
export const AUDITS_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'audits',
  streams: {
    'audit-': stateFolder(auditDecider),
    'auditframework-': stateFolder(auditFrameworkDecider),
    'auditprogramme-': stateFolder(auditProgrammeDecider),
  },
  projections: AUDIT_PROJECTIONS,
  records: [
    {
      kind: 'audit',
      async facts(id, { db }) {
        const row = await db.getRepository(AuditRow).findOne({ where: { auditId: id }, select: ['teamId'] });
        return row && { teamIds: [row.teamId], ownerIds: [] };
      },
      notFound: (id) => new AuditNotFound(id),
      // Case-level: every read of it is recorded in the access log, under its stream.
      caseLevel: (id) => `audit-${id}`,
    },
  ],
};
