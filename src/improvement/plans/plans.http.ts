import { Req } from '@nestjs/common';
import { ApiController, changeRoute, commandContext, commandRoute, from, fromBody, queryRoute, forwardTo } from '../../core';
import type { SignedInRequest } from '../../auth';
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
import { ActionDetailView, OutstandingActionsView, PlanStatusView } from './plans.queries';

import { PlanRow } from './projections/plan.projection';
import { PlanUseCases } from './plans.use-cases';

const signedInRequest = from<SignedInRequest>(Req());

@ApiController('improvement plans', 'api/v1')
export class PlansController extends forwardTo(PlanUseCases, {
  create: commandRoute('plans', {
    args: [fromBody(CreatePlanDto), signedInRequest, commandContext],
    conflict: 'A plan with this id already exists.',
    unprocessable: 'Trigger date in the future, judgement without an inspection, unknown owner.',
  }),
  addPriority: commandRoute('plans/:id/priorities', {
    params: IdParam,
    body: AddPriorityDto,
    notFound: 'No such plan.',
    conflict: 'The plan already has this priority.',
  }),
  addRecommendation: commandRoute('plans/:id/recommendations', {
    params: IdParam,
    body: AddRecommendationDto,
    notFound: 'No such plan.',
    conflict: 'The plan already has this recommendation id.',
    unprocessable: 'Due date missing, not allowed with the timescale, or before the trigger.',
  }),
  changeRagSettings: changeRoute('plans/:id/rag-settings', {
    params: IdParam,
    body: ChangeRagSettingsDto,
    notFound: 'No such plan.',
    unprocessable: 'A threshold out of range.',
  }),
  submit: changeRoute('plans/:id/submission', {
    params: IdParam,
    body: SubmitActionPlanDto,
    notFound: 'No such plan.',
    conflict: 'Already submitted.',
    unprocessable: 'Not a plan answering a published inspection; dated before publication or in the future.',
  }),
  recordPublication: changeRoute('plans/:id/report-publication', {
    params: IdParam,
    body: RecordReportPublicationDto,
    notFound: 'No such plan.',
    conflict: 'The publication was already recorded.',
    unprocessable: 'Not a plan answering an Ofsted inspection; published before the inspection ended or in the future.',
  }),
  addAction: commandRoute('plans/:id/actions', {
    params: IdParam,
    body: AddActionDto,
    notFound: 'No such plan.',
    conflict: 'An action with this id already exists.',
    unprocessable:
      'Unknown priority, recommendation, owner, team or indicator; due before the start; a finding that is none; a QA officer naming no finding.',
  }),
  linkFinding: commandRoute('actions/:id/findings', {
    params: IdParam,
    body: LinkFindingDto,
    notFound: 'No such action.',
    conflict: 'The action already answers that finding, or it is completed.',
    unprocessable: 'No such audit, a domain not in its framework, or a domain that is no area for development.',
  }),
  listPlans: queryRoute('plans', { type: [PlanRow] }),
  status: queryRoute('plans/:id/status', {
    params: IdParam,
    query: OnDayParams,
    type: PlanStatusView,
    description: 'RAG of every action, explained, computed for the day `on`.',
    notFound: 'No such plan.',
  }),
  getAction: queryRoute('actions/:id', {
    params: IdParam,
    query: OnDayParams,
    type: ActionDetailView,
    notFound: 'No such action.',
  }),
  progress: changeRoute('actions/:id/progress', {
    params: IdParam,
    body: ReportProgressDto,
    notFound: 'No such action.',
    conflict: 'The action is completed.',
    unprocessable: 'Report dated in the future.',
  }),
  reviseDueDate: changeRoute('actions/:id/due-date', {
    params: IdParam,
    body: ReviseDueDateDto,
    notFound: 'No such action.',
    conflict: 'The action is completed.',
    unprocessable: 'Same date, before the start, or revision dated in the future.',
  }),
  complete: changeRoute('actions/:id/complete', {
    params: IdParam,
    body: CompleteActionDto,
    notFound: 'No such action.',
    conflict: 'Already completed.',
    unprocessable: 'Completion dated in the future.',
  }),
  verify: changeRoute('actions/:id/verify', {
    params: IdParam,
    body: VerifyActionDto,
    notFound: 'No such action.',
    conflict: 'Already verified.',
    unprocessable: 'Not completed, you own the action or recorded its completion, or dated before the completion.',
  }),
  reopen: changeRoute('actions/:id/reopen', {
    params: IdParam,
    body: ReopenActionDto,
    notFound: 'No such action.',
    unprocessable: 'Not completed, or dated before the completion or in the future.',
  }),
  outstanding: queryRoute('teams/:teamId/outstanding-actions', {
    params: TeamIdParam,
    query: OnDayParams,
    also: [signedInRequest],
    type: OutstandingActionsView,
    description: 'Open improvement actions (with RAG) and open audit actions.',
    notFound: 'No such team.',
  }),
}) {}
