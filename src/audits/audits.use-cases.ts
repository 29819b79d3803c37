import { Injectable } from '@nestjs/common';
import { dayOf, DomainError, type DomainEvent, type WorkingDayCalendar } from '@casetrail/kernel';
import type { Principal } from '../shared';
import { CurrentCalendarQuery } from '../calendar';
import { businessToday, type CommandContext, commandHandlerFor, newIdFor, type DecideResult, ContextUseCases } from '../core';
import type { SignedInRequest } from '../auth';
import { FindTeamsQuery, GetTeamQuery } from '../teams';
import { FindTeamManagersQuery, GetUserQuery } from '../users';
import { auditFrameworkDecider, DEFAULT_FRAMEWORK_ID } from './audit-framework.decider';
import { auditProgrammeDecider } from './audit-programme.decider';
import { auditDecider, type AuditCommand } from './audit.decider';
import { auditFrameworkStreamId, auditProgrammeStreamId, auditStreamId } from './audits.events';
import type {
  AgreementParams,
  AuditActionParams,
  AuditIdParam,
  CancelAuditActionDto,
  CompleteAuditActionDto,
  CorrectGradeDto,
  CreateAuditProgrammeDto,
  GradeDomainDto,
  ListAuditsParams,
  ModerateAuditDto,
  ProgrammeIdParam,
  PublishAuditFrameworkDto,
  RaiseAuditActionDto,
  RatingsParams,
  RequestModerationDto,
  ResolveDisagreementDto,
  StartAuditDto,
  SubmitAuditDto,
  TeamAuditActionsParams,
  TeamIdRouteParam,
} from './audits.dto';
import {
  AllRatingsQuery,
  AwaitingModerationQuery,
  FindProgrammeQuery,
  AuditTeamQuery,
  GetAuditQuery,
  GetCurrentFrameworkQuery,
  ListAuditsQuery,
  ListFrameworksQuery,
  ListProgrammesQuery,
  ListTeamAuditActionsQuery,
  ModerationAgreementQuery,
  ProgrammeSummaryQuery,
  TeamRatingsQuery,
  type AllRatings,
  type AuditActionView,
  type AuditListItem,
  type AuditView,
  type ModerationAgreement,
  type ProgrammeSummary,
  type TeamRatings,
} from './audits.queries';
import type { AuditFrameworkRow } from './projections/audit-framework.projection';
import type { AuditProgrammeRow } from './projections/audit-programme.projection';

type ImmediateReviewFacts = { teamManagerId: string | null; immediateReviewActionId: string; calendar: WorkingDayCalendar };
/** A step of recording a whole audit (checkRecord). */
export type AuditRecordStep = { kind: 'start' } | { kind: 'grade'; domain: string } | { kind: 'submit' };
/** The caller: blind moderation leaves out, for them only, the audits waiting for their moderation. */
export type Viewer = { principal: Principal };

const audits = commandHandlerFor(auditDecider, (c) => auditStreamId(c.auditId));
const programmes = commandHandlerFor(auditProgrammeDecider, (c) => auditProgrammeStreamId(c.programmeId));
const frameworks = commandHandlerFor(auditFrameworkDecider, (c) => auditFrameworkStreamId(c.frameworkId));

/**
 * Case audits and their reports. Input is already validated (the DTOs); look-ups in other read
 * models become facts in the command, and the decider rules on them.
 */
@Injectable()
export class AuditUseCases extends ContextUseCases {
  /**
   * Who owns an immediate review if this command makes the case inadequate (the team's manager, else the
   * auditor), and its id: derived from the command id, so a retried request raises the same one.
   */
  private async immediateReviewFacts(auditId: string, context: CommandContext): Promise<ImmediateReviewFacts> {
    return this.reviewFactsFor(await this.queries.execute(new AuditTeamQuery(auditId)), context);
  }

  private async reviewFactsFor(teamId: string, context: CommandContext): Promise<ImmediateReviewFacts> {
    const managers = await this.queries.execute(new FindTeamManagersQuery(teamId));
    return {
      teamManagerId: managers[0]?.userId ?? null,
      immediateReviewActionId: newIdFor(context, 'immediate-review'),
      // Due dates count the bank holidays an administrator recorded too (docs/dispute-rules.md, rule 5).
      calendar: await this.calendar(),
    };
  }

  /** The working-day calendar in force: published and recorded bank holidays. */
  private calendar(): Promise<WorkingDayCalendar> {
    return this.queries.execute(new CurrentCalendarQuery());
  }

  /** An active user with this id exists (for moderators and action owners). */
  private async activeUser(userId: string): Promise<boolean> {
    try {
      const user = await this.queries.execute(new GetUserQuery(userId));
      return user.status === 'active';
    } catch {
      return false;
    }
  }

  /**
   * Starts an audit. The auditor is the actor; an import names the auditor its file's Auditor column
   * names instead (`auditorId`, a registered user it looked up), with the importing user as actor.
   */
  async start(
    body: StartAuditDto,
    context: CommandContext,
    as: { auditorId?: string } = {},
  ): Promise<DecideResult & { auditId: string }> {
    // Derived from the command id: a retry with the same Idempotency-Key names the same audit (and appends nothing).
    const auditId = body.auditId ?? newIdFor(context, 'audit');
    const command = await this.startCommand(body, auditId, as.auditorId ?? context.actorId, context);
    const result = await audits.send(this.commands, command, context);
    return { auditId, ...result };
  }

  private async startCommand(
    body: StartAuditDto,
    auditId: string,
    auditorId: string,
    context: CommandContext,
  ): Promise<AuditCommand> {
    const [teams, framework, programme] = await Promise.all([
      this.queries.execute(new FindTeamsQuery([body.teamId])),
      this.queries.execute(new GetCurrentFrameworkQuery(body.frameworkId ?? DEFAULT_FRAMEWORK_ID)),
      body.programmeId ? this.queries.execute(new FindProgrammeQuery(body.programmeId)) : Promise.resolve(null),
    ]);
    return {
      type: 'StartCaseAudit',
      now: context.now,
      auditId,
      caseRef: body.caseRef,
      teamId: body.teamId,
      auditorId,
      auditedOn: body.auditedOn,
      team: teams[0] ? { status: teams[0].status } : null,
      framework: framework
        ? {
            frameworkId: framework.frameworkId,
            version: framework.version,
            domains: framework.domains.map((d) => d.key),
            limitingDomains: framework.domains.filter((d) => d.limiting).map((d) => d.key),
          }
        : null,
      ...(body.programmeId !== undefined ? { programmeId: body.programmeId, programme } : {}),
    };
  }

  grade({ id }: AuditIdParam, body: GradeDomainDto, context: CommandContext): Promise<DecideResult> {
    return audits.send(this.commands, this.gradeCommand(id, body, context), context);
  }

  private gradeCommand(auditId: string, body: GradeDomainDto, context: CommandContext): AuditCommand {
    return {
      type: 'GradeDomain',
      now: context.now,
      auditId,
      domain: body.domain,
      grade: body.grade,
      evidence: body.evidence ?? '',
    };
  }

  async submit({ id }: AuditIdParam, body: SubmitAuditDto, context: CommandContext): Promise<DecideResult> {
    const facts = await this.immediateReviewFacts(id, context);
    return audits.send(this.commands, this.submitCommand(id, body, facts, context), context);
  }

  private submitCommand(
    auditId: string,
    body: SubmitAuditDto,
    facts: ImmediateReviewFacts,
    context: CommandContext,
  ): AuditCommand {
    return {
      type: 'SubmitAudit',
      now: context.now,
      auditId,
      submittedOn: body.submittedOn ?? dayOf(context.now),
      overallGrade: body.overallGrade,
      strengths: body.strengths ?? [],
      areasForDevelopment: body.areasForDevelopment ?? [],
      ...(body.childAndFamilyFeedback !== undefined ? { childAndFamilyFeedback: body.childAndFamilyFeedback } : {}),
      ...(body.overallGradeReason !== undefined ? { overallGradeReason: body.overallGradeReason } : {}),
      ...facts,
    };
  }

  /**
   * Would this whole audit be accepted: started, each domain graded, submitted? The same look-ups
   * and commands as start, grade and submit, decided in turn on the audit's stream (each after the
   * events the ones before it would append) through the generic handler's check, appending nothing.
   * An import's dry run and first pass. Answers the step whose rule is broken and its typed error.
   */
  async checkRecord(
    record: { start: StartAuditDto & { auditId: string }; grades: GradeDomainDto[]; submit: SubmitAuditDto },
    contextOf: (step: AuditRecordStep) => CommandContext,
    as: { auditorId?: string } = {},
  ): Promise<{ step: AuditRecordStep; error: DomainError } | null> {
    const { auditId } = record.start;
    const after: DomainEvent[] = [];
    const attempt = async (step: AuditRecordStep, build: (context: CommandContext) => Promise<AuditCommand>) => {
      const context = contextOf(step);
      try {
        after.push(...(await audits.check(this.commands, await build(context), context, after)));
        return null;
      } catch (error) {
        if (error instanceof DomainError) return { step, error };
        throw error;
      }
    };
    const started = await attempt({ kind: 'start' }, (c) =>
      this.startCommand(record.start, auditId, as.auditorId ?? c.actorId, c),
    );
    if (started) return started;
    for (const grade of record.grades) {
      const graded = await attempt({ kind: 'grade', domain: grade.domain }, async (c) => this.gradeCommand(auditId, grade, c));
      if (graded) return graded;
    }
    return attempt({ kind: 'submit' }, async (c) =>
      this.submitCommand(auditId, record.submit, await this.reviewFactsFor(record.start.teamId, c), c),
    );
  }

  async correct({ id }: AuditIdParam, body: CorrectGradeDto, context: CommandContext): Promise<DecideResult> {
    const facts = await this.immediateReviewFacts(id, context);
    return this.send(
      audits,
      {
        type: 'CorrectGrade',
        auditId: id,
        domain: body.domain,
        to: body.to,
        reason: body.reason,
        correctedBy: context.actorId,
        ...facts,
      },
      context,
    );
  }

  async resolveDisagreement({ id }: AuditIdParam, body: ResolveDisagreementDto, context: CommandContext): Promise<DecideResult> {
    const facts = await this.immediateReviewFacts(id, context);
    return this.send(
      audits,
      {
        type: 'ResolveModerationDisagreement',
        auditId: id,
        resolvedBy: context.actorId,
        overallGrade: body.overallGrade,
        rationale: body.rationale,
        ...facts,
      },
      context,
    );
  }

  async requestModeration({ id }: AuditIdParam, body: RequestModerationDto, context: CommandContext): Promise<DecideResult> {
    const moderatorKnown = await this.activeUser(body.moderatorId);
    return this.send(audits, { type: 'RequestModeration', auditId: id, moderatorId: body.moderatorId, moderatorKnown }, context);
  }

  async moderate({ id }: AuditIdParam, body: ModerateAuditDto, context: CommandContext): Promise<DecideResult> {
    const facts = await this.immediateReviewFacts(id, context);
    return this.send(
      audits,
      {
        type: 'ModerateAudit',
        auditId: id,
        moderatorId: context.actorId,
        overallGrade: body.overallGrade,
        ...(body.domainGrades !== undefined ? { domainGrades: body.domainGrades } : {}),
        ...(body.agreed !== undefined ? { agreed: body.agreed } : {}),
        rationale: body.rationale,
        ...facts,
      },
      context,
    );
  }

  async raiseAction(
    { id }: AuditIdParam,
    body: RaiseAuditActionDto,
    context: CommandContext,
  ): Promise<DecideResult & { actionId: string }> {
    const actionId = newIdFor(context, 'audit-action');
    const ownerKnown = await this.activeUser(body.ownerId);
    const result = await this.send(
      audits,
      {
        type: 'RaiseAuditAction',
        auditId: id,
        actionId,
        description: body.description,
        ownerId: body.ownerId,
        ownerKnown,
        raisedOn: body.raisedOn ?? dayOf(context.now),
        ...(body.dueOn !== undefined ? { dueOn: body.dueOn } : { calendar: await this.calendar() }),
      },
      context,
    );
    // On a replayed command the recorded action id is the one that counts.
    const raised = result.events.find((e) => e.type === 'AuditActionRaised')?.data as { actionId: string } | undefined;
    return { actionId: raised?.actionId ?? actionId, ...result };
  }

  completeAction(
    { id, actionId }: AuditActionParams,
    body: CompleteAuditActionDto,
    context: CommandContext,
  ): Promise<DecideResult> {
    return this.send(
      audits,
      {
        type: 'CompleteAuditAction',
        auditId: id,
        actionId,
        completedOn: body.completedOn ?? dayOf(context.now),
        evidence: body.evidence,
        ...(body.safeguardingActionNeeded !== undefined ? { safeguardingActionNeeded: body.safeguardingActionNeeded } : {}),
      },
      context,
    );
  }

  cancelAction({ id, actionId }: AuditActionParams, body: CancelAuditActionDto, context: CommandContext): Promise<DecideResult> {
    return this.send(
      audits,
      {
        type: 'CancelAuditAction',
        auditId: id,
        actionId,
        cancelledOn: body.cancelledOn ?? dayOf(context.now),
        reason: body.reason,
      },
      context,
    );
  }

  list(params: ListAuditsParams, request: SignedInRequest, teams: string[] | null): Promise<AuditListItem[]> {
    return this.queries.execute(
      new ListAuditsQuery({ ...params, ...(teams ? { teamIds: teams } : {}) }, request.principal.userId),
    );
  }

  get({ id }: AuditIdParam, request: SignedInRequest): Promise<AuditView> {
    return this.queries.execute(new GetAuditQuery(id, request.principal.userId, businessToday()));
  }

  // Reports: read-only figures.

  async teamRatings({ teamId }: TeamIdRouteParam, params: RatingsParams, request: Viewer): Promise<TeamRatings> {
    await this.queries.execute(new GetTeamQuery(teamId));
    return this.queries.execute(new TeamRatingsQuery(teamId, params, request.principal.userId));
  }

  async ratings(params: RatingsParams, request: Viewer, scope: string[] | null = null): Promise<AllRatings> {
    const all: AllRatings = await this.queries.execute(new AllRatingsQuery(params, request.principal.userId));
    // A team manager: their teams' rows; the council-wide total (allTeams) stays (docs/security.md).
    return scope ? { ...all, teams: all.teams.filter((row) => scope.includes(row.teamId)) } : all;
  }

  async teamActions({ teamId }: TeamIdRouteParam, params: TeamAuditActionsParams, request: Viewer): Promise<AuditActionView[]> {
    await this.queries.execute(new GetTeamQuery(teamId));
    return this.queries.execute(
      new ListTeamAuditActionsQuery(teamId, params.status, params.on ?? businessToday(), request.principal.userId),
    );
  }

  /** How many of the team's audits wait for the caller's moderation (what the actions page says it left out). */
  async awaitingModeration(teamId: string | undefined, request: Viewer): Promise<number> {
    const ids: string[] = await this.queries.execute(new AwaitingModerationQuery(request.principal.userId, teamId));
    return ids.length;
  }

  agreement(params: AgreementParams): Promise<ModerationAgreement> {
    return this.queries.execute(new ModerationAgreementQuery(params));
  }
}

/** Audit programmes: monthly, thematic, deep-dive, multi-agency and re-audits. */
@Injectable()
export class AuditProgrammeUseCases extends ContextUseCases {
  async create(body: CreateAuditProgrammeDto, context: CommandContext): Promise<DecideResult & { programmeId: string }> {
    // Derived from the command id: a retry with the same Idempotency-Key names the same programme (and appends nothing).
    const programmeId = body.programmeId ?? newIdFor(context, 'audit-programme');
    const [teams, original] = await Promise.all([
      this.queries.execute(new FindTeamsQuery(body.teamIds)),
      body.reAuditOf ? this.queries.execute(new FindProgrammeQuery(body.reAuditOf)) : Promise.resolve(null),
    ]);
    const result = await this.send(
      programmes,
      {
        type: 'CreateAuditProgramme',
        programmeId,
        title: body.title,
        kind: body.kind,
        ...(body.theme !== undefined ? { theme: body.theme } : {}),
        from: body.from,
        to: body.to,
        teamIds: body.teamIds,
        knownTeamIds: teams.map((t) => t.teamId),
        ...(body.reAuditOf !== undefined ? { reAuditOf: body.reAuditOf, reAuditOfExists: original !== null } : {}),
      },
      context,
    );
    return { programmeId, ...result };
  }

  list(): Promise<AuditProgrammeRow[]> {
    return this.queries.execute(new ListProgrammesQuery());
  }

  summary({ id }: ProgrammeIdParam, request: Viewer): Promise<ProgrammeSummary> {
    return this.queries.execute(new ProgrammeSummaryQuery(id, request.principal.userId));
  }
}

/** Audit frameworks: each publication is a new version; audits already started keep theirs. */
@Injectable()
export class AuditFrameworkUseCases extends ContextUseCases {
  publish(body: PublishAuditFrameworkDto, context: CommandContext): Promise<DecideResult> {
    const frameworkId = body.frameworkId ?? DEFAULT_FRAMEWORK_ID;
    const domains = body.domains.map(({ key, title, guidance, limiting }) => ({
      key,
      title,
      guidance,
      ...(limiting ? { limiting: true } : {}),
    }));
    return this.send(frameworks, { type: 'PublishAuditFramework', frameworkId, domains }, context);
  }

  list(): Promise<AuditFrameworkRow[]> {
    return this.queries.execute(new ListFrameworksQuery());
  }
}
