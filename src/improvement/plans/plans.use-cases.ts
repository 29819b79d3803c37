import { Injectable } from '@nestjs/common';
import { dayOf, NotFoundError } from '@casetrail/kernel';
import { ContextUseCases, businessToday, type CommandContext, commandHandlerFor, newIdFor, type DecideResult } from '../../core';
import { API_POLICY, type SignedInRequest } from '../../auth';
import type { Principal, Role } from '../../shared';
import { FindIndicatorQuery } from '../indicators';
import { FindTeamsQuery } from '../../teams';
import { GetUserQuery } from '../../users';
import { actionDecider, type ActionCommand } from './action.decider';
import { planDecider, type PlanCommand } from './plan.decider';
import { actionStreamId, planStreamId } from './plans.events';
import {
  AddActionDto,
  AddPriorityDto,
  AddRecommendationDto,
  ChangeRagSettingsDto,
  CompleteActionDto,
  CreatePlanDto,
  IdParam,
  LinkFindingDto,
  OnDayParams,
  ReopenActionDto,
  ReportProgressDto,
  ReviseDueDateDto,
  SubmitActionPlanDto,
  RecordReportPublicationDto,
  TeamIdParam,
  VerifyActionDto,
} from './plans.dto';
import {
  actionRag,
  dueDateWarnings,
  ActionDetailView,
  GetActionQuery,
  GetPlanReferencesQuery,
  ListPlansQuery,
  OutstandingActionsView,
  PlanStatusQuery,
  PlanStatusView,
  PlanRagContextQuery,
  TeamOutstandingActionsQuery,
} from './plans.queries';

import { PlanRow } from './projections/plan.projection';
import { lookUpFinding } from './finding-facts';

/** Who may update an action they own (report progress, change its due date, complete it): the policy's roles. */
const UPDATE_ACTION = API_POLICY['POST /api/v1/actions/:id/progress'];
export const ACTION_UPDATER_ROLES: readonly Role[] = 'roles' in UPDATE_ACTION ? UPDATE_ACTION.roles : [];

const plans = commandHandlerFor(planDecider, (c) => planStreamId(c.planId));
const actions = commandHandlerFor(actionDecider, (c) => actionStreamId(c.actionId));

/**
 * Improvement plans and their actions. Input is already validated (the DTOs); the facts the rules
 * need from other contexts are looked up here; an id the caller left out is derived from the command id.
 */
@Injectable()
export class PlanUseCases extends ContextUseCases {
  private async userIsActive(userId: string): Promise<boolean> {
    try {
      return (await this.queries.execute(new GetUserQuery(userId))).status === 'active';
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** An action owner's facts: active, and allowed to update the action (an inspector never is). */
  private async actionOwner(userId: string): Promise<{ known: boolean; mayUpdate: boolean; name?: string }> {
    try {
      const user = await this.queries.execute(new GetUserQuery(userId));
      return { known: user.status === 'active', mayUpdate: ACTION_UPDATER_ROLES.includes(user.role), name: user.name };
    } catch (error) {
      if (error instanceof NotFoundError) return { known: false, mayUpdate: false };
      throw error;
    }
  }

  async create(body: CreatePlanDto, request: SignedInRequest, context: CommandContext): Promise<DecideResult> {
    const planId = body.planId ?? newIdFor(context, 'plan');
    const ownerId = body.ownerId ?? request.principal.userId;
    const trigger = { ...body.trigger };
    const command: PlanCommand = {
      type: 'CreatePlan',
      now: context.now,
      planId,
      title: body.title,
      trigger,
      ownerId,
      ownerKnown: await this.userIsActive(ownerId),
    };
    return plans.send(this.commands, command, context);
  }

  addPriority({ id }: IdParam, body: AddPriorityDto, context: CommandContext): Promise<DecideResult> {
    const priorityId = body.priorityId ?? newIdFor(context, 'priority');
    return this.send(plans, { type: 'AddPriority', planId: id, priorityId, title: body.title }, context);
  }

  async addRecommendation({ id }: IdParam, body: AddRecommendationDto, context: CommandContext): Promise<DecideResult> {
    const recommendationId = body.recommendationId ?? newIdFor(context, 'recommendation');
    const { text, timescale, dueOn, ownerId, ownerAgency } = body;
    return this.send(
      plans,
      {
        type: 'AddRecommendation',
        planId: id,
        recommendationId,
        text,
        timescale,
        ...(dueOn ? { dueOn } : {}),
        ...(ownerId ? { ownerId, ownerKnown: await this.userIsActive(ownerId) } : {}),
        ...(ownerAgency ? { ownerAgency } : {}),
      },
      context,
    );
  }

  changeRagSettings({ id }: IdParam, body: ChangeRagSettingsDto, context: CommandContext): Promise<DecideResult> {
    const { redFromWorkingDaysOverdue, noUpdateFor, escalateAmberAfterDays, reason } = body;
    return this.send(
      plans,
      {
        type: 'ChangeRagSettings',
        planId: id,
        settings: {
          redFromWorkingDaysOverdue,
          noUpdateFor: { count: noUpdateFor.count, unit: noUpdateFor.unit },
          escalateAmberAfterDays,
        },
        reason,
      },
      context,
    );
  }

  submit({ id }: IdParam, body: SubmitActionPlanDto, context: CommandContext): Promise<DecideResult> {
    const submittedOn = body.submittedOn ?? dayOf(context.now);
    return this.send(plans, { type: 'SubmitActionPlan', planId: id, submittedOn }, context);
  }

  recordPublication(
    { id }: IdParam,
    { publishedOn }: RecordReportPublicationDto,
    context: CommandContext,
  ): Promise<DecideResult> {
    return this.send(plans, { type: 'RecordReportPublication', planId: id, publishedOn }, context);
  }

  async addAction({ id }: IdParam, body: AddActionDto, context: CommandContext): Promise<DecideResult> {
    const actionId = body.actionId ?? newIdFor(context, 'action');
    const { actionId: _given, indicatorCode, ...data } = body;
    // The facts the rules need from the plan and other contexts, looked up just before deciding.
    const [plan, owner, teams, indicator, finding] = await Promise.all([
      this.queries.execute(new GetPlanReferencesQuery(id)),
      body.ownerId ? this.actionOwner(body.ownerId) : Promise.resolve({ known: false, mayUpdate: false, name: undefined }),
      this.queries.execute(new FindTeamsQuery(body.teamIds)),
      indicatorCode ? this.queries.execute(new FindIndicatorQuery(indicatorCode)) : Promise.resolve(null),
      lookUpFinding(this.queries, body.finding, context.actorId),
    ]);
    const unknownTeamIds = body.teamIds.filter((teamId) => !teams.some((team) => team.teamId === teamId));
    const command: ActionCommand = {
      type: 'AddAction',
      now: context.now,
      references: {
        plan,
        ownerKnown: owner.known,
        ownerMayUpdate: owner.mayUpdate,
        ...(owner.name ? { ownerName: owner.name } : {}),
        unknownTeamIds,
        indicatorKnown: !indicatorCode || indicator !== null,
        finding,
        // The policy lets QA officers reach the route; the decider keeps them to findings.
        findingRequired: context.actorRole === 'qa-officer',
      },
      actionId,
      planId: id,
      ...data,
      ...(indicatorCode ? { indicatorCode } : {}),
    };
    return actions.send(this.commands, command, context);
  }

  /** Links an existing action to one more audit finding it answers (looked up as the caller sees the audit). */
  async linkFinding({ id }: IdParam, body: LinkFindingDto, context: CommandContext): Promise<DecideResult> {
    const finding = { auditId: body.auditId, domain: body.domain };
    const facts = await lookUpFinding(this.queries, finding, context.actorId);
    return this.send(actions, { type: 'LinkFinding', actionId: id, finding, facts }, context);
  }

  listPlans(): Promise<PlanRow[]> {
    return this.queries.execute(new ListPlansQuery());
  }

  status({ id }: IdParam, { on }: OnDayParams): Promise<PlanStatusView> {
    return this.queries.execute(new PlanStatusQuery(id, on ?? businessToday()));
  }

  async getAction({ id }: IdParam, { on }: OnDayParams): Promise<ActionDetailView> {
    const row = await this.queries.execute(new GetActionQuery(id));
    const day = on ?? businessToday();
    const { rag, reasons, dueOn, lateWorkingDays } = actionRag(
      row,
      day,
      await this.queries.execute(new PlanRagContextQuery(row.planId, day)),
    );
    const plan = await this.queries.execute(new GetPlanReferencesQuery(row.planId));
    const warnings = dueDateWarnings(row.recommendationIds, dueOn, plan?.recommendationDueOns ?? {});
    return { ...row, on: day, rag, reasons, warnings, lateWorkingDays };
  }

  async progress({ id }: IdParam, body: ReportProgressDto, context: CommandContext): Promise<DecideResult> {
    const { note, confidence, evidence } = body;
    const reportedOn = body.reportedOn ?? dayOf(context.now);
    return this.send(
      actions,
      { type: 'ReportProgress', actionId: id, reportedOn, note, confidence, ...(evidence ? { evidence } : {}) },
      context,
    );
  }

  async reviseDueDate({ id }: IdParam, body: ReviseDueDateDto, context: CommandContext): Promise<DecideResult> {
    const { newDueOn, reason, approvedBy } = body;
    const revisedOn = body.revisedOn ?? dayOf(context.now);
    return this.send(actions, { type: 'ReviseDueDate', actionId: id, newDueOn, reason, approvedBy, revisedOn }, context);
  }

  async complete({ id }: IdParam, body: CompleteActionDto, context: CommandContext): Promise<DecideResult> {
    const completedOn = body.completedOn ?? dayOf(context.now);
    return this.send(
      actions,
      {
        type: 'CompleteAction',
        actionId: id,
        completedOn,
        evidence: body.evidence,
        completedBy: context.actorId,
      },
      context,
    );
  }

  verify({ id }: IdParam, body: VerifyActionDto, context: CommandContext): Promise<DecideResult> {
    const verifiedOn = body.verifiedOn ?? dayOf(context.now);
    return this.send(actions, { type: 'VerifyCompletion', actionId: id, verifiedBy: context.actorId, verifiedOn }, context);
  }

  reopen({ id }: IdParam, body: ReopenActionDto, context: CommandContext): Promise<DecideResult> {
    return this.send(
      actions,
      {
        type: 'ReopenAction',
        actionId: id,
        reason: body.reason,
        reopenedOn: body.reopenedOn ?? dayOf(context.now),
      },
      context,
    );
  }

  outstanding({ teamId }: TeamIdParam, { on }: OnDayParams, request: { principal: Principal }): Promise<OutstandingActionsView> {
    return this.queries.execute(new TeamOutstandingActionsQuery(teamId, on ?? businessToday(), request.principal.userId));
  }
}
