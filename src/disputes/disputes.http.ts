import { Param, Query } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { Principal } from '../shared';
import {
  ApiController,
  Caller,
  commandRoute,
  changeRoute,
  DecideResultView,
  from,
  QueryRoute,
  queryRoute,
  forwardTo,
} from '../core';
import { RecordScope, type VisibleRecords } from '../auth';
import {
  CafcassReferralDto,
  DisputeIdParam,
  EscalateDisputeDto,
  ListDisputesParams,
  ListGoodPracticeAlertsParams,
  OnParams,
  PublishDisputeProtocolDto,
  RaiseDisputeDto,
  RaiseGoodPracticeAlertDto,
  RecordDisputeResponseDto,
  ReopenDisputeDto,
  ResolveDisputeDto,
  StatsParams,
  TeamIdParam,
} from './disputes.dto';
import { DisputeSummaryView, DisputeView } from './disputes.queries';
import { DisputeProtocolRow } from './projections/dispute-protocol.projection';
import { GoodPracticeAlertRow } from './projections/good-practice-alert.projection';
import { DisputeProtocolUseCases, DisputeUseCases, GoodPracticeAlertUseCases } from './disputes.use-cases';

class RaisedDisputeView extends DecideResultView {
  @ApiProperty() disputeId!: string;
  @ApiProperty({ example: 'informal' }) stage!: string;
  @ApiProperty({ example: '2020-05-12', description: 'Response due: working days after the day raised, that day not counted.' })
  dueOn!: string;
  @ApiProperty({ example: 1 }) protocolVersion!: number;
}

class RaisedAlertView extends DecideResultView {
  @ApiProperty() alertId!: string;
}

const visibleRecords = from<VisibleRecords | null>(RecordScope());

@ApiController('disputes', 'api/v1/disputes')
export class DisputesController extends forwardTo(DisputeUseCases, {
  raise: commandRoute({
    body: RaiseDisputeDto,
    type: RaisedDisputeView,
    conflict: 'The team is closed.',
    unprocessable: 'Unknown team or stage, or a date in the future.',
  }),
  stats: queryRoute('stats', {
    query: StatsParams,
    also: [visibleRecords],
    description: 'Per financial quarter in the range, and totals.',
    unprocessable: '"from" is after "to", or the range is longer than 10 years.',
  }),
  list: queryRoute({
    query: ListDisputesParams,
    also: [visibleRecords],
    type: [DisputeSummaryView],
  }),
  get: queryRoute(':id', {
    params: DisputeIdParam,
    query: OnParams,
    also: [visibleRecords],
    type: DisputeView,
    notFound: 'No such DR (or, for a team manager, not one of their teams).',
  }),
  escalate: commandRoute(':id/escalations', {
    params: DisputeIdParam,
    body: EscalateDisputeDto,
    notFound: 'No such DR.',
    conflict: 'The DR is resolved.',
    unprocessable: 'Not a higher stage of its protocol, or a date out of order.',
  }),
  respond: commandRoute(':id/responses', {
    params: DisputeIdParam,
    body: RecordDisputeResponseDto,
    also: [from<Principal>(Caller())],
    notFound: 'No such DR (or, for a team manager, not one of their teams).',
    conflict: 'The DR is resolved, or the stage already has a response.',
    unprocessable: 'A stage the DR never reached, or a date out of order.',
  }),
  resolve: commandRoute(':id/resolution', {
    params: DisputeIdParam,
    body: ResolveDisputeDto,
    notFound: 'No such DR.',
    conflict: 'The DR is already resolved.',
    unprocessable: 'A date out of order or in the future.',
  }),
  reopen: changeRoute(':id/reopen', {
    params: DisputeIdParam,
    body: ReopenDisputeDto,
    notFound: 'No such DR.',
    conflict: 'The DR is not resolved.',
    unprocessable: 'A date before the resolution or in the future.',
  }),
  referToCafcass: commandRoute(':id/cafcass-referral', {
    params: DisputeIdParam,
    body: CafcassReferralDto,
    notFound: 'No such DR.',
    conflict: 'Already referred. (A resolved DR may be referred: after the local process.)',
    unprocessable: 'A date before the DR or in the future.',
  }),
}) {}

@ApiController('disputes', 'api/v1/teams/:teamId/disputes')
export class TeamDisputesController {
  constructor(private readonly disputes: DisputeUseCases) {}

  @QueryRoute({ type: [DisputeSummaryView], description: "The team's open DRs on `on`, with stage, due date and overdue flag." })
  list(
    @Param() route: TeamIdParam,
    @Query() query: OnParams,
    @RecordScope() visible: VisibleRecords | null,
  ): Promise<DisputeSummaryView[]> {
    return this.disputes.openForTeam(route, query, visible);
  }
}

@ApiController('disputes', 'api/v1/dispute-protocols')
export class DisputeProtocolsController extends forwardTo(DisputeProtocolUseCases, {
  publish: commandRoute({
    body: PublishDisputeProtocolDto,
    description: 'New DRs start under this version; existing ones keep theirs.',
    unprocessable: 'No informal first stage, repeated keys, or unchanged.',
  }),
  list: queryRoute({
    type: [DisputeProtocolRow],
    description: 'Every version, oldest first; the last is current.',
  }),
}) {}

@ApiController('disputes', 'api/v1/good-practice-alerts')
export class GoodPracticeAlertsController extends forwardTo(GoodPracticeAlertUseCases, {
  raise: commandRoute({
    body: RaiseGoodPracticeAlertDto,
    type: RaisedAlertView,
    conflict: 'The team is closed.',
    unprocessable: 'Unknown team, or a date in the future.',
  }),
  list: queryRoute({
    query: ListGoodPracticeAlertsParams,
    also: [visibleRecords],
    type: [GoodPracticeAlertRow],
  }),
}) {}
