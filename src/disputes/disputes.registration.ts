import { disputeProtocolDecider } from './dispute-protocol.decider';
import { disputeDecider } from './dispute.decider';
import { goodPracticeAlertDecider } from './good-practice-alert.decider';
import type { AccessRegistration } from '../auth';
import { stateFolder, type ContextRegistration } from '../core';
import { DisputeNotFound } from './dispute.decider';
import { DISPUTE_PROJECTIONS } from './projections';
import { DisputeRow } from './projections/dispute.projection';

/** What the disputes context registers with the platform and the access policy (src/app.module.ts). */
export const DISPUTES_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'disputes',
  streams: {
    'dispute-': stateFolder(disputeDecider),
    'dispute-protocol': stateFolder(disputeProtocolDecider),
    'good-practice-alert-': stateFolder(goodPracticeAlertDecider),
  },
  projections: DISPUTE_PROJECTIONS,
  records: [
    {
      kind: 'dispute',
      async facts(id, { db }) {
        const row = await db.getRepository(DisputeRow).findOne({ where: { disputeId: id }, select: ['teamId', 'raisedBy'] });
        return row && { teamIds: [row.teamId], ownerIds: [row.raisedBy] };
      },
      notFound: (id) => new DisputeNotFound(id),
      // Case-level: every read of it is recorded in the access log, under its stream.
      caseLevel: (id) => `dispute-${id}`,
    },
  ],
};
