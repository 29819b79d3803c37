import type { AnyProjection } from '@casetrail/projections';
import { disputeProtocolsProjection } from './dispute-protocol.projection';
import { disputesProjection } from './dispute.projection';
import { goodPracticeAlertsProjection } from './good-practice-alert.projection';

/** This context's read models (registered with the platform in its <context>.registration.ts). */
export const DISPUTE_PROJECTIONS: AnyProjection[] = [
  disputeProtocolsProjection,
  disputesProjection,
  goodPracticeAlertsProjection,
];
