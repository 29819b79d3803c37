import { Get, Param, Post } from '@nestjs/common';
import {
  AuditActionParams,
  AuditIdParam,
  CancelAuditActionDto,
  CompleteAuditActionDto,
  CorrectGradeDto,
  GradeDomainDto,
  ModerateAuditDto,
  RaiseAuditActionDto,
  RequestModerationDto,
  ResolveDisagreementDto,
  SubmitAuditDto,
  GRADES,
  OVERALL,
  OVERALL_GRADES,
  type AuditView,
  AuditActionNotFound,
} from '../../../audits';
import { actionsAnsweringAudit, reAuditOf, type ReAuditView } from '../../../impact';
import { ChooseActionForFindingDto, FINDING_GRADES } from '../../../improvement';
import type { Principal } from '../../../shared';
import { londonToday } from '@casetrail/kernel';
import { dateItems, dayFromParts, partsOfDay, typedParts } from '../../dates';
import {
  filled,
  noProblems,
  validated,
  type FormProblems,
  selectItems,
  personOptions,
  mergeProblems,
  problem,
} from '../../forms';
import { form, inputPipe, Page, PageController, PageIn, Pages, rolesOf, type PageForm } from '../../kit';
import { lowerWords, words } from '../../views';
import { actionHref, planHref, RAG_TAG } from '../plans/plan-views';

type Values = Record<string, unknown>;
/** A date input's boxes as shown: after a post, exactly what was typed (even half a date); otherwise the value's. */
const dateParts = (page: Page, name: string, value: unknown) =>
  page.request.method === 'POST' ? typedParts(page.body, name) : partsOfDay(value as string | undefined);
const gradeItems = (grades: readonly string[], chosen: unknown) =>
  grades.map((g) => ({ value: g, text: words(g), checked: chosen === g }));
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

/** The banner after a form on the audit's own page. */
const DONE: Record<string, string> = {
  corrected: 'Grade corrected.',
  'disagreement-resolved': 'Decision on the disagreement recorded.',
  'moderation-requested': 'Moderation requested.',
  moderated: 'Moderation recorded.',
  'action-raised': 'Action raised.',
  'action-completed': 'Action completed.',
  'action-cancelled': 'Action cancelled.',
  'finding-linked': 'The improvement action now answers this finding too.',
};
const RAISE_ROUTE = 'POST /api/v1/plans/:id/actions';
const LINK_ROUTE = 'POST /api/v1/actions/:id/findings';
/** The domains an improvement action may answer: those graded RI or inadequate, or any when the audit recorded areas for development. */
const findingDomains = (audit: AuditView): string[] =>
  audit.areasForDevelopment.length
    ? audit.domains
    : audit.domains.filter((key) => FINDING_GRADES.includes(audit.effectiveDomainGrades?.[key] ?? ''));
/** Whether improvement actions may be raised from the audit's findings or linked to them, by this person. */
const mayAnswerFindings = (page: Page, audit: AuditView, route: typeof RAISE_ROUTE | typeof LINK_ROUTE): boolean =>
  page.may(route) && !audit.blind && audit.status !== 'in-progress' && findingDomains(audit).length > 0;
const linkInput = inputPipe(ChooseActionForFindingDto, (body) => filled(body, ['actionId', 'domain']));
const back = (id: string, done: string) => () => `/audits/${encodeURIComponent(id)}?done=${done}`;

const mayAudit = (page: Page): boolean => page.may('POST /api/v1/audits/:id/grades');
/** A QA officer or admin who is neither the auditor nor the moderator, while the disagreement is undecided. */
const mayResolve = (principal: Principal, audit: AuditView, page: Page): boolean =>
  page.may('POST /api/v1/audits/:id/disagreement-resolution') &&
  !!audit.moderation &&
  audit.moderation.status === 'moderated' &&
  audit.moderation.overallGrade !== audit.moderation.auditorOverallGrade &&
  !audit.moderation.resolution &&
  principal.userId !== audit.auditorId &&
  principal.userId !== audit.moderation.moderatorId;

const correctInput = inputPipe(CorrectGradeDto, (body) => filled(body, ['domain', 'to', 'reason']));
const resolveInput = inputPipe(ResolveDisagreementDto, (body) => filled(body, ['overallGrade', 'rationale']));
const moderatorInput = inputPipe(RequestModerationDto, (body) => filled(body, ['moderatorId']));
const raiseInput = inputPipe(RaiseAuditActionDto, (body) => {
  const dueOn = dayFromParts(body, 'dueOn');
  return { ...filled(body, ['description', 'ownerId']), ...(dueOn ? { dueOn } : {}) };
});
/** Completing and cancelling an action are one form: a text, a date, and their own words. */
const closeShape = (textField: string, dateField: string) => (body: Values) => {
  const day = dayFromParts(body, dateField);
  const answer = body.safeguardingActionNeeded;
  return {
    ...filled(body, [textField]),
    ...(day ? { [dateField]: day } : {}),
    ...(textField === 'evidence' && (answer === 'yes' || answer === 'no') ? { safeguardingActionNeeded: answer === 'yes' } : {}),
  };
};
const CLOSE = {
  complete: {
    input: inputPipe<CompleteAuditActionDto | CancelAuditActionDto>(
      CompleteAuditActionDto,
      closeShape('evidence', 'completedOn'),
    ),
    dateField: 'completedOn',
    done: 'action-completed',
    labels: { evidence: 'Evidence', completedOn: 'Date completed', safeguardingActionNeeded: 'Immediate safeguarding action' },
  },
  cancel: {
    input: inputPipe<CompleteAuditActionDto | CancelAuditActionDto>(CancelAuditActionDto, closeShape('reason', 'cancelledOn')),
    dateField: 'cancelledOn',
    done: 'action-cancelled',
    labels: { reason: 'Reason', cancelledOn: 'Date cancelled' },
  },
};
type CloseMode = keyof typeof CLOSE;

/** The audit's forms of one use case each, by the last part of their address. */
const FORMS: Record<string, PageForm<AuditIdParam>> = {
  // Corrections: a submitted grade changes only with a reason.
  correct: form({
    input: correctInput,
    send: (use, dto, context, { id }: AuditIdParam) => use.audits.correct({ id }, dto, context),
    done: 'corrected',
    labels: { domain: 'Grade to correct', to: 'New grade', reason: 'Reason' },
    fieldOf: {
      GRADE_UNCHANGED: 'to',
      OVERALL_GRADE_REQUIRED: 'to',
      DOMAIN_NOT_IN_FRAMEWORK: 'domain',
      CORRECTION_REASON_REQUIRED: 'reason',
    },
    formId: 'correction',
  }),
  // A disagreement between auditor and moderator: a third person decides.
  resolve: form({
    input: resolveInput,
    send: (use, dto, context, { id }: AuditIdParam) => use.audits.resolveDisagreement({ id }, dto, context),
    done: 'disagreement-resolved',
    labels: { overallGrade: 'Overall grade decided', rationale: 'Why' },
    fieldOf: { OVERALL_GRADE_REQUIRED: 'overallGrade', RESOLUTION_RATIONALE_REQUIRED: 'rationale' },
    formId: 'resolution',
  }),
  // Moderation: a second auditor grades the case blind.
  'moderation-request': form({
    input: moderatorInput,
    send: (use, dto, context, { id }: AuditIdParam) => use.audits.requestModeration({ id }, dto, context),
    done: 'moderation-requested',
    labels: { moderatorId: 'Moderator' },
    fieldOf: { MODERATOR_IS_AUDITOR: 'moderatorId', UNKNOWN_USER: 'moderatorId' },
    formId: 'moderation-request',
  }),
  actions: form({
    input: raiseInput,
    send: (use, dto, context, { id }: AuditIdParam) => use.audits.raiseAction({ id }, dto, context),
    done: 'action-raised',
    labels: { description: 'Description', ownerId: 'Owner', dueOn: 'Due date' },
    fieldOf: { UNKNOWN_USER: 'ownerId', DATE_OUT_OF_ORDER: 'dueOn', BUSINESS_DATE_IN_FUTURE: 'dueOn' },
    formId: 'raise-action',
    days: ['dueOn'],
  }),
  // An existing improvement action answers one more finding of this audit.
  link: form({
    input: linkInput,
    send: (use, dto, context, { id }: AuditIdParam) =>
      use.plans.linkFinding({ id: dto.actionId }, { auditId: id, domain: dto.domain }, context),
    done: 'finding-linked',
    labels: { actionId: 'Improvement action', domain: 'Domain' },
    fieldOf: {
      ACTION_NOT_FOUND: 'actionId',
      ACTION_ALREADY_ANSWERS_FINDING: 'actionId',
      COMPLETED_ACTION_TAKES_NO_FINDING: 'actionId',
      FINDING_DOMAIN_NOT_IN_FRAMEWORK: 'domain',
      FINDING_NOT_AN_AREA_FOR_DEVELOPMENT: 'domain',
    },
    formId: 'link-finding',
  }),
};

/** One case audit: grade every domain on one page and submit, correct, moderate, decide a disagreement, its actions. */
@PageController('audits/:id')
export class AuditPage extends Pages {
  @Get()
  async show(@PageIn() page: Page, @Param() { id }: AuditIdParam): Promise<void> {
    await this.showAudit(page, id, {});
  }

  /**
   * Every domain's grade and evidence in one post, each recorded as the API records it (one
   * DomainGraded per changed domain); with "Save and submit", then the submission. Nothing is
   * sent until every field is valid.
   */
  @Post()
  async grade(@PageIn() page: Page, @Param() { id }: AuditIdParam): Promise<void> {
    const audit = await this.useCases.audits.get({ id }, page.request);
    const body = page.body;
    const values: Values = { ...body };
    let problems = noProblems();
    const grades: GradeDomainDto[] = [];
    for (const domain of audit.domains) {
      const grade = body[`grade-${domain}`];
      const evidence = typeof body[`evidence-${domain}`] === 'string' ? String(body[`evidence-${domain}`]) : '';
      if (grade === undefined && !evidence.trim()) continue;
      try {
        grades.push(await validated(GradeDomainDto, { domain, grade, ...(evidence.trim() ? { evidence } : {}) }));
      } catch (error) {
        const found = this.problems(error);
        // The messages name the field; say which domain they are about.
        const field = found.errors.grade ? `grade-${domain}` : `evidence-${domain}`;
        const text = found.errors.grade
          ? `Choose a grade for ${lowerWords(domain)}`
          : `${words(domain)}: ${Object.values(found.errors)[0]}`;
        problems = mergeProblems(problems, problem(field, text));
      }
    }
    let submission: SubmitAuditDto | null = null;
    if (body.intent === 'submit') {
      try {
        submission = await validated(SubmitAuditDto, {
          ...(body.overallGrade ? { overallGrade: body.overallGrade } : {}),
          ...(lines(body.strengths) ? { strengths: lines(body.strengths) } : {}),
          ...(lines(body.areasForDevelopment) ? { areasForDevelopment: lines(body.areasForDevelopment) } : {}),
          ...filled(body, ['overallGradeReason']),
        });
      } catch (error) {
        const labels = { strengths: 'Strengths', areasForDevelopment: 'Areas for development' };
        problems = mergeProblems(problems, this.problems(error, { labels }));
      }
    }
    if (problems.errorList.length) return this.showAudit(page, id, values, problems);
    try {
      const context = page.context;
      for (const [index, dto] of grades.entries()) {
        const current = audit.grades?.[dto.domain];
        if (current && current.grade === dto.grade && current.evidence === (dto.evidence ?? '')) continue;
        await this.useCases.audits.grade({ id }, dto, { ...context, commandId: `${context.commandId}:grade:${index}` });
      }
      if (submission)
        await this.useCases.audits.submit({ id }, submission, { ...context, commandId: `${context.commandId}:submit` });
    } catch (error) {
      const fieldOf = {
        OVERALL_GRADE_REQUIRED: 'overallGrade',
        LIMITING_DOMAIN_INADEQUATE: 'overallGradeReason',
        OVERALL_BETTER_THAN_DOMAINS: 'overallGradeReason',
      };
      return this.showAudit(page, id, values, this.problems(error, { fieldOf, formId: 'grading' }));
    }
    page.response.redirect(303, `/audits/${encodeURIComponent(id)}${submission ? '?submitted=1' : '?saved=1'}`);
  }

  private async showAudit(page: Page, id: string, values: Values, problems = noProblems()): Promise<void> {
    const audit: AuditView = await this.useCases.audits.get({ id }, page.request);
    const [titles, name, team] = await Promise.all([this.titlesOf(audit), this.names.users(), this.names.teams()]);
    const { principal } = page;
    const moderated = audit.moderation?.status === 'moderated' ? audit.moderation : null;
    const domains = audit.domains.map((key) => {
      const current = audit.grades?.[key];
      const moderatorGrade = moderated?.domainGrades?.[key] ?? null;
      const shown = moderatorGrade ?? current?.grade ?? null;
      const effective = audit.effectiveDomainGrades?.[key] ?? null;
      return {
        key,
        ...titles.get(key)!,
        grade: current?.grade ?? null,
        effective,
        moderatorGrade,
        // The moderator graded it otherwise: both grades side by side, and the page says it changed.
        changedAtModeration: moderatorGrade !== null && moderatorGrade !== (current?.grade ?? null),
        // A later correction made another grade count than either of them.
        correctedTo: effective !== null && effective !== shown ? effective : null,
        evidence: (values[`evidence-${key}`] as string | undefined) ?? current?.evidence ?? '',
        items: gradeItems(GRADES, (values[`grade-${key}`] as string | undefined) ?? current?.grade),
        error: problems.errors[`grade-${key}`],
        evidenceError: problems.errors[`evidence-${key}`],
      };
    });
    const moderation = audit.moderation;
    const improvement = await this.improvementFindings(page, audit, titles);
    const context = {
      ...improvement,
      title: `Audit of ${audit.caseRef}`,
      audit,
      teamName: team(audit.teamId),
      frameworkTitle: `${words(audit.frameworkId)}, version ${audit.frameworkVersion}`,
      domains,
      moderatorGradedDomains: domains.some((d) => d.moderatorGrade !== null),
      // The auditor's findings, once submitted (a pending moderator sees none of them: the read hides them).
      findings:
        audit.strengths.length || audit.areasForDevelopment.length || audit.childAndFamilyFeedback
          ? {
              strengths: audit.strengths,
              areasForDevelopment: audit.areasForDevelopment,
              childAndFamilyFeedback: audit.childAndFamilyFeedback,
            }
          : null,
      editable: audit.status === 'in-progress' && mayAudit(page),
      values,
      overallItems: gradeItems(OVERALL_GRADES, values.overallGrade),
      actions: audit.actions.map((a) => ({
        ...a,
        ownerName: name(a.ownerId),
        mayComplete:
          a.status === 'open' && page.may('POST /api/v1/audits/:id/actions/:actionId/complete', { teamId: audit.teamId }),
        // An immediate review is answered, never cancelled.
        mayCancel: a.status === 'open' && !a.immediateReview && page.may('POST /api/v1/audits/:id/actions/:actionId/cancel'),
      })),
      auditorName: name(audit.auditorId),
      corrections: audit.corrections.map((c) => ({
        ...c,
        what: c.domain === OVERALL ? 'Overall grade' : (titles.get(c.domain)?.title ?? words(c.domain)),
        byName: name(c.correctedBy),
      })),
      moderation: moderation
        ? {
            ...moderation,
            moderatorName: name(moderation.moderatorId),
            disagreement: moderation.status === 'moderated' && moderation.overallGrade !== moderation.auditorOverallGrade,
            resolution: moderation.resolution
              ? { ...moderation.resolution, byName: name(moderation.resolution.resolvedBy) }
              : null,
          }
        : null,
      // What this person may do next (the policy and the decider still decide).
      // The auditor does not overwrite a moderation: a third person decides a disagreement.
      mayCorrect:
        page.may('POST /api/v1/audits/:id/corrections') &&
        !audit.blind &&
        audit.status !== 'in-progress' &&
        !(audit.status === 'moderated' && audit.auditorId === principal.userId),
      mayRequestModeration: page.may('POST /api/v1/audits/:id/moderation-requests') && audit.status === 'submitted',
      // A disagreement is decided by a third person: neither the auditor nor the moderator (the decider says so too).
      mayResolve: mayResolve(principal, audit, page),
      mayModerate: audit.blind,
      mayRaiseAction: page.may('POST /api/v1/audits/:id/actions') && !audit.blind,
      submitted: page.flag('submitted'),
      saved: page.flag('saved'),
      done: DONE[page.done ?? ''] ?? null,
    };
    this.render(page, 'audits/show.njk', context, problems);
  }

  /**
   * The audit's findings and the improvement actions answering each (raised from it or linked to it),
   * and its re-audit link: the earlier audit of the same case, each domain's change, the later audits.
   */
  private async improvementFindings(page: Page, audit: AuditView, titles: Map<string, { title: string }>) {
    if (audit.blind || audit.status === 'in-progress') return { improvementFindings: null, reAudit: null };
    const { principal } = page;
    const [answering, reAudit] = await Promise.all([
      actionsAnsweringAudit(this.queries, audit.auditId, londonToday()),
      reAuditOf(this.queries, audit.auditId, principal.userId, principal.role === 'team-manager' ? principal.teamIds : null),
    ]);
    const mayRaise = mayAnswerFindings(page, audit, RAISE_ROUTE);
    const mayLink = mayAnswerFindings(page, audit, LINK_ROUTE);
    const grade = (key: string) => audit.effectiveDomainGrades?.[key] ?? null;
    const keys = audit.domains.filter(
      (key) => FINDING_GRADES.includes(grade(key) ?? '') || answering.some((a) => a.domain === key),
    );
    const base = `/audits/${encodeURIComponent(audit.auditId)}/findings`;
    const rows = keys.map((key) => ({
      key,
      title: titles.get(key)?.title ?? words(key),
      grade: grade(key),
      actions: answering
        .filter((a) => a.domain === key)
        .map((a) => ({ ...a, href: actionHref(a.actionId), planHref: planHref(a.planId), tag: RAG_TAG[a.rag] ?? RAG_TAG.grey })),
      raiseHref: mayRaise ? `${base}/raise?domain=${encodeURIComponent(key)}` : null,
      linkHref: mayLink ? `${base}/link?domain=${encodeURIComponent(key)}` : null,
    }));
    return {
      improvementFindings: {
        rows,
        areasForDevelopment: audit.areasForDevelopment.length > 0,
        raiseHref: mayRaise ? `${base}/raise` : null,
        linkHref: mayLink ? `${base}/link` : null,
      },
      reAudit: reAuditLinks(reAudit),
    };
  }

  /** Each form of the audit on its own page, at the address it posts to (a button on the audit leads there). */
  @Get(['correct', 'resolve', 'moderation-request', 'moderate', 'actions/new'])
  formPage(@PageIn() page: Page, @Param() { id }: AuditIdParam): Promise<void> {
    return this.showForm(page, id, page.routeEnd, {});
  }

  /** A form of the audit: back to the audit with its banner, or the form's page again with the problems. */
  @Post(['correct', 'resolve', 'moderation-request', 'actions', 'findings/link'])
  async post(@PageIn() page: Page, @Param() params: AuditIdParam): Promise<void> {
    await this.runForm(
      page,
      FORMS[page.routeEnd],
      params,
      (done) => `/audits/${encodeURIComponent(params.id)}?done=${done}`,
      (values, problems) => this.showForm(page, params.id, page.routeEnd, values, problems),
    );
  }

  /** The page of a form of the audit, by the last part of its address: the audit, the form's input and problems. */
  private async showForm(page: Page, id: string, end: string, values: Values, problems?: FormProblems): Promise<void> {
    const audit = await this.useCases.audits.get({ id }, page.request);
    const form = this.formPages[end];
    const context = await form.context(audit, values, problems, page);
    this.render(page, form.template, { title: form.title(audit.caseRef), audit, values, ...context }, problems);
  }

  /** What each form's page shows besides the audit and the input, by the last part of its address. */
  private readonly formPages: Record<string, AuditFormPage> = {
    // Corrections: a submitted grade changes only with a reason.
    correct: {
      template: 'audits/correct.njk',
      title: (caseRef) => `Correct a grade: ${caseRef}`,
      context: async (audit, values) => {
        const titles = await this.titlesOf(audit);
        return {
          current: audit.domains.map((key) => ({
            title: titles.get(key)!.title,
            grade: audit.effectiveDomainGrades?.[key] ?? audit.grades?.[key]?.grade ?? null,
          })),
          domainItems: selectItems(
            'Choose a grade',
            [[OVERALL, 'Overall grade'], ...audit.domains.map((key): [string, string] => [key, titles.get(key)!.title])],
            values.domain,
          ),
          toItems: gradeItems(GRADES, values.to),
        };
      },
    },
    // A disagreement between auditor and moderator: a third person decides.
    resolve: {
      template: 'audits/resolve.njk',
      title: (caseRef) => `Decide the disagreement: ${caseRef}`,
      context: async (audit, values) => {
        const name = await this.names.users();
        return {
          auditorName: name(audit.auditorId),
          moderatorName: audit.moderation ? name(audit.moderation.moderatorId) : '',
          gradeItems: gradeItems(OVERALL_GRADES, values.overallGrade),
        };
      },
    },
    // Moderation: a second auditor grades the case blind.
    'moderation-request': {
      template: 'audits/moderation-request.njk',
      title: (caseRef) => `Request moderation: ${caseRef}`,
      context: async (audit, values) => {
        const moderators = (await this.names.activeUsers()).filter(
          (u) => u.userId !== audit.auditorId && rolesOf('POST /api/v1/audits/:id/moderation').includes(u.role),
        );
        return {
          moderatorItems: selectItems(
            'Choose a moderator',
            moderators.map((u) => [u.userId, u.name]),
            values.moderatorId,
          ),
        };
      },
    },
    // Blind: the read hides the auditor's grades, evidence and corrections from the pending moderator.
    moderate: {
      template: 'audits/moderate.njk',
      title: (caseRef) => `Moderate the audit of ${caseRef}`,
      context: async (audit, values) => {
        const titles = await this.titlesOf(audit);
        return {
          domains: audit.domains.map((key) => ({ key, ...titles.get(key)!, items: gradeItems(GRADES, values[`grade-${key}`]) })),
          overallItems: gradeItems(OVERALL_GRADES, values.overallGrade),
        };
      },
    },
    // Audit actions.
    new: this.raiseActionPage(),
    actions: this.raiseActionPage(),
    // An existing improvement action answers one more finding of this audit.
    link: {
      template: 'audits/finding-link.njk',
      title: (caseRef) => `Link an existing action: ${caseRef}`,
      context: async (audit, values) => {
        const [titles, plans] = await Promise.all([this.titlesOf(audit), this.useCases.plans.listPlans()]);
        // Open actions of every plan (a completed one takes no new finding), by plan.
        const actions: [string, string][] = [];
        for (const plan of plans) {
          const status = await this.useCases.plans.status({ id: plan.planId }, {});
          for (const a of status.actions.filter((x) => x.completedOn === null))
            actions.push([a.actionId, `${a.title} (${plan.title})`]);
        }
        return {
          actionItems: selectItems('Choose an action', actions, values.actionId),
          domainItems: domainItems(findingDomains(audit), titles, values.domain),
        };
      },
    },
  };

  private raiseActionPage(): AuditFormPage {
    return {
      template: 'audits/raise-action.njk',
      title: (caseRef) => `Raise an action: ${caseRef}`,
      context: async (_audit, values, problems, page) => ({
        ownerItems: selectItems('Choose an owner', personOptions(await this.names.activeUsers()), values.ownerId),
        dueOnItems: dateItems(dateParts(page, 'dueOn', values.dueOn), Boolean(problems?.errors.dueOn)),
      }),
    };
  }

  @Get(['actions/:actionId/complete', 'actions/:actionId/cancel'])
  closeActionPage(@PageIn() page: Page, @Param() ids: AuditActionParams): Promise<void> {
    return this.showCloseAction(page, ids, page.routeEnd as CloseMode, {});
  }

  // ---- Improvement actions answering the audit's findings -------------------------------------------------
  /**
   * "Raise an improvement action" from a finding: choose the plan (and the domain), then the plan's
   * action form opens with the finding filled in. A GET form: nothing is recorded here.
   */
  @Get('findings/raise')
  async raiseFromFinding(@PageIn() page: Page, @Param() { id }: AuditIdParam): Promise<void> {
    const audit = await this.useCases.audits.get({ id }, page.request);
    const query = filled(page.query, ['planId', 'domain', 'choose']);
    const plans = await this.useCases.plans.listPlans();
    const domains = findingDomains(audit);
    let problems = noProblems();
    if (query.choose !== undefined) {
      const plan = plans.find((p) => p.planId === query.planId);
      const domain = domains.find((d) => d === query.domain);
      if (!plan) problems = mergeProblems(problems, problem('planId', 'Choose the improvement plan the action belongs to'));
      if (!domain) problems = mergeProblems(problems, problem('domain', 'Choose the domain of the finding'));
      if (plan && domain) {
        const finding = new URLSearchParams({ auditId: audit.auditId, domain });
        return page.response.redirect(303, `${planHref(plan.planId)}/actions?${finding.toString()}`);
      }
    }
    const titles = await this.titlesOf(audit);
    this.render(
      page,
      'audits/finding-raise.njk',
      {
        title: `Raise an improvement action: ${audit.caseRef}`,
        audit,
        planItems: selectItems(
          'Choose a plan',
          plans.map((p) => [p.planId, p.title]),
          query.planId,
        ),
        domainItems: domainItems(domains, titles, query.domain),
      },
      problems,
    );
  }

  @Get('findings/link')
  async linkFindingPage(@PageIn() page: Page, @Param() { id }: AuditIdParam): Promise<void> {
    await this.showForm(page, id, 'link', filled(page.query, ['domain']));
  }

  /** The framework's titles of the audit's domains (the key in words when the framework lacks one). */
  private async titlesOf(audit: AuditView): Promise<Map<string, { title: string; guidance: string }>> {
    const frameworks = await this.useCases.auditFrameworks.list();
    const framework = frameworks.find((f) => f.frameworkId === audit.frameworkId && f.version === audit.frameworkVersion);
    const known = new Map((framework?.domains ?? []).map((d) => [d.key, d]));
    return new Map(
      audit.domains.map((key) => [key, { title: known.get(key)?.title ?? words(key), guidance: known.get(key)?.guidance ?? '' }]),
    );
  }

  /**
   * The moderator's own grades: overall (needed), any domains they grade, and why. They grade blind, so
   * they are not asked whether they agree: agreement follows from the two overall grades (the decider).
   */
  @Post('moderate')
  async moderate(@PageIn() page: Page, @Param() { id }: AuditIdParam): Promise<void> {
    const audit = await this.useCases.audits.get({ id }, page.request);
    const body = page.body;
    const domainGrades: Values = {};
    for (const key of audit.domains) if (typeof body[`grade-${key}`] === 'string') domainGrades[key] = body[`grade-${key}`];
    const input = await inputPipe(ModerateAuditDto, () => ({
      ...filled(body, ['overallGrade', 'rationale']),
      ...(Object.keys(domainGrades).length ? { domainGrades } : {}),
    })).transform(body);
    await this.submit(page, input, {
      send: (dto, context) => this.useCases.audits.moderate({ id }, dto, context),
      to: back(id, 'moderated'),
      show: (problems) => this.showForm(page, id, 'moderate', { ...body }, problems),
      labels: { overallGrade: 'Overall grade', rationale: 'Rationale', domainGrades: 'Domain grades' },
      fieldOf: {
        OVERALL_GRADE_REQUIRED: 'overallGrade',
        DOMAIN_NOT_IN_FRAMEWORK: 'domainGrades',
      },
      formId: 'moderation',
    });
  }

  /** Completing and cancelling an action: one form, its own words and use case for each. */
  @Post(['actions/:actionId/complete', 'actions/:actionId/cancel'])
  async closeAction(@PageIn() page: Page, @Param() ids: AuditActionParams): Promise<void> {
    const mode = page.routeEnd as CloseMode;
    const form = CLOSE[mode];
    const input = await form.input.transform(page.body);
    await this.submit(page, input, {
      send: (dto, context) =>
        mode === 'complete'
          ? this.useCases.audits.completeAction(ids, dto as CompleteAuditActionDto, context)
          : this.useCases.audits.cancelAction(ids, dto as CancelAuditActionDto, context),
      to: back(ids.id, form.done),
      show: (problems) => this.showCloseAction(page, ids, mode, input.values, problems),
      labels: form.labels,
      fieldOf: {
        DATE_OUT_OF_ORDER: form.dateField,
        BUSINESS_DATE_IN_FUTURE: form.dateField,
        IMMEDIATE_REVIEW_NEEDS_ANSWER: 'safeguardingActionNeeded',
      },
      formId: 'close-action',
      days: [form.dateField],
    });
  }

  private async showCloseAction(
    page: Page,
    { id, actionId }: AuditActionParams,
    mode: CloseMode,
    values: Values,
    problems?: FormProblems,
  ): Promise<void> {
    const audit = await this.useCases.audits.get({ id }, page.request);
    const action = audit.actions.find((a) => a.actionId === actionId);
    if (!action) throw new AuditActionNotFound(actionId);
    const name = await this.names.users();
    const { dateField } = CLOSE[mode];
    const context = {
      title: `${mode === 'complete' ? 'Complete' : 'Cancel'} an action: ${audit.caseRef}`,
      audit,
      action: { ...action, ownerName: name(action.ownerId) },
      mode,
      dateField,
      values,
      dateItems: dateItems(dateParts(page, dateField, values[dateField]), Boolean(problems?.errors[dateField])),
      answerItems: [
        { value: 'yes', text: 'Yes', checked: values.safeguardingActionNeeded === true },
        { value: 'no', text: 'No', checked: values.safeguardingActionNeeded === false },
      ],
    };
    this.render(page, 'audits/close-action.njk', context, problems);
  }
}

/** A form of the audit on a page of its own: its template, its title, and what it shows besides the audit and the input. */
interface AuditFormPage {
  template: string;
  title: (caseRef: string) => string;
  context: (audit: AuditView, values: Values, problems: FormProblems | undefined, page: Page) => Promise<Record<string, unknown>>;
}

/** The domain choices of a finding form, the chosen one selected. */
function domainItems(keys: string[], titles: Map<string, { title: string }>, chosen: unknown) {
  return selectItems(
    'Choose a domain',
    keys.map((key) => [key, titles.get(key)?.title ?? words(key)]),
    chosen,
  );
}

/** The re-audit link as the audit page shows it: the earlier audit, each domain's change, the later ones. */
function reAuditLinks(view: ReAuditView) {
  if (!view.earlier && !view.later.length) return null;
  const href = (auditId: string) => `/audits/${encodeURIComponent(auditId)}`;
  return {
    earlier: view.earlier ? { ...view.earlier, href: href(view.earlier.auditId) } : null,
    changes: view.changes.map((c) => c.text),
    overall: view.overall?.text ?? null,
    later: view.later.map((a) => ({ ...a, href: href(a.auditId) })),
  };
}
