import { Controller, Get, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { dayOf } from '@casetrail/kernel';
import { AuditIdParam, GradeDomainDto, ListAuditsParams, StartAuditDto, SubmitAuditDto } from '../../audits/audits.commands';
import { GRADES, OVERALL_GRADES } from '../../audits/audits.events';
import type { AuditView } from '../../audits/audits.queries';
import type { Principal } from '../../auth/principal';
import { ListUsersQuery } from '../../users/users.queries';
import { ApiControllers } from '../api-controllers';
import { csv, sendCsv } from '../csv';
import { dateItems, dayFromParts, partsOfDay } from '../dates';
import { filled, noProblems, problemsFrom, teamSelectItems, validated, type FormProblems } from '../forms';
import { words } from '../views';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';
import type { WebRequest } from '../web-request';
import { mergeProblems, pageContext } from './sign-in.controller';

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

type SignedIn = WebRequest & { principal: Principal; teamScope?: string[] | null };

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
    const filters = filled(request.query as Record<string, unknown>, ['teamId', 'status', 'from', 'to']);
    try {
      const params = await validated(ListAuditsParams, filters);
      return { filters, problems: noProblems(), audits: await this.api.audits.list(params, request, request.teamScope ?? null) };
    } catch (error) {
      return {
        filters,
        problems: problemsFrom(error, { labels: { from: 'From', to: 'To', teamId: 'Team', status: 'Status' } }),
        audits: [],
      };
    }
  }

  @Get()
  async list(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const [{ filters, problems, audits }, teams, programmes] = await Promise.all([
      this.listed(request),
      this.api.teams.list({ includeClosed: 'true' }),
      this.api.auditProgrammes.list(),
    ]);
    const summaries = await Promise.all(programmes.map((p) => this.api.auditProgrammes.summary({ id: p.programmeId })));
    const query = new URLSearchParams(filters as Record<string, string>).toString();
    this.views.send(
      request,
      response,
      'audits/list.njk',
      {
        title: 'Case audits',
        audits,
        filters,
        csvHref: `/audits.csv${query ? `?${query}` : ''}`,
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
        mayStart: mayAudit(request.principal),
        summaries,
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
    try {
      const dto = await validated(StartAuditDto, values);
      const { auditId } = await this.api.audits.start(dto, pageContext(request));
      return response.redirect(303, `/audits/${encodeURIComponent(auditId)}`);
    } catch (error) {
      const problems = problemsFrom(error, {
        labels: START_LABELS,
        idOf: (f) => (f === 'auditedOn' ? 'auditedOn-day' : f),
        fieldOf: { TEAM_CLOSED: 'teamId', UNKNOWN_TEAM: 'teamId', BUSINESS_DATE_IN_FUTURE: 'auditedOn' },
      });
      await this.showStart(request, response, values, problems, 400);
    }
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
      const found = problemsFrom(error, { fieldOf: { OVERALL_GRADE_REQUIRED: 'overallGrade' }, formId: 'grading' });
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
        actions: audit.actions.map((a) => ({ ...a, ownerName: users.get(a.ownerId) ?? a.ownerId })),
        auditorName: users.get(audit.auditorId) ?? audit.auditorId,
        submitted: request.query.submitted === '1',
        saved: request.query.saved === '1',
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
    const filters = filled(request.query as Record<string, unknown>, ['teamId', 'status', 'from', 'to']);
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
