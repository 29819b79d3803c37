import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryBus, QueryHandler, QueryHandlerNotFoundException } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import {
  ACTION_RAGS,
  amberEscalation,
  completionOn,
  NotFoundError,
  ragFor,
  recommendationRagFor,
  type ActionFacts,
  type ActionRag,
  type ActionRagResult,
} from '@casetrail/kernel';
import { READ_DB } from '../core/tokens';
import { ListTeamAuditActionsQuery, type AuditActionView } from '../audits/audits.queries';
import { FindTeamsQuery } from '../teams/teams.queries';
import { ActionNotFound } from './action.decider';
import { PlanNotFound } from './plan.decider';
import { TIMESCALE_TEXT, type PlanTrigger, type Timescale } from './plans.events';
import { PlanActionRow, PlanPriorityRow, PlanRecommendationRow, PlanRow } from './projections/plan.projection';

export type { CompletionEntry } from './projections/plan.projection';

export class TeamNotKnown extends NotFoundError {
  readonly code = 'TEAM_NOT_FOUND';
  constructor(teamId: string) {
    super(`There is no team "${teamId}".`);
  }
}

// ---- views -------------------------------------------------------------------------------

export class RagCounts {
  @ApiProperty() red = 0;
  @ApiProperty() amber = 0;
  @ApiProperty() green = 0;
  @ApiProperty() grey = 0;
  @ApiProperty() blue = 0;
  @ApiProperty() total = 0;
}

export class ActionStatusView {
  @ApiProperty() actionId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ type: [String] }) teamIds!: string[];
  @ApiProperty() priorityId!: string;
  @ApiProperty({ type: [String] }) recommendationIds!: string[];
  @ApiProperty() startOn!: string;
  @ApiProperty({ description: 'The due date in force on the day asked about.' }) dueOn!: string;
  @ApiProperty() originalDueOn!: string;
  @ApiProperty({ nullable: true, type: String }) completedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) latestProgressOn!: string | null;
  @ApiProperty({ enum: ACTION_RAGS }) rag!: ActionRag;
  @ApiProperty({ type: [String], example: ['overdue by 3 working days', 'slipped 14 days'] }) reasons!: string[];
  @ApiProperty({
    type: [String],
    example: ['due 2020-11-30, after recommendation rec-1 is to be met (2020-10-03)'],
    description: 'Warnings, not refusals: e.g. due after a recommendation it answers is to be met.',
  })
  warnings!: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'amber since 2020-07-01 (61 days): escalate to the improvement board',
    description: 'Amber drift: set when the action has been amber for more than 60 days.',
  })
  escalation!: string | null;
}

export class PriorityStatusView {
  @ApiProperty() priorityId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: RagCounts }) counts!: RagCounts;
}

export class RecommendationStatusView {
  @ApiProperty() recommendationId!: string;
  @ApiProperty() text!: string;
  @ApiProperty() timescale!: Timescale;
  @ApiProperty() dueOn!: string;
  @ApiProperty({ type: [String] }) actionIds!: string[];
  @ApiProperty({
    enum: ACTION_RAGS,
    description:
      'Red when past its timescale and not met; blue when every action is complete; with no action amber (red once past ' +
      'its timescale); otherwise the RAG of its worst open action.',
  })
  rag!: ActionRag;
  @ApiProperty({
    type: [String],
    example: ['past its timescale ("within 3 months", due 2020-10-03) and not met: 1 of 2 actions open'],
  })
  reasons!: string[];
  @ApiProperty({ description: 'False when no action answers it ("no action answers this recommendation").' })
  answered!: boolean;
  @ApiProperty({ description: 'Every action answering it was complete on the day.' }) met!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) worstActionId!: string | null;
}

export class PlanStatusView {
  @ApiProperty() planId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() trigger!: PlanTrigger;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ example: '2020-09-30' }) on!: string;
  @ApiProperty({ type: RagCounts }) counts!: RagCounts;
  @ApiProperty({ type: [PriorityStatusView] }) priorities!: PriorityStatusView[];
  @ApiProperty({ type: [RecommendationStatusView] }) recommendations!: RecommendationStatusView[];
  @ApiProperty({ type: [ActionStatusView] }) actions!: ActionStatusView[];
}

export class OutstandingItemView {
  @ApiProperty({ enum: ['improvement-action', 'audit-action'] }) kind!: 'improvement-action' | 'audit-action';
  @ApiProperty() actionId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() ownerId!: string;
  @ApiProperty() dueOn!: string;
  @ApiProperty({ description: 'Open and past its due date on the day asked about.' }) overdue!: boolean;
  @ApiPropertyOptional({ enum: ACTION_RAGS, nullable: true, description: 'Improvement actions only.' }) rag!: ActionRag | null;
  @ApiPropertyOptional({ type: [String] }) reasons?: string[];
  @ApiPropertyOptional() planId?: string;
  @ApiPropertyOptional() auditId?: string;
  @ApiPropertyOptional() caseRef?: string;
  @ApiPropertyOptional() raisedOn?: string;
}

export class OutstandingTotalsView {
  @ApiProperty() total!: number;
  @ApiProperty() improvementActions!: number;
  @ApiProperty() auditActions!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty({ type: RagCounts, description: 'Improvement actions by RAG.' }) improvementRag!: RagCounts;
}

export class OutstandingActionsView {
  @ApiProperty() teamId!: string;
  @ApiProperty() on!: string;
  @ApiProperty({ type: [OutstandingItemView], description: 'Sorted by due date.' }) items!: OutstandingItemView[];
  @ApiProperty({ type: OutstandingTotalsView }) totals!: OutstandingTotalsView;
  @ApiProperty({ description: 'False while the case-audit context has no audit actions to offer.' })
  auditActionsIncluded!: boolean;
}

export class ActionDetailView extends PlanActionRow {
  @ApiProperty() on!: string;
  @ApiProperty({ enum: ACTION_RAGS }) rag!: ActionRag;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ type: [String], description: 'Warnings, not refusals (see ActionStatusView.warnings).' })
  warnings!: string[];
}

/** "Due after a recommendation it answers is to be met", for each such recommendation. */
export function dueDateWarnings(
  recommendationIds: string[],
  dueOn: string,
  recommendationDueOns: Record<string, string>,
): string[] {
  return recommendationIds
    .filter((id) => recommendationDueOns[id] !== undefined && dueOn > recommendationDueOns[id])
    .map((id) => `due ${dueOn}, after recommendation ${id} is to be met (${recommendationDueOns[id]})`);
}

// ---- RAG from rows -----------------------------------------------------------------------

/** The facts the kernel's RAG rules read, from a read-model row. */
function factsOf(row: PlanActionRow): ActionFacts {
  return {
    startOn: row.startOn,
    originalDueOn: row.originalDueOn,
    dueDateRevisions: row.dueDateRevisions,
    progress: row.progress,
    completedOn: row.completedOn,
    verifiedOn: row.verifiedOn,
    // Rows projected before completions were kept have none (the projection's version 2 rebuilds them).
    completions: row.completions ?? [],
  };
}

/** The kernel's RAG for a read-model row on a day. */
export function actionRag(row: PlanActionRow, on: string): ActionRagResult {
  return ragFor(factsOf(row), on);
}

function statusOf(
  row: PlanActionRow,
  on: string,
  recommendationDueOns: Record<string, string> = {},
): ActionStatusView & { open: boolean } {
  const { rag, reasons, dueOn, open } = actionRag(row, on);
  const completion = completionOn(factsOf(row), on);
  const latest = row.progress.filter((p) => p.reportedOn <= on).map((p) => p.reportedOn);
  return {
    actionId: row.actionId,
    title: row.title,
    ownerId: row.ownerId,
    teamIds: row.teamIds,
    priorityId: row.priorityId,
    recommendationIds: row.recommendationIds,
    startOn: row.startOn,
    dueOn,
    originalDueOn: row.originalDueOn,
    completedOn: open ? null : (completion?.completedOn ?? null),
    latestProgressOn: latest.length ? latest.sort().at(-1)! : null,
    rag,
    reasons,
    warnings: dueDateWarnings(row.recommendationIds, dueOn, recommendationDueOns),
    escalation: rag === 'amber' ? amberEscalation(factsOf(row), on) : null,
    open,
  };
}

const countRags = (rags: ActionRag[]): RagCounts => {
  const counts = new RagCounts();
  for (const rag of rags) counts[rag]++;
  counts.total = rags.length;
  return counts;
};

// ---- queries -----------------------------------------------------------------------------

export class ListPlansQuery extends Query<PlanRow[]> {}

/** A plan's priority and recommendation ids (null when there is no such plan): for adding actions. */
export interface PlanReferences {
  priorityIds: string[];
  recommendationIds: string[];
  /** Recommendation id -> the day it is to be met by. */
  recommendationDueOns: Record<string, string>;
}

export class GetPlanReferencesQuery extends Query<PlanReferences | null> {
  constructor(readonly planId: string) {
    super();
  }
}

export class GetActionQuery extends Query<PlanActionRow> {
  constructor(readonly actionId: string) {
    super();
  }
}

export class PlanStatusQuery extends Query<PlanStatusView> {
  constructor(
    readonly planId: string,
    readonly on: string,
  ) {
    super();
  }
}

export class TeamOutstandingActionsQuery extends Query<OutstandingActionsView> {
  constructor(
    readonly teamId: string,
    readonly on: string,
  ) {
    super();
  }
}

@QueryHandler(ListPlansQuery)
export class ListPlansHandler implements IQueryHandler<ListPlansQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(): Promise<PlanRow[]> {
    return this.db.getRepository(PlanRow).find({ order: { createdAt: 'ASC' } });
  }
}

@QueryHandler(GetPlanReferencesQuery)
export class GetPlanReferencesHandler implements IQueryHandler<GetPlanReferencesQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  async execute({ planId }: GetPlanReferencesQuery): Promise<PlanReferences | null> {
    if (!(await this.db.getRepository(PlanRow).existsBy({ planId }))) return null;
    const priorities = await this.db.getRepository(PlanPriorityRow).findBy({ planId });
    const recommendations = await this.db.getRepository(PlanRecommendationRow).findBy({ planId });
    return {
      priorityIds: priorities.map((p) => p.priorityId),
      recommendationIds: recommendations.map((r) => r.recommendationId),
      recommendationDueOns: Object.fromEntries(recommendations.map((r) => [r.recommendationId, r.dueOn])),
    };
  }
}

@QueryHandler(GetActionQuery)
export class GetActionHandler implements IQueryHandler<GetActionQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  async execute({ actionId }: GetActionQuery): Promise<PlanActionRow> {
    const action = await this.db.getRepository(PlanActionRow).findOneBy({ actionId });
    if (!action) throw new ActionNotFound(actionId);
    return action;
  }
}

@QueryHandler(PlanStatusQuery)
export class PlanStatusHandler implements IQueryHandler<PlanStatusQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  async execute({ planId, on }: PlanStatusQuery): Promise<PlanStatusView> {
    const plan = await this.db.getRepository(PlanRow).findOneBy({ planId });
    if (!plan) throw new PlanNotFound(planId);
    const [priorities, recommendations, rows] = await Promise.all([
      this.db.getRepository(PlanPriorityRow).find({ where: { planId }, order: { position: 'ASC' } }),
      this.db.getRepository(PlanRecommendationRow).find({ where: { planId }, order: { position: 'ASC' } }),
      this.db.getRepository(PlanActionRow).find({ where: { planId }, order: { dueOn: 'ASC', actionId: 'ASC' } }),
    ]);
    const dueOns = Object.fromEntries(recommendations.map((r) => [r.recommendationId, r.dueOn]));
    const statuses = rows.map((row) => statusOf(row, on, dueOns));
    const actions = statuses.map(({ open: _open, ...view }) => view);
    return {
      planId,
      title: plan.title,
      trigger: plan.trigger,
      ownerId: plan.ownerId,
      on,
      counts: countRags(statuses.map((s) => s.rag)),
      priorities: priorities.map((p) => ({
        priorityId: p.priorityId,
        title: p.title,
        counts: countRags(statuses.filter((s) => s.priorityId === p.priorityId).map((s) => s.rag)),
      })),
      recommendations: recommendations.map((r) => {
        const linked = statuses.filter((s) => s.recommendationIds.includes(r.recommendationId));
        const timescaleText = r.timescale === 'date' ? undefined : TIMESCALE_TEXT[r.timescale];
        const result = recommendationRagFor({ dueOn: r.dueOn, timescaleText, actions: linked }, on);
        return {
          recommendationId: r.recommendationId,
          text: r.text,
          timescale: r.timescale,
          dueOn: r.dueOn,
          actionIds: linked.map((s) => s.actionId),
          ...result,
        };
      }),
      actions,
    };
  }
}

@QueryHandler(TeamOutstandingActionsQuery)
export class TeamOutstandingActionsHandler implements IQueryHandler<TeamOutstandingActionsQuery> {
  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    private readonly queries: QueryBus,
  ) {}

  async execute({ teamId, on }: TeamOutstandingActionsQuery): Promise<OutstandingActionsView> {
    const teams = await this.queries.execute(new FindTeamsQuery([teamId]));
    if (teams.length === 0) throw new TeamNotKnown(teamId);
    // teamIds is a JSON column: filtered here rather than with database-specific JSON SQL.
    const rows = (await this.db.getRepository(PlanActionRow).find()).filter((row) => row.teamIds.includes(teamId));
    const improvement: OutstandingItemView[] = rows
      .map((row) => statusOf(row, on))
      .filter((s) => s.open)
      .map((s) => ({
        kind: 'improvement-action',
        actionId: s.actionId,
        planId: rows.find((r) => r.actionId === s.actionId)!.planId,
        title: s.title,
        ownerId: s.ownerId,
        dueOn: s.dueOn,
        overdue: on > s.dueOn,
        rag: s.rag,
        reasons: s.reasons,
      }));
    const { views, included } = await this.auditActions(teamId, on);
    const audit: OutstandingItemView[] = views.map((a) => ({
      kind: 'audit-action',
      actionId: a.actionId,
      auditId: a.auditId,
      caseRef: a.caseRef,
      title: a.description,
      ownerId: a.ownerId,
      raisedOn: a.raisedOn,
      dueOn: a.dueOn,
      overdue: a.overdue,
      rag: null,
    }));
    const items = [...improvement, ...audit].sort(
      (a, b) => a.dueOn.localeCompare(b.dueOn) || a.actionId.localeCompare(b.actionId),
    );
    return {
      teamId,
      on,
      items,
      totals: {
        total: items.length,
        improvementActions: improvement.length,
        auditActions: audit.length,
        overdue: items.filter((i) => i.overdue).length,
        improvementRag: countRags(improvement.map((i) => i.rag!)),
      },
      auditActionsIncluded: included,
    };
  }

  /** Open audit actions from the case-audit context (its query; undefined status = every open one). */
  private async auditActions(teamId: string, on: string): Promise<{ views: AuditActionView[]; included: boolean }> {
    try {
      const views = await this.queries.execute(new ListTeamAuditActionsQuery(teamId, undefined, on));
      return { views: views.filter((a) => a.status === 'open'), included: true };
    } catch (error) {
      // Only while the audits context has not registered its handler yet; any other failure is real.
      if (error instanceof QueryHandlerNotFoundException) return { views: [], included: false };
      throw error;
    }
  }
}

export const PLAN_QUERY_HANDLERS = [
  ListPlansHandler,
  GetPlanReferencesHandler,
  GetActionHandler,
  PlanStatusHandler,
  TeamOutstandingActionsHandler,
];
