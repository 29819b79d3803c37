import { indicatorDecider } from '../indicators';
import { selfAssessmentDecider } from '../self-assessments';
import { actionDecider } from './action.decider';
import { planDecider } from './plan.decider';
import type { AccessRegistration } from '../../auth';
import { stateFolder, type ContextRegistration } from '../../core';
import { ActionNotFound } from './action.decider';
import { PlanNotFound } from './plan.decider';
import { PLAN_PROJECTIONS } from './projections';
import { PlanActionRow, PlanRow } from './projections/plan.projection';

/**
 * What the plans context registers with the platform and the access policy (src/app.module.ts),
 * with the indicators' and self-assessments' read models (the plans module registers those contexts).
 */
export const PLANS_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'plans',
  streams: {
    'plan-': stateFolder(planDecider),
    'action-': stateFolder(actionDecider),
    'indicator-': stateFolder(indicatorDecider),
    'self-assessment-': stateFolder(selfAssessmentDecider),
  },
  projections: PLAN_PROJECTIONS,
  records: [
    {
      kind: 'improvement-action',
      async facts(id, { db }) {
        const row = await db.getRepository(PlanActionRow).findOne({ where: { actionId: id }, select: ['teamIds', 'ownerId'] });
        return row && { teamIds: row.teamIds, ownerIds: row.ownerId ? [row.ownerId] : [] };
      },
      notFound: (id) => new ActionNotFound(id),
      // Case-level: every read of it is recorded in the access log, under its stream.
      caseLevel: (id) => `action-${id}`,
    },
    {
      kind: 'plan',
      async facts(id, { db }) {
        // A plan belongs to the teams its actions are for; its owner is its improvement lead.
        const plan = await db.getRepository(PlanRow).findOne({ where: { planId: id }, select: ['ownerId'] });
        if (!plan) return null;
        const actions = await db.getRepository(PlanActionRow).find({ where: { planId: id }, select: ['teamIds', 'ownerId'] });
        return {
          teamIds: [...new Set(actions.flatMap((action) => action.teamIds))],
          ownerIds: [plan.ownerId, ...actions.flatMap((action) => (action.ownerId ? [action.ownerId] : []))],
        };
      },
      notFound: (id) => new PlanNotFound(id),
    },
  ],
};
