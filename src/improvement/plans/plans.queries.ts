import { IQueryHandler, Query, QueryBus, QueryHandler, QueryHandlerNotFoundException } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACTION_RAGS,
  amberEscalation,
  completionOn,
  dayInWords,
  DEFAULT_RAG_SETTINGS,
  noUpdatePeriodText,
  PUBLISHED_CALENDAR,
  ragFor,
  recommendationRagFor,
  type ActionFacts,
  type ActionRag,
  type ActionRagResult,
  type RagContext,
  type RagSettings,
  type WorkingDayCalendar,
  notFound,
  counted,
} from '@casetrail/kernel';
import { CurrentCalendarQuery } from '../../calendar';
import { listRowsHandler, ReadModelAndQueriesHandler, ReadModelHandler } from '../../core';
import { ListTeamAuditActionsQuery, type AuditActionView } from '../../audits';
import { FindTeamsQuery } from '../../teams';
import { ActionNotFound } from './action.decider';
import { PlanNotFound } from './plan.decider';
import { ACTION_PLAN_DUE_WORKING_DAYS, TIMESCALE_TEXT, type PlanTrigger, type Timescale } from './plans.events';
import { PlanActionRow, PlanPriorityRow, PlanRecommendationRow, PlanRow, RagSettingsChange } from './projections/plan.projection';

export type { CompletionEntry } from './projections/plan.projection';

export class TeamNotKnown extends notFound('TEAM_NOT_FOUND', (teamId: string) => `There is no team "${teamId}".`) {}

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
  @ApiProperty({ nullable: true, type: String, description: 'The user who owns it; null when a partner agency does.' })
  ownerId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The partner agency that owns it.' }) ownerAgency!: string | null;
  @ApiProperty({ type: [String] }) teamIds!: string[];
  @ApiProperty() priorityId!: string;
  @ApiProperty({ type: [String] }) recommendationIds!: string[];
  @ApiProperty() startOn!: string;
  @ApiProperty({ description: 'The due date in force on the day asked about.' }) dueOn!: string;
  @ApiProperty() originalDueOn!: string;
  @ApiProperty({ nullable: true, type: String }) completedOn!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Working days between the due date and a completion after it; null when open or completed on time.',
  })
  lateWorkingDays!: number | null;
  @ApiProperty({ nullable: true, type: String }) latestProgressOn!: string | null;
  @ApiProperty({ enum: ACTION_RAGS }) rag!: ActionRag;
  @ApiProperty({ type: [String], example: ['overdue by 3 working days', 'slipped 14 days'] }) reasons!: string[];
  @ApiProperty({
    type: [String],
    example: ['due 30 November 2020, after recommendation rec-1 is to be met (3 October 2020)'],
    description: 'Warnings, not refusals: e.g. due after a recommendation it answers is to be met.',
  })
  warnings!: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'amber since 1 July 2020 (61 days): escalate to the improvement board',
    description: "Amber drift: set when the action has been amber for longer than the plan's escalation days (60 by default).",
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
  @ApiProperty({ nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'A partner agency leading on it.' }) ownerAgency!: string | null;
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
    example: ['past its timescale ("within 3 months", due 3 October 2020) and not met: 1 of 2 actions open'],
  })
  reasons!: string[];
  @ApiProperty({ description: 'False when no action answers it ("no action answers this recommendation").' })
  answered!: boolean;
  @ApiProperty({ description: 'Every action answering it was complete on the day.' }) met!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) worstActionId!: string | null;
}

export class RagSettingsView {
  @ApiProperty({ description: 'Red once this many working days overdue (0: from the first day after the due date).' })
  redFromWorkingDaysOverdue!: number;
  @ApiProperty({ example: { count: 1, unit: 'months' } }) noUpdateFor!: RagSettings['noUpdateFor'];
  @ApiProperty() escalateAmberAfterDays!: number;
  @ApiProperty({ description: 'True while the plan has not changed the defaults.' }) isDefault!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Day the settings in force were set; null for the defaults.' })
  since!: string | null;
  @ApiProperty({ example: ['red from the first day after the due date', 'amber after 1 calendar month without an update'] })
  text!: string[];
}

export class ActionPlanDueView {
  @ApiProperty({ description: 'Day the inspection report was published.' }) publishedOn!: string;
  @ApiProperty({ description: '70 working days after publication (bank holidays recorded by an administrator count).' })
  dueOn!: string;
  @ApiProperty({ nullable: true, type: String }) submittedOn!: string | null;
  @ApiProperty({ description: 'Submitted after its due date, or not submitted and the due date has passed.' }) late!: boolean;
  @ApiProperty({
    example: 'due 20 November 2020 (70 working days after the report was published on 12 August 2020): not yet submitted',
  })
  note!: string;
}

export class PlanStatusView {
  @ApiProperty() planId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() trigger!: PlanTrigger;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ example: '2020-09-30' }) on!: string;
  @ApiProperty({ type: RagSettingsView, description: 'The RAG thresholds in force on the day asked about.' })
  ragSettings!: RagSettingsView;
  @ApiProperty({ type: ActionPlanDueView, nullable: true, description: 'Only for a plan answering a published inspection.' })
  actionPlan!: ActionPlanDueView | null;
  @ApiProperty({ type: RagCounts }) counts!: RagCounts;
  @ApiProperty({ type: [PriorityStatusView] }) priorities!: PriorityStatusView[];
  @ApiProperty({ type: [RecommendationStatusView] }) recommendations!: RecommendationStatusView[];
  @ApiProperty({ type: [ActionStatusView] }) actions!: ActionStatusView[];
}

export class OutstandingItemView {
  @ApiProperty({ enum: ['improvement-action', 'audit-action'] }) kind!: 'improvement-action' | 'audit-action';
  @ApiProperty() actionId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) ownerId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'A partner agency owning an improvement action.' })
  ownerAgency?: string | null;
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
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Working days a completion came after the due date; null when open or on time.',
  })
  lateWorkingDays!: number | null;
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
    .map((id) => `due ${dayInWords(dueOn)}, after recommendation ${id} is to be met (${dayInWords(recommendationDueOns[id])})`);
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

/** The RAG settings of a plan in force on a day: its latest change made on or before it, else the defaults. */
export function ragSettingsOn(
  changes: RagSettingsChange[] | undefined,
  on: string,
): { settings: RagSettings; since: string | null } {
  const inForce = (changes ?? []).filter((c) => c.changedOn <= on).at(-1);
  return inForce ? { settings: inForce.settings, since: inForce.changedOn } : { settings: DEFAULT_RAG_SETTINGS, since: null };
}

/** The settings in words, for the plan page and the API. */
export function ragSettingsText(settings: RagSettings): string[] {
  return [
    settings.redFromWorkingDaysOverdue === 0
      ? 'red from the first day after the due date'
      : `red from ${counted(settings.redFromWorkingDaysOverdue, 'working day')} overdue (amber before)`,
    `amber after ${noUpdatePeriodText(settings.noUpdateFor)} without an update`,
    `escalate an action amber for more than ${counted(settings.escalateAmberAfterDays, 'day')}`,
  ];
}

export function ragSettingsView(changes: RagSettingsChange[] | undefined, on: string): RagSettingsView {
  const { settings, since } = ragSettingsOn(changes, on);
  return { ...settings, isDefault: since === null, since, text: ragSettingsText(settings) };
}

/** When the action plan answering a published inspection is due (70 working days), and whether it is late. */
export function actionPlanDue(plan: PlanRow, on: string, calendar: WorkingDayCalendar): ActionPlanDueView | null {
  const publishedOn = plan.trigger.kind === 'ofsted-inspection' ? plan.trigger.publishedOn : undefined;
  if (!publishedOn) return null;
  const dueOn = calendar.addWorkingDays(publishedOn, ACTION_PLAN_DUE_WORKING_DAYS);
  const submittedOn = plan.submittedOn != null && plan.submittedOn <= on ? plan.submittedOn : null;
  const late = submittedOn ? submittedOn > dueOn : on > dueOn;
  const due = `due ${dayInWords(dueOn)} (${ACTION_PLAN_DUE_WORKING_DAYS} working days after the report was published on ${dayInWords(publishedOn)})`;
  const state = submittedOn
    ? `submitted on ${dayInWords(submittedOn)}${late ? `, ${counted(calendar.workingDaysBetween(dueOn, submittedOn), 'working day')} late` : ''}`
    : late
      ? `not submitted, ${counted(calendar.workingDaysBetween(dueOn, on), 'working day')} late`
      : 'not yet submitted';
  return { publishedOn, dueOn, submittedOn, late, note: `${due}: ${state}` };
}

/** The kernel's RAG for a read-model row on a day, with the plan's settings and the calendar in force. */
export function actionRag(row: PlanActionRow, on: string, context: RagContext = {}): ActionRagResult {
  return ragFor(factsOf(row), on, context);
}

/** The working-day calendar with the bank holidays an administrator recorded (published only while calendar is not loaded). */
async function calendarOf(queries: QueryBus): Promise<WorkingDayCalendar> {
  try {
    return await queries.execute(new CurrentCalendarQuery());
  } catch (error) {
    if (error instanceof QueryHandlerNotFoundException) return PUBLISHED_CALENDAR;
    throw error;
  }
}

function statusOf(
  row: PlanActionRow,
  on: string,
  recommendationDueOns: Record<string, string> = {},
  context: RagContext = {},
): ActionStatusView & { open: boolean } {
  const { rag, reasons, dueOn, open, lateWorkingDays } = actionRag(row, on, context);
  const completion = completionOn(factsOf(row), on);
  const latest = row.progress.filter((p) => p.reportedOn <= on).map((p) => p.reportedOn);
  return {
    actionId: row.actionId,
    title: row.title,
    ownerId: row.ownerId,
    ownerAgency: row.ownerAgency ?? null,
    teamIds: row.teamIds,
    priorityId: row.priorityId,
    recommendationIds: row.recommendationIds,
    startOn: row.startOn,
    dueOn,
    originalDueOn: row.originalDueOn,
    completedOn: open ? null : (completion?.completedOn ?? null),
    lateWorkingDays,
    latestProgressOn: latest.length ? latest.sort().at(-1)! : null,
    rag,
    reasons,
    warnings: dueDateWarnings(row.recommendationIds, dueOn, recommendationDueOns),
    escalation: rag === 'amber' ? amberEscalation(factsOf(row), on, context) : null,
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

/** The improvement actions an indicator measures (named as their indicator), oldest first. */
export class ActionsMeasuredByQuery extends Query<PlanActionRow[]> {
  constructor(readonly indicatorCode: string) {
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
    /** Who is asking: audit actions of audits waiting for their moderation are left out (blind moderation). */
    readonly viewerId?: string,
  ) {
    super();
  }
}

/** The settings of a plan on a day and the calendar in force, for the RAG of one of its actions. */
export class PlanRagContextQuery extends Query<RagContext> {
  constructor(
    readonly planId: string,
    readonly on: string,
  ) {
    super();
  }
}

@QueryHandler(PlanRagContextQuery)
export class PlanRagContextHandler extends ReadModelAndQueriesHandler implements IQueryHandler<PlanRagContextQuery> {
  async execute({ planId, on }: PlanRagContextQuery): Promise<RagContext> {
    const plan = await this.db.getRepository(PlanRow).findOne({ where: { planId }, select: ['planId', 'ragSettings'] });
    return { settings: ragSettingsOn(plan?.ragSettings, on).settings, calendar: await calendarOf(this.queries) };
  }
}

export class ListPlansHandler extends listRowsHandler(ListPlansQuery, PlanRow, { createdAt: 'ASC' }) {}

@QueryHandler(GetPlanReferencesQuery)
export class GetPlanReferencesHandler extends ReadModelHandler implements IQueryHandler<GetPlanReferencesQuery> {
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
export class GetActionHandler extends ReadModelHandler implements IQueryHandler<GetActionQuery> {
  async execute({ actionId }: GetActionQuery): Promise<PlanActionRow> {
    const action = await this.db.getRepository(PlanActionRow).findOneBy({ actionId });
    if (!action) throw new ActionNotFound(actionId);
    return action;
  }
}

export class ActionsMeasuredByHandler extends listRowsHandler(
  ActionsMeasuredByQuery,
  PlanActionRow,
  { addedAt: 'ASC', actionId: 'ASC' },
  ({ indicatorCode }) => ({ indicatorCode }),
) {}

@QueryHandler(PlanStatusQuery)
export class PlanStatusHandler extends ReadModelAndQueriesHandler implements IQueryHandler<PlanStatusQuery> {
  async execute({ planId, on }: PlanStatusQuery): Promise<PlanStatusView> {
    const plan = await this.db.getRepository(PlanRow).findOneBy({ planId });
    if (!plan) throw new PlanNotFound(planId);
    const [priorities, recommendations, rows] = await Promise.all([
      this.db.getRepository(PlanPriorityRow).find({ where: { planId }, order: { position: 'ASC' } }),
      this.db.getRepository(PlanRecommendationRow).find({ where: { planId }, order: { position: 'ASC' } }),
      this.db.getRepository(PlanActionRow).find({ where: { planId }, order: { dueOn: 'ASC', actionId: 'ASC' } }),
    ]);
    const dueOns = Object.fromEntries(recommendations.map((r) => [r.recommendationId, r.dueOn]));
    const calendar = await calendarOf(this.queries);
    const context: RagContext = { settings: ragSettingsOn(plan.ragSettings, on).settings, calendar };
    const statuses = rows.map((row) => statusOf(row, on, dueOns, context));
    const actions = statuses.map(({ open: _open, ...view }) => view);
    return {
      planId,
      title: plan.title,
      trigger: plan.trigger,
      ownerId: plan.ownerId,
      on,
      ragSettings: ragSettingsView(plan.ragSettings, on),
      actionPlan: actionPlanDue(plan, on, calendar),
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
          ownerId: r.ownerId ?? null,
          ownerAgency: r.ownerAgency ?? null,
          actionIds: linked.map((s) => s.actionId),
          ...result,
        };
      }),
      actions,
    };
  }
}

@QueryHandler(TeamOutstandingActionsQuery)
export class TeamOutstandingActionsHandler
  extends ReadModelAndQueriesHandler
  implements IQueryHandler<TeamOutstandingActionsQuery>
{
  async execute({ teamId, on, viewerId }: TeamOutstandingActionsQuery): Promise<OutstandingActionsView> {
    const teams = await this.queries.execute(new FindTeamsQuery([teamId]));
    if (teams.length === 0) throw new TeamNotKnown(teamId);
    // teamIds is a JSON column: filtered here rather than with database-specific JSON SQL.
    const rows = (await this.db.getRepository(PlanActionRow).find()).filter((row) => row.teamIds.includes(teamId));
    const calendar = await calendarOf(this.queries);
    const planIds = [...new Set(rows.map((row) => row.planId))];
    const plans = planIds.length
      ? await this.db
          .getRepository(PlanRow)
          .find({ where: planIds.map((planId) => ({ planId })), select: ['planId', 'ragSettings'] })
      : [];
    const settingsOf = new Map(plans.map((p) => [p.planId, ragSettingsOn(p.ragSettings, on).settings]));
    const improvement: OutstandingItemView[] = rows
      .map((row) => statusOf(row, on, {}, { settings: settingsOf.get(row.planId), calendar }))
      .filter((s) => s.open)
      .map((s) => ({
        kind: 'improvement-action',
        actionId: s.actionId,
        planId: rows.find((r) => r.actionId === s.actionId)!.planId,
        title: s.title,
        ownerId: s.ownerId,
        ownerAgency: s.ownerAgency,
        dueOn: s.dueOn,
        overdue: on > s.dueOn,
        rag: s.rag,
        reasons: s.reasons,
      }));
    const { views, included } = await this.auditActions(teamId, on, viewerId);
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
  private async auditActions(
    teamId: string,
    on: string,
    viewerId: string | undefined,
  ): Promise<{ views: AuditActionView[]; included: boolean }> {
    try {
      const views = await this.queries.execute(new ListTeamAuditActionsQuery(teamId, undefined, on, viewerId));
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
  ActionsMeasuredByHandler,
  PlanRagContextHandler,
  PlanStatusHandler,
  TeamOutstandingActionsHandler,
];
