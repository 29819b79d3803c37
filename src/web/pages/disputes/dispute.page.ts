import { Body, Get, Param, Post } from '@nestjs/common';
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
import { inputPipe, Page, PageIn, Pages, type Input, type SubmitOptions, PageController } from '../../kit';
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

/** A dispute: the stage timeline, escalate (with bypass), record a response, resolve, reopen, refer to Cafcass. */
@PageController('disputes/:id')
export class DisputePage extends Pages {
  @Get()
  async show(@PageIn() page: Page, @Param() { id }: DisputeIdParam): Promise<void> {
    await this.showDispute(page, id, {});
  }

  /** Each form of the dispute on its own page, at the address it posts to (a button on the dispute leads there). */
  @Get(Object.keys(DISPUTE_FORMS))
  formPage(@PageIn() page: Page, @Param() { id }: DisputeIdParam) {
    return this.showDispute(page, id, {}, noProblems(), page.routeEnd as DisputeForm);
  }

  @Post('escalate')
  async escalate(@PageIn() page: Page, @Param() { id }: DisputeIdParam, @Body(escalateInput) input: Input<EscalateDisputeDto>) {
    await this.act(page, id, input, 'escalated', 'escalate', {
      send: (dto, context) => this.useCases.disputes.escalate({ id }, dto, context),
      labels: { toStage: 'Stage to escalate to', reason: 'Reason' },
    });
  }

  @Post('respond')
  async respond(
    @PageIn() page: Page,
    @Param() { id }: DisputeIdParam,
    @Body(respondInput) input: Input<RecordDisputeResponseDto>,
  ) {
    await this.act(page, id, input, 'responded', 'respond', {
      send: (dto, context) => this.useCases.disputes.respond({ id }, dto, context, page.principal),
      labels: { response: 'Response', respondentName: 'Who answered' },
    });
  }

  @Post('resolve')
  async resolve(@PageIn() page: Page, @Param() { id }: DisputeIdParam, @Body(resolveInput) input: Input<ResolveDisputeDto>) {
    await this.act(page, id, input, 'resolved', 'resolve', {
      send: (dto, context) => this.useCases.disputes.resolve({ id }, dto, context),
      labels: { outcome: 'Outcome', note: 'Note' },
    });
  }

  @Post('reopen')
  async reopen(@PageIn() page: Page, @Param() { id }: DisputeIdParam, @Body(reopenInput) input: Input<ReopenDisputeDto>) {
    await this.act(page, id, input, 'reopened', 'reopen', {
      send: (dto, context) => this.useCases.disputes.reopen({ id }, dto, context),
      labels: { reason: 'Why it is reopened' },
      idOf: () => 'reopenReason',
    });
  }

  @Post('cafcass-referral')
  async referToCafcass(
    @PageIn() page: Page,
    @Param() { id }: DisputeIdParam,
    @Body(cafcassInput) input: Input<CafcassReferralDto>,
  ) {
    await this.act(page, id, input, 'referred', 'cafcass-referral', {
      send: (dto, context) => this.useCases.disputes.referToCafcass({ id }, dto, context),
      labels: { reason: 'Why you are referring' },
      idOf: () => 'cafcassReason',
    });
  }

  /** One form's command: done -> back to the DR with a banner; refused -> the DR page with the form's errors. */
  private act<T, R>(
    page: Page,
    id: string,
    input: Input<T>,
    done: string,
    form: DisputeForm,
    options: Omit<SubmitOptions<T, R>, 'to' | 'show'>,
  ) {
    return this.submit(page, input, {
      ...options,
      to: () => `/disputes/${encodeURIComponent(id)}?done=${done}`,
      show: (problems) => this.showDispute(page, id, { ...input.values, form: done }, problems, form),
      formId: done,
      fieldOf: { STAGE_NOT_HIGHER: 'toStage', UNKNOWN_STAGE: 'toStage', ESCALATION_NOT_UPWARDS: 'toStage' },
    });
  }

  /** The dispute, or one of its forms on a page of its own (`form`). */
  private async showDispute(
    page: Page,
    id: string,
    values: Record<string, unknown>,
    problems = noProblems(),
    form?: DisputeForm,
  ): Promise<void> {
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
    if (form && !offered[form] && page.request.method === 'GET')
      return page.response.redirect(303, `/disputes/${encodeURIComponent(id)}`);
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
