import { CONFIDENCES } from '@casetrail/kernel';
import {
  CompleteActionDto,
  IdParam,
  ReopenActionDto,
  ReportProgressDto,
  ReviseDueDateDto,
  VerifyActionDto,
  type ActionDetailView,
  type CompletionEntry,
} from '../../../improvement';
import { findingsOfAction } from '../../../impact';
import { dayFromParts, dayBoxes } from '../../dates';
import { filled, noProblems } from '../../forms';
import { form, inputPipe, Page, PageController, RecordPages, type Lookup, type PageForm } from '../../kit';
import { words } from '../../views';
import { actionHref, actionTag, ownerNameOf, planHref } from './plan-views';

type Values = Record<string, unknown>;
/** The action's forms, each on its own page, as its button names it. */
const ACTION_FORMS = {
  progress: 'Report progress',
  'due-date': 'Change the due date',
  complete: 'Mark as complete',
  verify: 'Verify the completion',
  reopen: 'Reopen',
} as const;
type ActionForm = keyof typeof ACTION_FORMS;
const CONFIDENCE_TAG: Record<string, { text: string; classes: string }> = {
  'on-track': { text: 'On track', classes: 'govuk-tag--green' },
  'at-risk': { text: 'At risk', classes: 'govuk-tag--orange' },
  'off-track': { text: 'Off track', classes: 'govuk-tag--red' },
};

/** One entry of an action's history, oldest first. */
interface HistoryEntry {
  kind: 'added' | 'progress' | 'due-date' | 'completed' | 'verified' | 'reopened';
  on: string;
  [detail: string]: unknown;
}

/** The action's completions; rows projected before they were kept have only the current one. */
function completionsOf(action: ActionDetailView): CompletionEntry[] {
  if (action.completions?.length) return action.completions;
  if (!action.completedOn) return [];
  const { completedOn, completionEvidence, completedBy, verifiedOn, verifiedBy } = action;
  return [
    {
      completedOn,
      evidence: completionEvidence ?? '',
      completedBy: completedBy ?? null,
      verifiedOn,
      verifiedBy,
      reopenedOn: null,
      reopenReason: null,
    },
  ];
}

function historyOf(action: ActionDetailView, name: Lookup): HistoryEntry[] {
  const nameOf = (userId: string | null): string => (userId ? name(userId) : '');
  const entries: (HistoryEntry & { order: number })[] = [
    { kind: 'added', order: 0, on: action.addedAt.slice(0, 10) },
    ...action.progress.map((p) => ({
      kind: 'progress' as const,
      order: 1,
      on: p.reportedOn,
      note: p.note,
      evidence: p.evidence,
      tag: CONFIDENCE_TAG[p.confidence],
      by: nameOf(p.reportedBy),
    })),
    ...action.dueDateRevisions.map((r) => ({ kind: 'due-date' as const, order: 1, on: r.revisedOn, ...r })),
    // Every completion, with its sign-off and reopening: a reopened action keeps its history.
    ...completionsOf(action).flatMap((c) => [
      { kind: 'completed' as const, order: 2, on: c.completedOn, evidence: c.evidence, by: nameOf(c.completedBy) },
      ...(c.verifiedOn ? [{ kind: 'verified' as const, order: 3, on: c.verifiedOn, by: nameOf(c.verifiedBy) }] : []),
      ...(c.reopenedOn ? [{ kind: 'reopened' as const, order: 4, on: c.reopenedOn, reason: c.reopenReason }] : []),
    ]),
  ];
  // Stable: entries of one day keep the order they were recorded in.
  return entries.sort((a, b) => a.on.localeCompare(b.on) || a.order - b.order).map(({ order: _order, ...entry }) => entry);
}

/** "Verified complete, 4 working days late", "Complete, not yet verified", "Open". */
function statusText(action: ActionDetailView): string {
  if (action.status !== 'completed') return 'Open';
  const late = action.lateWorkingDays
    ? `, completed ${action.lateWorkingDays} working day${action.lateWorkingDays === 1 ? '' : 's'} late`
    : ', completed on time';
  return (action.verifiedOn ? 'Verified complete' : 'Complete, not yet verified') + late;
}

const progressInput = inputPipe(ReportProgressDto, (body) => filled(body, ['note', 'confidence', 'evidence']));
const dueDateInput = inputPipe(
  ReviseDueDateDto,
  (body) => ({ ...filled(body, ['dueReason', 'approvedBy']), newDueOn: dayFromParts(body, 'newDueOn') }),
  (v) => ({ newDueOn: v.newDueOn, reason: v.dueReason, approvedBy: v.approvedBy }),
);
const completeInput = inputPipe(
  CompleteActionDto,
  (body) => ({ ...filled(body, ['completionEvidence']), completedOn: dayFromParts(body, 'completedOn') }),
  (v) => ({ evidence: v.completionEvidence ?? '', ...(v.completedOn === undefined ? {} : { completedOn: v.completedOn }) }),
);
const verifyInput = inputPipe(
  VerifyActionDto,
  (body) => ({ verifiedOn: dayFromParts(body, 'verifiedOn') }),
  (v) => (v.verifiedOn === undefined ? {} : v),
);
const reopenInput = inputPipe(
  ReopenActionDto,
  (body) => filled(body, ['reopenReason']),
  (v) => ({ reason: v.reopenReason }),
);

/** Every form of the page: back to the action with its banner, or the form's page again with the problems. */
const FORMS: Record<ActionForm, PageForm<IdParam>> = {
  progress: form({
    input: progressInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.progress({ id }, dto, context),
    done: 'reported',
    labels: { note: 'Progress', confidence: 'Confidence', evidence: 'Evidence' },
    formId: 'progress',
  }),
  'due-date': form({
    input: dueDateInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.reviseDueDate({ id }, dto, context),
    done: 'revised',
    labels: { newDueOn: 'New due date', reason: 'Reason', approvedBy: 'Who agreed it' },
    fieldOf: { DUE_DATE_UNCHANGED: 'newDueOn', ACTION_DUE_BEFORE_START: 'newDueOn' },
    days: ['newDueOn'],
    formId: 'due-date',
    rename: { reason: 'dueReason' },
  }),
  complete: form({
    input: completeInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.complete({ id }, dto, context),
    done: 'completed',
    labels: { completedOn: 'Date completed', evidence: 'Evidence' },
    fieldOf: { BUSINESS_DATE_IN_FUTURE: 'completedOn' },
    days: ['completedOn'],
    formId: 'complete',
    rename: { evidence: 'completionEvidence' },
  }),
  verify: form({
    input: verifyInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.verify({ id }, dto, context),
    done: 'verified',
    labels: { verifiedOn: 'Date of the sign-off' },
    fieldOf: { BUSINESS_DATE_IN_FUTURE: 'verifiedOn', VERIFIED_BEFORE_COMPLETION: 'verifiedOn' },
    days: ['verifiedOn'],
    formId: 'verify',
  }),
  reopen: form({
    input: reopenInput,
    send: (use, dto, context, { id }: IdParam) => use.plans.reopen({ id }, dto, context),
    done: 'reopened',
    labels: { reason: 'Why it is reopened' },
    formId: 'reopen',
    rename: { reason: 'reopenReason' },
  }),
};

/** An improvement action: its history, and reporting progress, revising the due date, completing, signing off, reopening. */
@PageController('actions/:id')
export class ActionPage extends RecordPages(IdParam, FORMS) {
  protected hrefOf({ id }: IdParam): string {
    return actionHref(id);
  }

  /** The action, or one of its forms on a page of its own (`form`). */
  protected async showRecord(page: Page, { id }: IdParam, values: Values, problems = noProblems(), end?: string): Promise<void> {
    const form = end as ActionForm | undefined;
    const [action, name] = await Promise.all([this.useCases.plans.getAction({ id }, {}), this.names.users()]);
    const { userId } = page.principal;
    const owner = action.ownerId === userId;
    const completer = action.completedBy === userId;
    const signOff = action.status === 'completed' && page.may('POST /api/v1/actions/:id/verify');
    // The same rules as the policy (owner or improvement lead) and the decider (open; someone else verifies).
    const mayUpdate =
      action.status === 'open' && page.may('POST /api/v1/actions/:id/progress', { ownerId: action.ownerId ?? '' });
    const unverified = action.verifiedOn === null;
    const dates = (name: string) => dayBoxes(values, name, problems);
    const offered: Record<ActionForm, boolean> = {
      progress: mayUpdate,
      'due-date': mayUpdate,
      complete: mayUpdate,
      verify: signOff && !owner && !completer && unverified,
      reopen: signOff,
    };
    // A form the action no longer takes (completed, verified) is not offered: back to the action.
    if (form && !offered[form] && page.request.method === 'GET') return page.response.redirect(303, actionHref(id));
    const links = await this.linksOf(page, action);
    const context = {
      ...links,
      title: action.title,
      action,
      ownerName: ownerNameOf(action, name),
      tag: actionTag(action),
      statusText: statusText(action),
      form,
      formButtons: (Object.keys(ACTION_FORMS) as ActionForm[])
        .filter((f) => offered[f])
        .map((f) => ({
          text: ACTION_FORMS[f],
          href: `${actionHref(id)}/${f}`,
          classes: f === 'reopen' ? 'govuk-button--warning' : undefined,
        })),
      history: historyOf(action, name),
      mayReport: mayUpdate,
      mayRevise: mayUpdate,
      mayComplete: mayUpdate,
      mayVerify: offered.verify,
      ownCompletion: signOff && owner && unverified,
      ownCompletionRecord: signOff && !owner && completer && unverified,
      mayReopen: signOff,
      confidenceItems: CONFIDENCES.map((c) => ({ value: c, text: words(c), checked: values.confidence === c })),
      newDueOnItems: dates('newDueOn'),
      completedOnItems: dates('completedOn'),
      verifiedOnItems: dates('verifiedOn'),
      done: page.done,
      values,
    };
    if (form)
      return this.render(
        page,
        'plans/action-form.njk',
        { ...context, title: `${ACTION_FORMS[form]}: ${action.title}` },
        problems,
      );
    this.render(page, 'plans/action.njk', context, problems);
  }

  /**
   * What the action answers and what measures it, each a link: the audit findings (the audit by its case
   * reference and date, the domain by its title), the plan's recommendations (the plan page's anchor),
   * its indicator (the scorecard), and its impact view.
   */
  private async linksOf(page: Page, action: ActionDetailView) {
    const [findings, plan] = await Promise.all([
      findingsOfAction(
        this.queries,
        action.actionId,
        page.principal.userId,
        page.principal.role === 'team-manager' ? page.principal.teamIds : null,
      ),
      this.useCases.plans.status({ id: action.planId }, {}),
    ]);
    const texts = new Map(plan.recommendations.map((r, index) => [r.recommendationId, { text: r.text, number: index + 1 }]));
    return {
      planTitle: plan.title,
      priorityTitle: plan.priorities.find((p) => p.priorityId === action.priorityId)?.title ?? null,
      findings: findings.map((f) => ({
        ...f,
        href: f.caseRef ? `/audits/${encodeURIComponent(f.auditId)}#improvement` : null,
      })),
      recommendations: action.recommendationIds.map((recommendationId) => ({
        text: texts.get(recommendationId)?.text ?? recommendationId,
        number: texts.get(recommendationId)?.number ?? null,
        href: `${planHref(action.planId)}#recommendation-${encodeURIComponent(recommendationId)}`,
      })),
      indicator: action.indicatorCode
        ? { code: action.indicatorCode, href: `/scorecard/${encodeURIComponent(action.indicatorCode)}` }
        : null,
      impactHref: `/impact?actionId=${encodeURIComponent(action.actionId)}`,
    };
  }
}
