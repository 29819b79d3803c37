import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { NotFoundError } from '@casetrail/kernel';
import { AuditNotFound } from '../audits/audit.decider';
import { AuditRow } from '../audits/projections/audit.projection';
import { READ_DB } from '../core/tokens';
import { DisputeNotFound } from '../disputes/disputes.decider';
import { DisputeRow } from '../disputes/projections/dispute.projection';
import { ActionNotFound } from '../plans/action.decider';
import { PlanNotFound } from '../plans/plan.decider';
import { PlanActionRow, PlanRow } from '../plans/projections/plan.projection';
import { teamsNamedIn } from '../trail/team-scope';
import { TeamRow } from '../teams/projections/team.projection';
import { serviceIdOf } from '../teams/service-id';
import { StreamNotFound } from '../trail/trail.errors';
import type { ResourceKind } from './policy';

/** What the guard needs to know about a record: its teams and who owns (or raised) it. */
export interface RecordFacts {
  teamIds: string[];
  ownerIds: string[];
}

/**
 * The error the handler gives for a missing record of this kind: a record in another team is
 * answered with exactly this, so a caller cannot tell "elsewhere" from "nowhere".
 */
export function notFound(kind: ResourceKind, id: string): NotFoundError {
  switch (kind) {
    case 'audit':
      return new AuditNotFound(id);
    case 'dispute':
      return new DisputeNotFound(id);
    case 'improvement-action':
      return new ActionNotFound(id);
    case 'plan':
      return new PlanNotFound(id);
    case 'stream':
      return new StreamNotFound(id);
  }
}

/**
 * Looks up a record's team and owner in the read models, for the policy's resource limits.
 * null: no such record (yet); the guard then lets the handler answer (404 from the domain).
 */
@Injectable()
export class TeamResolver {
  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The teams (open or closed) whose service has this id. */
  async teamsOfService(serviceId: string): Promise<string[]> {
    const teams = await this.db.getRepository(TeamRow).find({ select: ['teamId', 'service'] });
    return teams.filter((team) => serviceIdOf(team.service) === serviceId).map((team) => team.teamId);
  }

  async facts(kind: ResourceKind, id: string): Promise<RecordFacts | null> {
    switch (kind) {
      case 'audit': {
        const row = await this.db.getRepository(AuditRow).findOne({ where: { auditId: id }, select: ['teamId'] });
        return row && { teamIds: [row.teamId], ownerIds: [] };
      }
      case 'dispute': {
        const row = await this.db.getRepository(DisputeRow).findOne({ where: { disputeId: id }, select: ['teamId', 'raisedBy'] });
        return row && { teamIds: [row.teamId], ownerIds: [row.raisedBy] };
      }
      case 'improvement-action': {
        const row = await this.db
          .getRepository(PlanActionRow)
          .findOne({ where: { actionId: id }, select: ['teamIds', 'ownerId'] });
        return row && { teamIds: row.teamIds, ownerIds: row.ownerId ? [row.ownerId] : [] };
      }
      case 'plan': {
        // A plan belongs to the teams its actions are for; its owner is its improvement lead.
        const plan = await this.db.getRepository(PlanRow).findOne({ where: { planId: id }, select: ['ownerId'] });
        if (!plan) return null;
        const actions = await this.db
          .getRepository(PlanActionRow)
          .find({ where: { planId: id }, select: ['teamIds', 'ownerId'] });
        return {
          teamIds: [...new Set(actions.flatMap((action) => action.teamIds))],
          ownerIds: [plan.ownerId, ...actions.flatMap((action) => (action.ownerId ? [action.ownerId] : []))],
        };
      }
      case 'stream': {
        // A stream belongs to the teams its first event (the one that created the entity) names.
        for await (const first of this.store.readStream(id, { maxCount: 1, upcast: false })) {
          return { teamIds: teamsNamedIn(first.data), ownerIds: [] };
        }
        return null;
      }
    }
  }
}
