import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { updateRows, type Projection } from '@casetrail/projections';
import type { Confidence, RagSettings } from '@casetrail/kernel';
import type { ActionEvent, PlanEvent, PlanTrigger, Timescale } from '../plans.events';

/**
 * Facts only: no colour is stored. RAG depends on the day asked about, so it is computed at
 * query time from these rows (see plans.queries.ts and libs/kernel/src/rag.ts).
 */
/** One change of a plan's RAG thresholds, in force from `changedOn`. */
export class RagSettingsChange {
  @ApiProperty() changedOn!: string;
  @ApiProperty({
    example: { redFromWorkingDaysOverdue: 0, noUpdateFor: { count: 1, unit: 'months' }, escalateAmberAfterDays: 60 },
  })
  settings!: RagSettings;
  @ApiProperty() reason!: string;
  @ApiProperty() changedBy!: string;
}

@Entity({ name: 'improvement_plans' })
export class PlanRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 60 }) planId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 200 }) title!: string;
  @ApiProperty() @Column({ type: 'simple-json' }) trigger!: PlanTrigger;
  @ApiProperty() @Column({ type: 'varchar', length: 60 }) ownerId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) createdAt!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 60 }) createdBy!: string;
  @ApiProperty({ type: [RagSettingsChange], description: 'Changes of the RAG thresholds, oldest first; none = the defaults.' })
  @Column({ type: 'simple-json', default: '[]' })
  ragSettings!: RagSettingsChange[];
  @ApiProperty({ nullable: true, type: String, description: 'Day the action plan was sent to Ofsted.' })
  @Column({ type: 'varchar', length: 10, nullable: true })
  submittedOn!: string | null;
}

@Entity({ name: 'improvement_priorities' })
export class PlanPriorityRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 60 }) planId!: string;
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 60 }) priorityId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 200 }) title!: string;
  /** Order of adding (the plan's stream revision). */
  @Column({ type: 'integer' }) position!: number;
}

@Entity({ name: 'improvement_recommendations' })
export class PlanRecommendationRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 60 }) planId!: string;
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 60 }) recommendationId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 2000 }) text!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 20 }) timescale!: Timescale;
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) dueOn!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The user who leads on it, if a user.' })
  @Column({ type: 'varchar', length: 60, nullable: true })
  ownerId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The partner agency that leads on it, if an agency.' })
  @Column({ type: 'varchar', length: 120, nullable: true })
  ownerAgency!: string | null;
  @Column({ type: 'integer' }) position!: number;
}

export class ProgressEntry {
  @ApiProperty() reportedOn!: string;
  @ApiProperty({ enum: ['on-track', 'at-risk', 'off-track'] }) confidence!: Confidence;
  @ApiProperty() note!: string;
  @ApiPropertyOptional() evidence?: string;
  @ApiProperty() reportedBy!: string;
}

export class DueDateRevision {
  @ApiProperty() revisedOn!: string;
  @ApiProperty() newDueOn!: string;
  @ApiProperty() previousDueOn!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() approvedBy!: string;
}

/** One completion of an action, kept when the action is reopened so its history still shows it. */
export class CompletionEntry {
  @ApiProperty() completedOn!: string;
  @ApiProperty() evidence!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Unknown for completions recorded before it was kept.' })
  completedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) verifiedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) verifiedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null for the completion in force.' }) reopenedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) reopenReason!: string | null;
}

@Entity({ name: 'improvement_actions' })
export class PlanActionRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 60 }) actionId!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 60 }) planId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 60 }) priorityId!: string;
  @ApiProperty({ type: [String] }) @Column({ type: 'simple-json' }) recommendationIds!: string[];
  @ApiProperty() @Column({ type: 'varchar', length: 200 }) title!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The user who owns it; null when a partner agency does.' })
  @Index()
  @Column({ type: 'varchar', length: 60, nullable: true })
  ownerId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The partner agency that owns it (not a Casetrail user).' })
  @Column({ type: 'varchar', length: 120, nullable: true })
  ownerAgency!: string | null;
  @ApiProperty({ type: [String] }) @Column({ type: 'simple-json' }) teamIds!: string[];
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) startOn!: string;
  /** The due date in force now (the latest revision); originalDueOn is kept to show slippage. */
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) dueOn!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) originalDueOn!: string;
  @ApiProperty({ type: [DueDateRevision] }) @Column({ type: 'simple-json' }) dueDateRevisions!: DueDateRevision[];
  @ApiProperty() @Column({ type: 'varchar', length: 1000 }) successMeasure!: string;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 40, nullable: true }) indicatorCode!:
    string | null;
  @ApiProperty({ type: [ProgressEntry] }) @Column({ type: 'simple-json' }) progress!: ProgressEntry[];
  @ApiProperty({ enum: ['open', 'completed'] }) @Column({ type: 'varchar', length: 10 }) status!: 'open' | 'completed';
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 10, nullable: true }) completedOn!:
    string | null;
  @ApiProperty({ nullable: true, type: String })
  @Column({ type: 'varchar', length: 2000, nullable: true })
  completionEvidence!: string | null;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 60, nullable: true }) completedBy!:
    string | null;
  @ApiProperty({
    type: [CompletionEntry],
    description: 'Every completion, oldest first, with its verification and reopening: earlier ones stay after a reopening.',
  })
  @Column({ type: 'simple-json', default: '[]' })
  completions!: CompletionEntry[];
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 10, nullable: true }) verifiedOn!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 60, nullable: true }) verifiedBy!:
    string | null;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) addedAt!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) revision!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) updatedAt!: string;
}

/** The completions with the latest one changed. */
const withLatest = (completions: CompletionEntry[], change: Partial<CompletionEntry>): CompletionEntry[] =>
  completions.map((c, i) => (i === completions.length - 1 ? { ...c, ...change } : c));

export const plansProjection: Projection = {
  name: 'improvement-plans',
  // 2: completedBy and the history of completions (kept through reopening).
  // 3: RAG settings and submission of the plan; owners may be partner agencies.
  version: 3,
  filter: { streamPrefixes: ['plan-', 'action-'] },
  entities: [PlanRow, PlanPriorityRow, PlanRecommendationRow, PlanActionRow],
  async apply(recorded, manager) {
    const event = recorded as unknown as PlanEvent | ActionEvent;
    const position = Number(recorded.revision);
    const changed = { revision: recorded.revision.toString(), updatedAt: recorded.metadata.recordedAt };
    const action = async (actionId: string): Promise<PlanActionRow> => manager.findOneByOrFail(PlanActionRow, { actionId });
    switch (event.type) {
      case 'ImprovementPlanCreated':
        await manager.insert(PlanRow, {
          ...event.data,
          createdAt: recorded.metadata.occurredAt,
          createdBy: recorded.metadata.actorId,
          ragSettings: [],
          submittedOn: null,
        });
        return;
      case 'PlanRagSettingsChanged': {
        const { planId, settings, changedOn, reason } = event.data;
        const plan = await manager.findOneByOrFail(PlanRow, { planId });
        const change: RagSettingsChange = { changedOn, settings, reason, changedBy: recorded.metadata.actorId };
        await updateRows(manager, PlanRow, { planId }, { ragSettings: [...plan.ragSettings, change] });
        return;
      }
      case 'ActionPlanSubmitted':
        await updateRows(manager, PlanRow, { planId: event.data.planId }, { submittedOn: event.data.submittedOn });
        return;
      case 'InspectionReportPublished': {
        const { planId, publishedOn } = event.data;
        const plan = await manager.findOneByOrFail(PlanRow, { planId });
        await updateRows(manager, PlanRow, { planId }, { trigger: { ...plan.trigger, publishedOn } });
        return;
      }
      case 'PriorityAdded':
        await manager.insert(PlanPriorityRow, { ...event.data, position });
        return;
      case 'RecommendationAdded':
        await manager.insert(PlanRecommendationRow, {
          ...event.data,
          ownerId: event.data.ownerId ?? null,
          ownerAgency: event.data.ownerAgency ?? null,
          position,
        });
        return;
      case 'ActionAdded': {
        // The warning lives in the event (and the trail); views recompute it from the dates in force.
        const { dueAfterRecommendations: _warning, ...data } = event.data;
        await manager.insert(PlanActionRow, {
          ...data,
          indicatorCode: event.data.indicatorCode ?? null,
          ownerId: event.data.ownerId ?? null,
          ownerAgency: event.data.ownerAgency ?? null,
          originalDueOn: event.data.dueOn,
          dueDateRevisions: [],
          progress: [],
          status: 'open',
          completedOn: null,
          completionEvidence: null,
          completedBy: null,
          completions: [],
          verifiedOn: null,
          verifiedBy: null,
          addedAt: recorded.metadata.occurredAt,
          ...changed,
        });
        return;
      }
      case 'ActionProgressReported': {
        const { actionId, reportedOn, confidence, note, evidence } = event.data;
        const entry: ProgressEntry = { reportedOn, confidence, note, reportedBy: recorded.metadata.actorId };
        if (evidence) entry.evidence = evidence;
        const progress = [...(await action(actionId)).progress, entry];
        await updateRows(manager, PlanActionRow, { actionId }, { progress, ...changed });
        return;
      }
      case 'ActionDueDateRevised': {
        const { actionId, ...revision } = event.data;
        const dueDateRevisions = [...(await action(actionId)).dueDateRevisions, revision];
        await updateRows(manager, PlanActionRow, { actionId }, { dueOn: revision.newDueOn, dueDateRevisions, ...changed });
        return;
      }
      case 'ActionCompleted': {
        const { actionId, completedOn, evidence } = event.data;
        const completedBy = event.data.completedBy ?? null;
        const entry: CompletionEntry = {
          completedOn,
          evidence,
          completedBy,
          verifiedOn: null,
          verifiedBy: null,
          reopenedOn: null,
          reopenReason: null,
        };
        const completions = [...(await action(actionId)).completions, entry];
        await updateRows(
          manager,
          PlanActionRow,
          { actionId },
          { status: 'completed', completedOn, completionEvidence: evidence, completedBy, completions, ...changed },
        );
        return;
      }
      case 'ActionCompletionVerified': {
        const { actionId, verifiedOn, verifiedBy } = event.data;
        const completions = withLatest((await action(actionId)).completions, { verifiedOn, verifiedBy });
        await updateRows(manager, PlanActionRow, { actionId }, { verifiedOn, verifiedBy, completions, ...changed });
        return;
      }
      case 'ActionReopened': {
        const { actionId, reopenedOn, reason } = event.data;
        const completions = withLatest((await action(actionId)).completions, { reopenedOn, reopenReason: reason });
        await updateRows(
          manager,
          PlanActionRow,
          { actionId },
          {
            status: 'open',
            completedOn: null,
            completionEvidence: null,
            completedBy: null,
            verifiedOn: null,
            verifiedBy: null,
            completions,
            ...changed,
          },
        );
        return;
      }
    }
  },
};
