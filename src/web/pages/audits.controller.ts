import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { dayOf } from '@casetrail/kernel';
import {
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
  RaiseAuditActionDto,
  RequestModerationDto,
  ResolveDisagreementDto,
  StartAuditDto,
  SubmitAuditDto,
  TeamAuditActionsParams,
  TeamIdRouteParam,
  GRADES,
  OVERALL,
  OVERALL_GRADES,
  PROGRAMME_KINDS,
  type AuditActionView,
  type AuditView,
  type ProgrammeSummary,
  AuditActionNotFound,
} from '../../audits';
import type { Principal } from '../../shared';
import type { CommandContext } from '../../core';
import { ListUsersQuery } from '../../users';
import { ApiControllers } from '../api-controllers';
import { csv, sendCsv } from '../csv';
import { dateFieldIds, dateItems, dayFromParts, partsOfDay, typedParts } from '../dates';
import { filled, noProblems, problemsFrom, submitForm, teamSelectItems, validated, type FormProblems } from '../forms';
import { hrefWith, type SignedIn } from '../page-helpers';
import { words } from '../views';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import type { WebRequest } from '../web-request';
import { mergeProblems, pageContext } from './sign-in.controller';

/** A date input's boxes as shown: after a post, exactly what was typed (even half a date); otherwise the value's. */
const dateParts = (request: WebRequest, name: string, value: unknown): { day: string; month: string; year: string } =>
  request.method === 'POST'
    ? typedParts(request.body as Record<string, unknown> | undefined, name)
    : partsOfDay(value as string | undefined);
const ACTION_STATUSES = [
  { value: '', text: 'Outstanding (open and overdue)' },
  { value: 'open', text: 'Open, not yet due' },
  { value: 'overdue', text: 'Overdue' },
  { value: 'completed', text: 'Completed' },
];

/** What GET /api/v1/audits filters on; the page, its CSV link and the CSV keep the same ones. */
/** A QA officer or admin who is neither the auditor nor the moderator, while the disagreement is undecided. */
const mayResolve = (principal: Principal, audit: AuditView): boolean =>
  mayAudit(principal) &&
  audit.moderation !== undefined &&
  audit.moderation !== null &&
  audit.moderation.status === 'moderated' &&
  audit.moderation.overallGrade !== audit.moderation.auditorOverallGrade &&
  !audit.moderation.resolution &&
  principal.userId !== audit.auditorId &&
  principal.userId !== audit.moderation.moderatorId;

/** The banner after a form on the audit's own page. */
const DONE: Record<string, string> = {
  corrected: 'Grade corrected.',
  'disagreement-resolved': 'Decision on the disagreement recorded.',
  'moderation-requested': 'Moderation requested.',
  moderated: 'Moderation recorded.',
  'action-raised': 'Action raised.',
  'action-completed': 'Action completed.',
  'action-cancelled': 'Action cancelled.',
};

const LIST_FILTERS = ['teamId', 'programmeId', 'status', 'from', 'to'] as const;

/** The two ways to close an audit action: the same form with its own field names, words and API command. */
const CLOSE_ACTION = {
  complete: {
    textField: 'evidence',
    dateField: 'completedOn',
    done: 'action-completed',
    labels: { evidence: 'Evidence', completedOn: 'Date completed', safeguardingActionNeeded: 'Immediate safeguarding action' },
    reword: (given: boolean) => ({
      evidence: given ? 'The evidence must be 2,000 characters or fewer' : 'Give the evidence that the action is done',
      completedOn: 'The date completed must be a real date, for example 2 6 2026',
    }),
    /** An immediate review's answer: was immediate safeguarding action needed? */
    answerField: 'safeguardingActionNeeded',
    send: async (api: ApiControllers, ids: AuditActionParams, values: Record<string, unknown>, context: CommandContext) =>
      api.audits.completeAction(ids, await validated(CompleteAuditActionDto, values), context),
  },
  cancel: {
    textField: 'reason',
    dateField: 'cancelledOn',
    done: 'action-cancelled',
    labels: { reason: 'Reason', cancelledOn: 'Date cancelled' },
    reword: (given: boolean) => ({
      reason: given ? 'The reason must be 1,000 characters or fewer' : 'Give the reason for cancelling the action',
      cancelledOn: 'The date cancelled must be a real date, for example 2 6 2026',
    }),
    answerField: null,
    send: async (api: ApiControllers, ids: AuditActionParams, values: Record<string, unknown>, context: CommandContext) =>
      api.audits.cancelAction(ids, await validated(CancelAuditActionDto, values), context),
  },
};

const START_LABELS = { caseRef: 'Case reference', teamId: 'Team', auditedOn: 'Date of the audit' };
const mayAudit = (principal: Principal | undefined): boolean => principal?.role === 'qa-officer' || principal?.role === 'admin';
const lines = (value: unknown): string[] | undefined => {
  const list =
    typeof value === 'string'
      ? value
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
      : [];
  return list.length ? list : undefined;
};

/** Case audits: list, start, grade every domain on one page, submit; the immediate review shows at once. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller('audits')
export class AuditPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  private async listed(request: SignedIn): Promise<{
    filters: Record<string, unknown>;
    problems: FormProblems;
    audits: Awaited<ReturnType<ApiControllers['audits']['list']>>;
  }> {
    const filters = filled(request.query as Record<string, unknown>, LIST_FILTERS);
    try {
      const params = await validated(ListAuditsParams, filters);
      return { filters, problems: noProblems(), audits: await this.api.audits.list(params, request, request.teamScope ?? null) };
    } catch (error) {
      return {
        filters,
        problems: problemsFrom(error, {
          labels: { from: 'From', to: 'To', teamId: 'Team', status: 'Status', programmeId: 'Programme' },
        }),
        audits: [],
      };
    }
  }

  @Get()
  async list(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const [{ filters, problems, audits }, teams, { programmes, summaries }] = await Promise.all([
      this.listed(request),
      this.api.teams.list({ includeClosed: 'true' }),
      programmeSummaries(this.api, request),
    ]);
    this.views.send(
      request,
      response,
      'audits/list.njk',
      {
        title: 'Case audits',
        audits,
        filters,
        csvHref: hrefWith('/audits.csv', filters),
        teamItems: [
          { value: '', text: 'All teams' },
          ...teams.map((t) => ({ value: t.teamId, text: t.name, selected: filters.teamId === t.teamId })),
        ],
        statusItems: [
          { value: '', text: 'Any status' },
          ...['in-progress', 'submitted', 'moderation-requested', 'moderated'].map((s) => ({
            value: s,
            text: words(s),
            selected: filters.status === s,
          })),
        ],
        programmeItems: [
          { value: '', text: 'Any programme' },
          ...programmes.map((p) => ({ value: p.programmeId, text: p.title, selected: filters.programmeId === p.programmeId })),
        ],
        mayStart: mayAudit(request.principal),
        summaries,
        // A team manager reads their own teams' actions only (the policy refuses the others).
        actionTeams: teams.filter(
          (t) =>
            t.status !== 'closed' && (request.principal.role !== 'team-manager' || request.principal.teamIds.includes(t.teamId)),
        ),
        ...problems,
      },
      problems.errorList.length ? 400 : 200,
    );
  }

  @Get('start')
  async startPage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showStart(
      request,
      response,
      { caseRef: '', teamId: '', auditedOn: dayOf(new Date().toISOString()) },
      noProblems(),
    );
  }

  @Post('start')
  async start(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values = { ...filled(request.body, ['caseRef', 'teamId']), auditedOn: dayFromParts(request.body, 'auditedOn') };
    await submitForm({
      run: async () => {
        const { auditId } = await this.api.audits.start(await validated(StartAuditDto, values), pageContext(request));
        response.redirect(303, `/audits/${encodeURIComponent(auditId)}`);
      },
      problems: {
        labels: START_LABELS,
        idOf: dateFieldIds(['auditedOn']),
        fieldOf: { TEAM_CLOSED: 'teamId', UNKNOWN_TEAM: 'teamId', BUSINESS_DATE_IN_FUTURE: 'auditedOn' },
      },
      onProblems: (problems) => this.showStart(request, response, values, problems, 400),
    });
  }

  private async showStart(
    request: SignedIn,
    response: Response,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const teams = await this.api.teams.list({});
    this.views.send(
      request,
      response,
      'audits/start.njk',
      {
        title: 'Start a case audit',
        values,
        teamItems: teamSelectItems(teams, values.teamId),
        auditedOnItems: dateItems(partsOfDay(values.auditedOn as string | undefined), 'auditedOn' in problems.errors),
        noTeams: teams.length === 0,
        ...problems,
      },
      status,
    );
  }

  @Get(':id')
  async show(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    await this.showAudit(request, response, id, {}, noProblems());
  }

  /**
   * Every domain's grade and evidence in one post, each recorded as the API records it (one
   * DomainGraded per changed domain); with "Save and submit", then the submission. Nothing is
   * sent until every field is valid.
   */
  @Post(':id')
  async grade(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    const audit = await this.api.audits.get({ id }, request);
    const body = request.body ?? {};
    const submitting = body.intent === 'submit';
    const values: Record<string, unknown> = { ...body };
    let problems = noProblems();
    const grades: GradeDomainDto[] = [];
    for (const domain of audit.domains) {
      const grade = body[`grade-${domain}`];
      const evidence = typeof body[`evidence-${domain}`] === 'string' ? String(body[`evidence-${domain}`]) : '';
      if (grade === undefined && !evidence.trim()) continue;
      try {
        grades.push(await validated(GradeDomainDto, { domain, grade, ...(evidence.trim() ? { evidence } : {}) }));
      } catch (error) {
        const found = problemsFrom(error);
        // The messages name the field; say which domain they are about.
        const field = found.errors.grade ? `grade-${domain}` : `evidence-${domain}`;
        const text = found.errors.grade
          ? `Choose a grade for ${words(domain).toLowerCase()}`
          : `${words(domain)}: ${Object.values(found.errors)[0]}`;
        problems = mergeProblems(problems, { errors: { [field]: text }, errorList: [{ text, href: `#${field}` }] });
      }
    }
    let submission: SubmitAuditDto | null = null;
    if (submitting) {
      try {
        submission = await validated(SubmitAuditDto, {
          ...(body.overallGrade ? { overallGrade: body.overallGrade } : {}),
          ...(lines(body.strengths) ? { strengths: lines(body.strengths) } : {}),
          ...(lines(body.areasForDevelopment) ? { areasForDevelopment: lines(body.areasForDevelopment) } : {}),
          ...filled(body, ['overallGradeReason']),
        });
      } catch (error) {
        const found = problemsFrom(error, { labels: { strengths: 'Strengths', areasForDevelopment: 'Areas for development' } });
        if (found.errors.overallGrade) {
          found.errors.overallGrade = 'Choose the overall grade';
          found.errorList = found.errorList.map((e) =>
            e.href === '#overallGrade' ? { text: 'Choose the overall grade', href: '#overallGrade' } : e,
          );
        }
        problems = mergeProblems(problems, found);
      }
    }
    if (problems.errorList.length) return this.showAudit(request, response, id, values, problems, 400);
    try {
      const context = pageContext(request);
      for (const [index, dto] of grades.entries()) {
        const current = audit.grades?.[dto.domain];
        if (current && current.grade === dto.grade && current.evidence === (dto.evidence ?? '')) continue;
        await this.api.audits.grade({ id }, dto, { ...context, commandId: `${context.commandId}:grade:${index}` });
      }
      if (submission) await this.api.audits.submit({ id }, submission, { ...context, commandId: `${context.commandId}:submit` });
    } catch (error) {
      const found = problemsFrom(error, {
        fieldOf: {
          OVERALL_GRADE_REQUIRED: 'overallGrade',
          LIMITING_DOMAIN_INADEQUATE: 'overallGradeReason',
          OVERALL_BETTER_THAN_DOMAINS: 'overallGradeReason',
        },
        formId: 'grading',
      });
      return this.showAudit(request, response, id, values, found, 400);
    }
    response.redirect(303, `/audits/${encodeURIComponent(id)}${submission ? '?submitted=1' : '?saved=1'}`);
  }

  private async showAudit(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const audit: AuditView = await this.api.audits.get({ id }, request);
    const [frameworks, users] = await Promise.all([this.api.auditFrameworks.list(), this.usersById()]);
    const framework = frameworks.find((f) => f.frameworkId === audit.frameworkId && f.version === audit.frameworkVersion);
    const titles = new Map((framework?.domains ?? []).map((d) => [d.key, d]));
    const editable = audit.status === 'in-progress' && mayAudit(request.principal);
    const domains = audit.domains.map((key) => {
      const current = audit.grades?.[key];
      const chosen = (values[`grade-${key}`] as string | undefined) ?? current?.grade;
      return {
        key,
        title: titles.get(key)?.title ?? words(key),
        guidance: titles.get(key)?.guidance ?? '',
        grade: current?.grade ?? null,
        effective: audit.effectiveDomainGrades?.[key] ?? null,
        evidence: (values[`evidence-${key}`] as string | undefined) ?? current?.evidence ?? '',
        items: GRADES.map((g) => ({ value: g, text: words(g), checked: chosen === g })),
        error: problems.errors[`grade-${key}`],
        evidenceError: problems.errors[`evidence-${key}`],
      };
    });
    this.views.send(
      request,
      response,
      'audits/show.njk',
      {
        title: `Audit of ${audit.caseRef}`,
        audit,
        domains,
        editable,
        values,
        overallItems: OVERALL_GRADES.map((g) => ({ value: g, text: words(g), checked: values.overallGrade === g })),
        actions: audit.actions.map((a) => ({
          ...a,
          ownerName: users.get(a.ownerId) ?? a.ownerId,
          mayComplete:
            a.status === 'open' &&
            (mayAudit(request.principal) ||
              (request.principal.role === 'team-manager' && request.principal.teamIds.includes(audit.teamId))),
          // An immediate review is answered, never cancelled.
          mayCancel: a.status === 'open' && !a.immediateReview && mayAudit(request.principal),
        })),
        auditorName: users.get(audit.auditorId) ?? audit.auditorId,
        corrections: audit.corrections.map((c) => ({
          ...c,
          what: c.domain === OVERALL ? 'Overall grade' : (titles.get(c.domain)?.title ?? words(c.domain)),
          byName: users.get(c.correctedBy) ?? c.correctedBy,
        })),
        moderation: audit.moderation
          ? {
              ...audit.moderation,
              moderatorName: users.get(audit.moderation.moderatorId) ?? audit.moderation.moderatorId,
              domainGrades: Object.entries(audit.moderation.domainGrades ?? {}).map(([key, grade]) => ({
                title: titles.get(key)?.title ?? words(key),
                grade,
              })),
              disagreement:
                audit.moderation.status === 'moderated' && audit.moderation.overallGrade !== audit.moderation.auditorOverallGrade,
              resolution: audit.moderation.resolution
                ? {
                    ...audit.moderation.resolution,
                    byName: users.get(audit.moderation.resolution.resolvedBy) ?? audit.moderation.resolution.resolvedBy,
                  }
                : null,
            }
          : null,
        // What this person may do next (the policy and the decider still decide).
        // The auditor does not overwrite a moderation: a third person decides a disagreement.
        mayCorrect:
          mayAudit(request.principal) &&
          !audit.blind &&
          audit.status !== 'in-progress' &&
          !(audit.status === 'moderated' && audit.auditorId === request.principal.userId),
        mayRequestModeration: mayAudit(request.principal) && audit.status === 'submitted',
        // A disagreement is decided by a third person: neither the auditor nor the moderator (the decider says so too).
        mayResolve: mayResolve(request.principal, audit),
        mayModerate: audit.blind,
        mayRaiseAction: mayAudit(request.principal) && !audit.blind,
        submitted: request.query.submitted === '1',
        saved: request.query.saved === '1',
        done: DONE[String(request.query.done)] ?? null,
        ...problems,
      },
      status,
    );
  }

  /** The framework's titles of the audit's domains (the key in words when the framework lacks one). */
  private async titlesOf(audit: AuditView): Promise<Map<string, { title: string; guidance: string }>> {
    const frameworks = await this.api.auditFrameworks.list();
    const framework = frameworks.find((f) => f.frameworkId === audit.frameworkId && f.version === audit.frameworkVersion);
    const known = new Map((framework?.domains ?? []).map((d) => [d.key, d]));
    return new Map(
      audit.domains.map((key) => [key, { title: known.get(key)?.title ?? words(key), guidance: known.get(key)?.guidance ?? '' }]),
    );
  }

  private back(id: string, done: string, response: Response): void {
    response.redirect(303, `/audits/${encodeURIComponent(id)}?done=${done}`);
  }

  // ---- Corrections: a submitted grade changes only with a reason ------------------------------------------
  @Get(':id/correct')
  async correctPage(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    await this.showCorrect(request, response, id, {}, noProblems());
  }

  @Post(':id/correct')
  async correct(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    const values = filled(request.body, ['domain', 'to', 'reason']);
    await submitForm({
      run: async () => {
        await this.api.audits.correct({ id }, await validated(CorrectGradeDto, values), pageContext(request));
        this.back(id, 'corrected', response);
      },
      problems: {
        labels: { domain: 'Grade to correct', to: 'New grade', reason: 'Reason' },
        fieldOf: {
          GRADE_UNCHANGED: 'to',
          OVERALL_GRADE_REQUIRED: 'to',
          DOMAIN_NOT_IN_FRAMEWORK: 'domain',
          CORRECTION_REASON_REQUIRED: 'reason',
        },
        formId: 'correction',
        reword: {
          domain: 'Choose the grade to correct',
          to: 'Choose the new grade',
          reason: values.reason ? 'The reason must be 1,000 characters or fewer' : 'Give the reason for the correction',
        },
      },
      onProblems: (problems) => this.showCorrect(request, response, id, values, problems, 400),
    });
  }

  private async showCorrect(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const audit = await this.api.audits.get({ id }, request);
    const titles = await this.titlesOf(audit);
    this.views.send(
      request,
      response,
      'audits/correct.njk',
      {
        title: `Correct a grade: ${audit.caseRef}`,
        audit,
        values,
        current: audit.domains.map((key) => ({
          title: titles.get(key)!.title,
          grade: audit.effectiveDomainGrades?.[key] ?? audit.grades?.[key]?.grade ?? null,
        })),
        domainItems: [
          { value: '', text: 'Choose a grade' },
          { value: OVERALL, text: 'Overall grade', selected: values.domain === OVERALL },
          ...audit.domains.map((key) => ({ value: key, text: titles.get(key)!.title, selected: values.domain === key })),
        ],
        toItems: GRADES.map((g) => ({ value: g, text: words(g), checked: values.to === g })),
        ...problems,
      },
      status,
    );
  }

  // ---- A disagreement between auditor and moderator: a third person decides ---------------------------------
  @Get(':id/resolve')
  async resolvePage(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    await this.showResolve(request, response, id, {}, noProblems());
  }

  @Post(':id/resolve')
  async resolve(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    const values = filled(request.body, ['overallGrade', 'rationale']);
    await submitForm({
      run: async () => {
        await this.api.audits.resolveDisagreement({ id }, await validated(ResolveDisagreementDto, values), pageContext(request));
        this.back(id, 'disagreement-resolved', response);
      },
      problems: {
        labels: { overallGrade: 'Overall grade decided', rationale: 'Why' },
        fieldOf: {
          OVERALL_GRADE_REQUIRED: 'overallGrade',
          RESOLUTION_RATIONALE_REQUIRED: 'rationale',
        },
        formId: 'resolution',
        reword: {
          overallGrade: 'Choose the overall grade you decide on',
          rationale: values.rationale ? 'The reason must be 1,000 characters or fewer' : 'Say why you decided on this grade',
        },
      },
      onProblems: (problems) => this.showResolve(request, response, id, values, problems, 400),
    });
  }

  private async showResolve(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const audit = await this.api.audits.get({ id }, request);
    const users = new Map((await this.queries.execute(new ListUsersQuery())).map((u) => [u.userId, u.name]));
    this.views.send(
      request,
      response,
      'audits/resolve.njk',
      {
        title: `Decide the disagreement: ${audit.caseRef}`,
        audit,
        auditorName: users.get(audit.auditorId) ?? audit.auditorId,
        moderatorName: audit.moderation ? (users.get(audit.moderation.moderatorId) ?? audit.moderation.moderatorId) : '',
        values,
        gradeItems: OVERALL_GRADES.map((g) => ({ value: g, text: words(g), checked: values.overallGrade === g })),
        ...problems,
      },
      status,
    );
  }

  // ---- Moderation: a second auditor grades the case blind ---------------------------------------------------
  @Get(':id/moderation-request')
  async moderationRequestPage(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    await this.showModerationRequest(request, response, id, {}, noProblems());
  }

  @Post(':id/moderation-request')
  async requestModeration(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    const values = filled(request.body, ['moderatorId']);
    await submitForm({
      run: async () => {
        await this.api.audits.requestModeration({ id }, await validated(RequestModerationDto, values), pageContext(request));
        this.back(id, 'moderation-requested', response);
      },
      problems: {
        labels: { moderatorId: 'Moderator' },
        fieldOf: { MODERATOR_IS_AUDITOR: 'moderatorId', UNKNOWN_USER: 'moderatorId' },
        formId: 'moderation-request',
        reword: { moderatorId: 'Choose a moderator' },
      },
      onProblems: (problems) => this.showModerationRequest(request, response, id, values, problems, 400),
    });
  }

  private async showModerationRequest(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const audit = await this.api.audits.get({ id }, request);
    const users = await this.queries.execute(new ListUsersQuery());
    const moderators = users
      .filter((u) => u.status === 'active' && u.userId !== audit.auditorId && (u.role === 'qa-officer' || u.role === 'admin'))
      .sort((a, b) => a.name.localeCompare(b.name));
    this.views.send(
      request,
      response,
      'audits/moderation-request.njk',
      {
        title: `Request moderation: ${audit.caseRef}`,
        audit,
        moderatorItems: [
          { value: '', text: 'Choose a moderator' },
          ...moderators.map((u) => ({ value: u.userId, text: u.name, selected: values.moderatorId === u.userId })),
        ],
        ...problems,
      },
      status,
    );
  }

  @Get(':id/moderate')
  async moderatePage(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    await this.showModerate(request, response, id, {}, noProblems());
  }

  /** The moderator's own grades: overall (needed), any domains they grade, whether they agree, and why. */
  @Post(':id/moderate')
  async moderate(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    const audit = await this.api.audits.get({ id }, request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { ...body };
    const domainGrades: Record<string, unknown> = {};
    for (const key of audit.domains) if (typeof body[`grade-${key}`] === 'string') domainGrades[key] = body[`grade-${key}`];
    const agreed = body.agreed === 'yes' ? true : body.agreed === 'no' ? false : body.agreed;
    await submitForm({
      run: async () => {
        const dto = await validated(ModerateAuditDto, {
          ...filled(body, ['overallGrade', 'rationale']),
          ...(agreed !== undefined ? { agreed } : {}),
          ...(Object.keys(domainGrades).length ? { domainGrades } : {}),
        });
        await this.api.audits.moderate({ id }, dto, pageContext(request));
        this.back(id, 'moderated', response);
      },
      problems: {
        labels: { overallGrade: 'Overall grade', rationale: 'Rationale', agreed: 'Agreement', domainGrades: 'Domain grades' },
        fieldOf: {
          OVERALL_GRADE_REQUIRED: 'overallGrade',
          DOMAIN_NOT_IN_FRAMEWORK: 'domainGrades',
          AGREED_BUT_GRADED_DIFFERENTLY: 'agreed',
        },
        formId: 'moderation',
        reword: {
          overallGrade: 'Choose your overall grade',
          agreed: 'Choose whether you agree with the auditor’s judgement',
          rationale:
            typeof body.rationale === 'string' && body.rationale.trim()
              ? 'The rationale must be 4,000 characters or fewer'
              : 'Give your rationale',
        },
      },
      onProblems: (problems) => this.showModerate(request, response, id, values, problems, 400),
    });
  }

  private async showModerate(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    // Blind: the read hides the auditor's grades, evidence and corrections from the pending moderator.
    const audit = await this.api.audits.get({ id }, request);
    const titles = await this.titlesOf(audit);
    this.views.send(
      request,
      response,
      'audits/moderate.njk',
      {
        title: `Moderate the audit of ${audit.caseRef}`,
        audit,
        values,
        domains: audit.domains.map((key) => ({
          key,
          ...titles.get(key)!,
          items: GRADES.map((g) => ({ value: g, text: words(g), checked: values[`grade-${key}`] === g })),
        })),
        overallItems: OVERALL_GRADES.map((g) => ({ value: g, text: words(g), checked: values.overallGrade === g })),
        agreedItems: [
          { value: 'yes', text: 'Yes, I agree', checked: values.agreed === 'yes' },
          { value: 'no', text: 'No, I disagree', checked: values.agreed === 'no' },
        ],
        ...problems,
      },
      status,
    );
  }

  // ---- Audit actions ------------------------------------------------------------------------------------
  @Get(':id/actions/new')
  async raiseActionPage(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    await this.showRaiseAction(request, response, id, {}, noProblems());
  }

  @Post(':id/actions')
  async raiseAction(@Param() params: AuditIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(AuditIdParam, { ...params });
    const dueOn = dayFromParts(request.body, 'dueOn');
    const values: Record<string, unknown> = { ...filled(request.body, ['description', 'ownerId']), ...(dueOn ? { dueOn } : {}) };
    await submitForm({
      run: async () => {
        await this.api.audits.raiseAction({ id }, await validated(RaiseAuditActionDto, values), pageContext(request));
        this.back(id, 'action-raised', response);
      },
      problems: {
        labels: { description: 'Description', ownerId: 'Owner', dueOn: 'Due date' },
        fieldOf: { UNKNOWN_USER: 'ownerId', DATE_OUT_OF_ORDER: 'dueOn', BUSINESS_DATE_IN_FUTURE: 'dueOn' },
        formId: 'raise-action',
        idOf: dateFieldIds(['dueOn']),
        reword: {
          description: values.description ? 'The description must be 1,000 characters or fewer' : 'Describe the action',
          ownerId: 'Choose who owns the action',
          dueOn: 'The due date must be a real date, for example 5 6 2026',
        },
      },
      onProblems: (problems) => this.showRaiseAction(request, response, id, values, problems, 400),
    });
  }

  private async showRaiseAction(
    request: SignedIn,
    response: Response,
    id: string,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const audit = await this.api.audits.get({ id }, request);
    const users = (await this.queries.execute(new ListUsersQuery()))
      .filter((u) => u.status === 'active')
      .sort((a, b) => a.name.localeCompare(b.name));
    this.views.send(
      request,
      response,
      'audits/raise-action.njk',
      {
        title: `Raise an action: ${audit.caseRef}`,
        audit,
        values,
        ownerItems: [
          { value: '', text: 'Choose an owner' },
          ...users.map((u) => ({
            value: u.userId,
            text: `${u.name} (${words(u.role).toLowerCase()})`,
            selected: values.ownerId === u.userId,
          })),
        ],
        dueOnItems: dateItems(dateParts(request, 'dueOn', values.dueOn), 'dueOn' in problems.errors),
        ...problems,
      },
      status,
    );
  }

  @Get(':id/actions/:actionId/complete')
  async completeActionPage(
    @Param() params: AuditActionParams,
    @Req() request: SignedIn,
    @Res() response: Response,
  ): Promise<void> {
    const { id, actionId } = await validated(AuditActionParams, { ...params });
    await this.showCloseAction(request, response, id, actionId, 'complete', {}, noProblems());
  }

  @Post(':id/actions/:actionId/complete')
  async completeAction(@Param() params: AuditActionParams, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.closeAction(params, request, response, 'complete');
  }

  @Get(':id/actions/:actionId/cancel')
  async cancelActionPage(@Param() params: AuditActionParams, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id, actionId } = await validated(AuditActionParams, { ...params });
    await this.showCloseAction(request, response, id, actionId, 'cancel', {}, noProblems());
  }

  @Post(':id/actions/:actionId/cancel')
  async cancelAction(@Param() params: AuditActionParams, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.closeAction(params, request, response, 'cancel');
  }

  /** Completing and cancelling an action are one form: a text, a date, and different words (CLOSE_ACTION). */
  private async closeAction(
    params: AuditActionParams,
    request: SignedIn,
    response: Response,
    mode: 'complete' | 'cancel',
  ): Promise<void> {
    const { id, actionId } = await validated(AuditActionParams, { ...params });
    const form = CLOSE_ACTION[mode];
    const day = dayFromParts(request.body, form.dateField);
    const answer = form.answerField ? (request.body as Record<string, unknown> | undefined)?.[form.answerField] : undefined;
    const values: Record<string, unknown> = {
      ...filled(request.body, [form.textField]),
      ...(day ? { [form.dateField]: day } : {}),
      ...(answer === 'yes' || answer === 'no' ? { safeguardingActionNeeded: answer === 'yes' } : {}),
    };
    await submitForm({
      run: async () => {
        await form.send(this.api, { id, actionId }, values, pageContext(request));
        this.back(id, form.done, response);
      },
      problems: {
        labels: form.labels,
        fieldOf: {
          DATE_OUT_OF_ORDER: form.dateField,
          BUSINESS_DATE_IN_FUTURE: form.dateField,
          IMMEDIATE_REVIEW_NEEDS_ANSWER: 'safeguardingActionNeeded',
        },
        formId: 'close-action',
        idOf: dateFieldIds([form.dateField]),
        reword: form.reword(Boolean(values[form.textField])),
      },
      onProblems: (problems) => this.showCloseAction(request, response, id, actionId, mode, values, problems, 400),
    });
  }

  private async showCloseAction(
    request: SignedIn,
    response: Response,
    id: string,
    actionId: string,
    mode: 'complete' | 'cancel',
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const audit = await this.api.audits.get({ id }, request);
    const action = audit.actions.find((a) => a.actionId === actionId);
    if (!action) throw new AuditActionNotFound(actionId);
    const users = await this.usersById();
    const dateField = mode === 'complete' ? 'completedOn' : 'cancelledOn';
    this.views.send(
      request,
      response,
      'audits/close-action.njk',
      {
        title: `${mode === 'complete' ? 'Complete' : 'Cancel'} an action: ${audit.caseRef}`,
        audit,
        action: { ...action, ownerName: users.get(action.ownerId) ?? action.ownerId },
        mode,
        dateField,
        values,
        dateItems: dateItems(dateParts(request, dateField, values[dateField]), dateField in problems.errors),
        answerItems: [
          { value: 'yes', text: 'Yes', checked: values.safeguardingActionNeeded === true },
          { value: 'no', text: 'No', checked: values.safeguardingActionNeeded === false },
        ],
        ...problems,
      },
      status,
    );
  }

  /** Names for ids shown on the page (any signed-in role may see who owns an action). */
  private async usersById(): Promise<Map<string, string>> {
    const users = await this.queries.execute(new ListUsersQuery());
    return new Map(users.map((u) => [u.userId, u.name]));
  }
}

/** GET /audits.csv: the same list, filters and team scope as the page. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class AuditsCsvController {
  constructor(private readonly api: ApiControllers) {}

  @Get('audits.csv')
  async download(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, LIST_FILTERS);
    const params = await validated(ListAuditsParams, filters);
    const audits = await this.api.audits.list(params, request, request.teamScope ?? null);
    sendCsv(
      response,
      'audits.csv',
      csv(
        ['auditId', 'caseRef', 'teamId', 'auditedOn', 'status', 'submittedOn', 'overallGrade', 'effectiveOverallGrade'],
        audits,
      ),
    );
  }
}

const PROGRAMME_LABELS = {
  title: 'Title',
  kind: 'Kind',
  theme: 'Theme',
  from: 'Start date',
  to: 'End date',
  teamIds: 'Teams',
  reAuditOf: 'Programme it re-audits',
};
const percentText = (value: number | null): string => (value === null ? 'Not enough data' : `${value}%`);

/**
 * Audit programmes and their summaries, a team's audit actions, and moderation agreement.
 * Registered before AuditPagesController: "/audits/programmes" is not an audit id.
 */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller('audits')
export class AuditReportPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  // ---- Programmes ---------------------------------------------------------------------------------------
  @Get('programmes')
  async programmes(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { programmes, summaries } = await programmeSummaries(this.api, request);
    this.views.send(request, response, 'audits/programmes.njk', {
      title: 'Audit programmes',
      programmes: programmes.map((p, i) => ({ ...p, summary: summaries[i].summary })),
      mayCreate: mayAudit(request.principal),
      created: typeof request.query.created === 'string' ? request.query.created : null,
    });
  }

  @Get('programmes.csv')
  async programmesCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { programmes, summaries } = await programmeSummaries(this.api, request);
    const rows = programmes.map((p, i) => ({
      ...p,
      audited: summaries[i].audited,
      inProgress: summaries[i].inProgress,
      summary: summaries[i].summary,
    }));
    sendCsv(
      response,
      'audit-programmes.csv',
      csv(
        ['programmeId', 'title', 'kind', 'theme', 'from', 'to', 'teamIds', 'reAuditOf', 'audited', 'inProgress', 'summary'],
        rows,
      ),
    );
  }

  @Get('programmes/new')
  async newProgrammePage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showNewProgramme(request, response, {}, noProblems());
  }

  @Post('programmes')
  async createProgramme(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const teamIds = body.teamIds === undefined ? [] : Array.isArray(body.teamIds) ? body.teamIds : [body.teamIds];
    const values: Record<string, unknown> = {
      ...filled(body, ['title', 'kind', 'theme', 'reAuditOf']),
      from: dayFromParts(body, 'from'),
      to: dayFromParts(body, 'to'),
      teamIds,
    };
    await submitForm({
      run: async () => {
        const dto = await validated(CreateAuditProgrammeDto, values);
        const { programmeId } = await this.api.auditProgrammes.create(dto, pageContext(request));
        response.redirect(303, `/audits/programmes/${encodeURIComponent(programmeId)}?created=1`);
      },
      problems: {
        labels: PROGRAMME_LABELS,
        fieldOf: {
          PROGRAMME_ENDS_BEFORE_START: 'to',
          UNKNOWN_TEAM: 'teamIds',
          RE_AUDIT_NEEDS_ORIGINAL: 'reAuditOf',
          ONLY_RE_AUDITS_HAVE_ORIGINAL: 'reAuditOf',
          UNKNOWN_PROGRAMME: 'reAuditOf',
        },
        formId: 'programme',
        idOf: dateFieldIds(['from', 'to']),
        reword: {
          title: values.title ? 'The title must be 200 characters or fewer' : 'Enter a title',
          kind: 'Choose the kind of programme',
          from: 'The start date must be a real date, for example 1 4 2026',
          to: 'The end date must be a real date, for example 30 4 2026',
          teamIds: 'Choose at least one team',
        },
      },
      onProblems: (problems) => this.showNewProgramme(request, response, values, problems, 400),
    });
  }

  private async showNewProgramme(
    request: SignedIn,
    response: Response,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const [teams, programmes] = await Promise.all([this.api.teams.list({}), this.api.auditProgrammes.list()]);
    const chosen = Array.isArray(values.teamIds) ? (values.teamIds as string[]) : [];
    this.views.send(
      request,
      response,
      'audits/programme-new.njk',
      {
        title: 'Create an audit programme',
        values,
        kindItems: PROGRAMME_KINDS.map((k) => ({ value: k, text: words(k), checked: values.kind === k })),
        teamItems: teams.map((t) => ({ value: t.teamId, text: t.name, checked: chosen.includes(t.teamId) })),
        reAuditItems: [
          { value: '', text: 'Not a re-audit' },
          ...programmes.map((p) => ({ value: p.programmeId, text: p.title, selected: values.reAuditOf === p.programmeId })),
        ],
        fromItems: dateItems(dateParts(request, 'from', values.from), 'from' in problems.errors),
        toItems: dateItems(dateParts(request, 'to', values.to), 'to' in problems.errors),
        ...problems,
      },
      status,
    );
  }

  @Get('programmes/:id')
  async programme(@Param() params: ProgrammeIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(ProgrammeIdParam, { ...params });
    const summary = await this.api.auditProgrammes.summary({ id }, request);
    const programme = (await this.api.auditProgrammes.list()).find((p) => p.programmeId === id);
    this.views.send(request, response, 'audits/programme.njk', {
      title: summary.title,
      summary,
      programme,
      rows: summaryRows(summary),
      created: request.query.created === '1',
    });
  }

  @Get('programmes/:id/summary.csv')
  async programmeCsv(@Param() params: ProgrammeIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { id } = await validated(ProgrammeIdParam, { ...params });
    const summary = await this.api.auditProgrammes.summary({ id }, request);
    sendCsv(
      response,
      `audit-programme-${id}.csv`,
      csv(
        ['programmeId', 'grade', 'audits'],
        summaryRows(summary).map((r) => ({ programmeId: id, ...r })),
      ),
    );
  }

  // ---- A team's audit actions ---------------------------------------------------------------------------
  private async teamActions(request: SignedIn): Promise<{ teamId: string; status: string; actions: AuditActionView[] }> {
    const { teamId } = await validated(TeamIdRouteParam, { ...(request.params as Record<string, unknown>) });
    const params = await validated(TeamAuditActionsParams, filled(request.query as Record<string, unknown>, ['status']));
    const actions = await this.api.auditReports.teamActions({ teamId }, params, request);
    return { teamId, status: params.status ?? '', actions };
  }

  @Get('teams/:teamId/actions')
  async teamActionsPage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { teamId, status, actions } = await this.teamActions(request);
    const [team, users, awaitingYourModeration] = await Promise.all([
      this.api.teams.get({ id: teamId }),
      this.queries.execute(new ListUsersQuery()),
      this.api.auditReports.awaitingModeration(teamId, request),
    ]);
    const names = new Map(users.map((u) => [u.userId, u.name]));
    this.views.send(request, response, 'audits/team-actions.njk', {
      title: `Audit actions: ${team.name}`,
      team,
      status,
      statusItems: ACTION_STATUSES.map((s) => ({ ...s, selected: s.value === status })),
      statusText: ACTION_STATUSES.find((s) => s.value === status)!.text,
      actions: actions.map((a) => ({ ...a, ownerName: names.get(a.ownerId) ?? a.ownerId })),
      awaitingYourModeration,
      csvHref: `/audits/teams/${encodeURIComponent(teamId)}/actions.csv${status ? `?status=${status}` : ''}`,
    });
  }

  @Get('teams/:teamId/actions.csv')
  async teamActionsCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { teamId, actions } = await this.teamActions(request);
    sendCsv(
      response,
      `audit-actions-${teamId}.csv`,
      csv(
        ['actionId', 'auditId', 'caseRef', 'description', 'ownerId', 'raisedOn', 'dueOn', 'status', 'completedOn', 'overdue'],
        actions,
      ),
    );
  }

  // ---- Moderation agreement -----------------------------------------------------------------------------
  private async agreement(request: SignedIn): Promise<{
    filters: Record<string, unknown>;
    problems: FormProblems;
    agreement: Awaited<ReturnType<ApiControllers['auditReports']['agreement']>> | null;
  }> {
    const filters = filled(request.query as Record<string, unknown>, ['from', 'to']);
    try {
      const params = await validated(AgreementParams, filters);
      return { filters, problems: noProblems(), agreement: await this.api.auditReports.agreement(params) };
    } catch (error) {
      return { filters, problems: problemsFrom(error, { labels: { from: 'From', to: 'To' } }), agreement: null };
    }
  }

  @Get('moderation-agreement')
  async agreementPage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { filters, problems, agreement } = await this.agreement(request);
    const users = await this.queries.execute(new ListUsersQuery());
    const names = new Map(users.map((u) => [u.userId, u.name]));
    this.views.send(
      request,
      response,
      'audits/agreement.njk',
      {
        title: 'Moderation agreement',
        filters,
        agreement: agreement
          ? {
              ...agreement,
              agreementText: percentText(agreement.agreementRate),
              gradeMatchText: percentText(agreement.gradeMatchRate),
              auditors: agreement.auditors.map((a) => ({
                ...a,
                name: names.get(a.auditorId) ?? a.auditorId,
                agreementText: percentText(a.agreementRate),
                gradeMatchText: percentText(a.gradeMatchRate),
              })),
            }
          : null,
        csvHref: hrefWith('/audits/moderation-agreement.csv', filters),
        ...problems,
      },
      problems.errorList.length ? 400 : 200,
    );
  }

  @Get('moderation-agreement.csv')
  async agreementCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const params = await validated(AgreementParams, filled(request.query as Record<string, unknown>, ['from', 'to']));
    const agreement = await this.api.auditReports.agreement(params);
    const rows = [{ ...agreement, auditorId: 'all auditors' }, ...agreement.auditors];
    sendCsv(
      response,
      'moderation-agreement.csv',
      csv(['auditorId', 'moderated', 'agreed', 'agreementRate', 'gradeMatchRate', 'kappa', 'reason', 'weightedKappa'], rows),
    );
  }
}

/** Every programme and its summary: the audit list, the programmes page and its CSV show them. */
async function programmeSummaries(api: ApiControllers, request: SignedIn) {
  const programmes = await api.auditProgrammes.list();
  const summaries = await Promise.all(programmes.map((p) => api.auditProgrammes.summary({ id: p.programmeId }, request)));
  return { programmes, summaries };
}

/** The summary's counts as table rows, best grade first, then the audits not yet submitted. */
function summaryRows(summary: ProgrammeSummary): { grade: string; audits: number }[] {
  return [
    { grade: 'Outstanding', audits: summary.counts.outstanding },
    { grade: 'Good', audits: summary.counts.good },
    { grade: 'Requires improvement', audits: summary.counts.requiresImprovement },
    { grade: 'Inadequate', audits: summary.counts.inadequate },
    { grade: 'In progress (not yet audited)', audits: summary.inProgress },
  ];
}
