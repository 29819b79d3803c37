import {
  CafcassReferralDto,
  DisputeIdParam,
  EscalateDisputeDto,
  RecordDisputeResponseDto,
  ReopenDisputeDto,
  ResolveDisputeDto,
  DISPUTE_OUTCOMES,
  type DisputeOutcome,
} from '../../../disputes';
import { filled, noProblems } from '../../forms';
import { form, inputPipe, Page, PageController, RecordPages, type FormRow, type PageForm } from '../../kit';
import { lowerWords } from '../../views';

/** Outcomes as the resolve form and the timeline say them. */
export const OUTCOME_TEXT: Record<DisputeOutcome, string> = {
  resolved: 'Resolved',
  'partly-resolved': 'Partly resolved',
  withdrawn: 'Withdrawn',
  unresolved: 'Unresolved: the local process ended without agreement',
  'referred-to-cafcass': 'Referred to Cafcass after the local process',
};
const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
const DONE_TEXT: Record<string, string> = {
  raised: 'Dispute raised.',
  escalated: 'Dispute escalated.',
  responded: 'Response recorded.',
  resolved: 'Dispute resolved.',
  reopened: 'Dispute reopened.',
  referred: 'Referral to Cafcass recorded.',
};
/** The dispute's forms, each on its own page, as its button names it. */
const DISPUTE_FORMS = {
  escalate: 'Escalate',
  respond: 'Record a response',
  resolve: 'Resolve',
  'cafcass-referral': 'Refer to Cafcass',
  reopen: 'Reopen',
} as const;
type DisputeForm = keyof typeof DISPUTE_FORMS;
const escalateInput = inputPipe(EscalateDisputeDto, (body) => filled(body, ['toStage', 'reason']));
const respondInput = inputPipe(
  RecordDisputeResponseDto,
  (body) => filled(body, ['response', 'respondentName', 'satisfactory']),
  (v) => ({ ...v, satisfactory: v.satisfactory === 'yes' ? true : v.satisfactory === 'no' ? false : undefined }),
);
const resolveInput = inputPipe(ResolveDisputeDto, (body) => filled(body, ['outcome', 'note']));
/** The forms that are one reason box (reopen, refer to Cafcass): each box has its own name on the page, the DTO says `reason`. */
const reasonInput = <T extends object>(dto: new () => T, field: string) =>
  inputPipe(
    dto,
    (body) => filled(body, [field]),
    (v) => ({ reason: v[field] }),
  );
const reopenInput = reasonInput(ReopenDisputeDto, 'reopenReason');
const cafcassInput = reasonInput(CafcassReferralDto, 'cafcassReason');
/** What each form's banner says it did (?done=), also the id of its form. */
const FORM_DONE: Record<DisputeForm, string> = {
  escalate: 'escalated',
  respond: 'responded',
  resolve: 'resolved',
  reopen: 'reopened',
  'cafcass-referral': 'referred',
};
/** One form of the dispute: back to the dispute with a banner; refused, the form's page with its errors. */
const disputeForm = <T, R>(name: DisputeForm, row: Omit<FormRow<DisputeIdParam, T, R>, 'done'>) =>
  form<DisputeIdParam, T, R>({
    done: FORM_DONE[name],
    formId: FORM_DONE[name],
    fieldOf: { STAGE_NOT_HIGHER: 'toStage', UNKNOWN_STAGE: 'toStage', ESCALATION_NOT_UPWARDS: 'toStage' },
    ...row,
  });
const FORMS: Record<DisputeForm, PageForm<DisputeIdParam>> = {
  escalate: disputeForm('escalate', {
    input: escalateInput,
    send: (use, dto, context, { id }) => use.disputes.escalate({ id }, dto, context),
    labels: { toStage: 'Stage to escalate to', reason: 'Reason' },
  }),
  respond: disputeForm('respond', {
    input: respondInput,
    send: (use, dto, context, { id }, page) => use.disputes.respond({ id }, dto, context, page.principal),
    labels: { response: 'Response', respondentName: 'Who answered' },
  }),
  resolve: disputeForm('resolve', {
    input: resolveInput,
    send: (use, dto, context, { id }) => use.disputes.resolve({ id }, dto, context),
    labels: { outcome: 'Outcome', note: 'Note' },
  }),
  reopen: disputeForm('reopen', {
    input: reopenInput,
    send: (use, dto, context, { id }) => use.disputes.reopen({ id }, dto, context),
    labels: { reason: 'Why it is reopened' },
    idOf: () => 'reopenReason',
  }),
  'cafcass-referral': disputeForm('cafcass-referral', {
    input: cafcassInput,
    send: (use, dto, context, { id }) => use.disputes.referToCafcass({ id }, dto, context),
    labels: { reason: 'Why you are referring' },
    idOf: () => 'cafcassReason',
  }),
};

/** A dispute: the stage timeline, escalate (with bypass), record a response, resolve, reopen, refer to Cafcass. */
@PageController('disputes/:id')
export class DisputePage extends RecordPages(DisputeIdParam, FORMS) {
  protected hrefOf({ id }: DisputeIdParam): string {
    return `/disputes/${encodeURIComponent(id)}`;
  }

  /** The dispute, or one of its forms on a page of its own (`form`). */
  protected async showRecord(
    page: Page,
    { id }: DisputeIdParam,
    values: Record<string, unknown>,
    problems = noProblems(),
    end?: string,
  ): Promise<void> {
    const form = end as DisputeForm | undefined;
    const dispute = await this.useCases.disputes.get({ id }, {}, page.scope);
    const [protocols, name] = await Promise.all([this.useCases.disputeProtocols.list(), this.names.users()]);
    const all = protocols.find((p) => p.version === dispute.protocolVersion)?.stages ?? [];
    const higher = all.slice(all.findIndex((s) => s.key === dispute.stage) + 1);
    const open = dispute.status === 'open';
    const referral = dispute.cafcassReferral;
    const offered: Record<DisputeForm, boolean> = {
      escalate: open && page.may('POST /api/v1/disputes/:id/escalations') && higher.length > 0,
      respond: open && page.may('POST /api/v1/disputes/:id/responses'),
      resolve: open && page.may('POST /api/v1/disputes/:id/resolution'),
      // At any stage alongside the local process, or after it has ended (resolved).
      'cafcass-referral': page.may('POST /api/v1/disputes/:id/cafcass-referral') && !referral && dispute.status !== 'not-raised',
      reopen: dispute.status === 'resolved' && page.may('POST /api/v1/disputes/:id/reopen'),
    };
    // A form the dispute no longer takes (resolved, already referred) is not offered: back to the dispute.
    if (form && !offered[form] && page.request.method === 'GET') return page.response.redirect(303, this.hrefOf({ id }));
    const context = {
      title: `Dispute about ${dispute.childRef}`,
      dispute,
      raisedByName: name(dispute.raisedBy),
      titleOf: Object.fromEntries(all.map((s) => [s.key, s.title])),
      stages: dispute.stages.map((s) => ({
        ...s,
        bypassedTitles: s.bypassed.map((key) => all.find((x) => x.key === key)?.title ?? key),
      })),
      mayEscalate: offered.escalate,
      form,
      formButtons: (Object.keys(DISPUTE_FORMS) as DisputeForm[])
        .filter((f) => offered[f])
        .map((f) => ({ text: DISPUTE_FORMS[f], href: `/disputes/${encodeURIComponent(id)}/${f}` })),
      escalateItems: higher.map((s) => ({
        value: s.key,
        text: s.title,
        hint: { text: `Answered by the ${lowerWords(s.respondentRole)}` },
        checked: values.toStage === s.key,
      })),
      mayRespond: offered.respond,
      satisfactoryItems: [
        { value: 'yes', text: 'Yes', checked: values.satisfactory === 'yes' },
        { value: 'no', text: 'No', checked: values.satisfactory === 'no' },
      ],
      mayResolve: offered.resolve,
      mayReopen: offered.reopen,
      mayReferToCafcass: offered['cafcass-referral'],
      localProcessEnded: dispute.status === 'resolved',
      history: [
        ...dispute.statusChanges.map((c) =>
          c.status === 'resolved'
            ? { on: c.on, text: `Resolved: ${lowerFirst(OUTCOME_TEXT[c.outcome])}.`, detail: c.note }
            : { on: c.on, text: 'Reopened.', detail: c.reason },
        ),
        ...(referral
          ? [
              {
                on: referral.referredOn,
                text: referral.afterLocalProcess ? 'Referred to Cafcass after the local process ended.' : 'Referred to Cafcass.',
                detail: referral.reason,
              },
            ]
          : []),
      ].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0)),
      doneText: DONE_TEXT[page.done ?? ''],
      outcomeItems: DISPUTE_OUTCOMES.map((o) => ({ value: o, text: OUTCOME_TEXT[o], checked: values.outcome === o })),
      outcomeText: dispute.outcome ? lowerFirst(OUTCOME_TEXT[dispute.outcome as DisputeOutcome]) : '',
      done: page.done,
      values,
    };
    if (form)
      return this.render(page, 'disputes/form.njk', { ...context, title: `${DISPUTE_FORMS[form]}: ${context.title}` }, problems);
    this.render(page, 'disputes/show.njk', context, problems);
  }
}
