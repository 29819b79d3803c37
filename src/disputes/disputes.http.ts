import { Body, Param, Query } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { Principal } from '../shared';
import {
  ApiController,
  Caller,
  Ctx,
  type CommandContext,
  type DecideResult,
  DecideResultView,
  CommandRoute,
  ChangeRoute,
  QueryRoute,
} from '../core';
import { RecordScope, type VisibleRecords } from '../auth';
import type { DisputeStats } from './dispute-stats';
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
import { DisputeProtocolUseCases, DisputeUseCases, GoodPracticeAlertUseCases, type RaisedDispute } from './disputes.use-cases';

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

@ApiController('disputes', 'api/v1/disputes')
export class DisputesController {
  constructor(private readonly disputes: DisputeUseCases) {}

  @CommandRoute({
    type: RaisedDisputeView,
    conflict: 'The team is closed.',
    unprocessable: 'Unknown team or stage, or a date in the future.',
  })
  raise(@Body() body: RaiseDisputeDto, @Ctx() context: CommandContext): Promise<RaisedDispute> {
    return this.disputes.raise(body, context);
  }

  @QueryRoute('stats', {
    description: 'Per financial quarter in the range, and totals.',
    unprocessable: '"from" is after "to", or the range is longer than 10 years.',
  })
  stats(@Query() params: StatsParams, @RecordScope() visible: VisibleRecords | null): Promise<DisputeStats> {
    return this.disputes.stats(params, visible);
  }

  @QueryRoute({ type: [DisputeSummaryView] })
  list(@Query() params: ListDisputesParams, @RecordScope() visible: VisibleRecords | null): Promise<DisputeSummaryView[]> {
    return this.disputes.list(params, visible);
  }

  @QueryRoute(':id', { type: DisputeView, notFound: 'No such DR (or, for a team manager, not one of their teams).' })
  get(
    @Param() route: DisputeIdParam,
    @Query() query: OnParams,
    @RecordScope() visible: VisibleRecords | null,
  ): Promise<DisputeView> {
    return this.disputes.get(route, query, visible);
  }

  @CommandRoute(':id/escalations', {
    notFound: 'No such DR.',
    conflict: 'The DR is resolved.',
    unprocessable: 'Not a higher stage of its protocol, or a date out of order.',
  })
  escalate(
    @Param() route: DisputeIdParam,
    @Body() body: EscalateDisputeDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.disputes.escalate(route, body, context);
  }

  @CommandRoute(':id/responses', {
    notFound: 'No such DR (or, for a team manager, not one of their teams).',
    conflict: 'The DR is resolved, or the stage already has a response.',
    unprocessable: 'A stage the DR never reached, or a date out of order.',
  })
  respond(
    @Param() route: DisputeIdParam,
    @Body() body: RecordDisputeResponseDto,
    @Ctx() context: CommandContext,
    @Caller() principal: Principal,
  ): Promise<DecideResult> {
    return this.disputes.respond(route, body, context, principal);
  }

  @CommandRoute(':id/resolution', {
    notFound: 'No such DR.',
    conflict: 'The DR is already resolved.',
    unprocessable: 'A date out of order or in the future.',
  })
  resolve(
    @Param() route: DisputeIdParam,
    @Body() body: ResolveDisputeDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.disputes.resolve(route, body, context);
  }

  @ChangeRoute(':id/reopen', {
    notFound: 'No such DR.',
    conflict: 'The DR is not resolved.',
    unprocessable: 'A date before the resolution or in the future.',
  })
  reopen(@Param() route: DisputeIdParam, @Body() body: ReopenDisputeDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.disputes.reopen(route, body, context);
  }

  @CommandRoute(':id/cafcass-referral', {
    notFound: 'No such DR.',
    conflict: 'Already referred. (A resolved DR may be referred: after the local process.)',
    unprocessable: 'A date before the DR or in the future.',
  })
  referToCafcass(
    @Param() route: DisputeIdParam,
    @Body() body: CafcassReferralDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.disputes.referToCafcass(route, body, context);
  }
}

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
export class DisputeProtocolsController {
  constructor(private readonly protocols: DisputeProtocolUseCases) {}

  @CommandRoute({
    description: 'New DRs start under this version; existing ones keep theirs.',
    unprocessable: 'No informal first stage, repeated keys, or unchanged.',
  })
  publish(@Body() body: PublishDisputeProtocolDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.protocols.publish(body, context);
  }

  @QueryRoute({ type: [DisputeProtocolRow], description: 'Every version, oldest first; the last is current.' })
  list(): Promise<DisputeProtocolRow[]> {
    return this.protocols.list();
  }
}

@ApiController('disputes', 'api/v1/good-practice-alerts')
export class GoodPracticeAlertsController {
  constructor(private readonly alerts: GoodPracticeAlertUseCases) {}

  @CommandRoute({
    type: RaisedAlertView,
    conflict: 'The team is closed.',
    unprocessable: 'Unknown team, or a date in the future.',
  })
  raise(@Body() body: RaiseGoodPracticeAlertDto, @Ctx() context: CommandContext): Promise<DecideResult & { alertId: string }> {
    return this.alerts.raise(body, context);
  }

  @QueryRoute({ type: [GoodPracticeAlertRow] })
  list(
    @Query() query: ListGoodPracticeAlertsParams,
    @RecordScope() visible: VisibleRecords | null,
  ): Promise<GoodPracticeAlertRow[]> {
    return this.alerts.list(query, visible);
  }
}
