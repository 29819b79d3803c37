import { Body, Controller, createParamDecorator, Get, HttpCode, Param, Post, Query, type ExecutionContext } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { dayOf, financialYearStart, type LocalDate } from '@casetrail/kernel';
import { businessToday, ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
import type { Principal } from '../shared';
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
} from './disputes.commands';
import {
  DisputeStatsQuery,
  DisputeSummaryView,
  DisputeView,
  GetDisputeQuery,
  ListDisputeProtocolsQuery,
  ListDisputesQuery,
  ListGoodPracticeAlertsQuery,
} from './disputes.queries';
import { DisputesService, type RaisedDispute } from './disputes.service';
import { DisputeProtocolRow } from './projections/dispute-protocol.projection';
import { GoodPracticeAlertRow } from './projections/good-practice-alert.projection';

/** The signed-in caller (set by the global AuthGuard). */
const SignedIn = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ principal: Principal }>().principal,
);

/** Today, or the day of asAt when the request reads as at an instant. */
const today = (): LocalDate => businessToday();

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

@ApiTags('disputes')
@ApiSignedIn()
@Controller('api/v1/disputes')
export class DisputesController {
  constructor(
    private readonly disputes: DisputesService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: RaisedDisputeView })
  @ApiConflictResponse({ description: 'The team is closed.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown team or stage, or a date in the future.' })
  raise(@Body() body: RaiseDisputeDto, @Ctx() context: CommandContext): Promise<RaisedDispute> {
    return this.disputes.raise(body, context);
  }

  @Get('stats')
  @ApiOkResponse({ description: 'Per financial quarter in the range, and totals.' })
  @ApiUnprocessableEntityResponse({ description: '"from" is after "to", or the range is longer than 10 years.' })
  stats(@Query() params: StatsParams, @RecordScope() visible: VisibleRecords | null): Promise<DisputeStats> {
    const to = params.to ?? today();
    const from = params.from ?? `${financialYearStart(to)}-04-01`;
    return this.queries.execute(new DisputeStatsQuery(from, to, params.teamId, visible));
  }

  @Get()
  @ApiOkResponse({ type: [DisputeSummaryView] })
  list(@Query() params: ListDisputesParams, @RecordScope() visible: VisibleRecords | null): Promise<DisputeSummaryView[]> {
    const overdue = params.overdue === undefined ? undefined : params.overdue === 'true';
    const filter = { teamId: params.teamId, status: params.status, overdue, on: params.on ?? today() };
    return this.queries.execute(new ListDisputesQuery(filter, visible));
  }

  @Get(':id')
  @ApiOkResponse({ type: DisputeView })
  @ApiNotFoundResponse({ description: 'No such DR (or, for a team manager, not one of their teams).' })
  get(
    @Param() { id }: DisputeIdParam,
    @Query() { on }: OnParams,
    @RecordScope() visible: VisibleRecords | null,
  ): Promise<DisputeView> {
    return this.queries.execute(new GetDisputeQuery(id, on ?? today(), visible));
  }

  @Post(':id/escalations')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR.' })
  @ApiConflictResponse({ description: 'The DR is resolved.' })
  @ApiUnprocessableEntityResponse({ description: 'Not a higher stage of its protocol, or a date out of order.' })
  escalate(
    @Param() { id }: DisputeIdParam,
    @Body() body: EscalateDisputeDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const escalatedOn = body.escalatedOn ?? dayOf(context.now);
    return this.disputes.decide(
      id,
      { type: 'EscalateDispute', now: context.now, disputeId: id, toStage: body.toStage, reason: body.reason, escalatedOn },
      context,
    );
  }

  @Post(':id/responses')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR (or, for a team manager, not one of their teams).' })
  @ApiConflictResponse({ description: 'The DR is resolved, or the stage already has a response.' })
  @ApiUnprocessableEntityResponse({ description: 'A stage the DR never reached, or a date out of order.' })
  respond(
    @Param() { id }: DisputeIdParam,
    @Body() body: RecordDisputeResponseDto,
    @Ctx() context: CommandContext,
    @SignedIn() principal: Principal,
  ): Promise<DecideResult> {
    return this.disputes.decide(
      id,
      {
        type: 'RecordDisputeResponse',
        now: context.now,
        disputeId: id,
        stage: body.stage,
        respondentId: context.actorId,
        respondentName: body.respondentName,
        respondedOn: body.respondedOn ?? dayOf(context.now),
        response: body.response,
        satisfactory: body.satisfactory,
        actor: { role: principal.role, teamIds: principal.teamIds },
      },
      context,
    );
  }

  @Post(':id/resolution')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR.' })
  @ApiConflictResponse({ description: 'The DR is already resolved.' })
  @ApiUnprocessableEntityResponse({ description: 'A date out of order or in the future.' })
  resolve(
    @Param() { id }: DisputeIdParam,
    @Body() body: ResolveDisputeDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const resolvedOn = body.resolvedOn ?? dayOf(context.now);
    return this.disputes.decide(
      id,
      { type: 'ResolveDispute', now: context.now, disputeId: id, resolvedOn, outcome: body.outcome, note: body.note },
      context,
    );
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR.' })
  @ApiConflictResponse({ description: 'The DR is not resolved.' })
  @ApiUnprocessableEntityResponse({ description: 'A date before the resolution or in the future.' })
  reopen(@Param() { id }: DisputeIdParam, @Body() body: ReopenDisputeDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    const reopenedOn = body.reopenedOn ?? dayOf(context.now);
    return this.disputes.decide(
      id,
      { type: 'ReopenDispute', now: context.now, disputeId: id, reopenedOn, reason: body.reason },
      context,
    );
  }

  @Post(':id/cafcass-referral')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR.' })
  @ApiConflictResponse({ description: 'Already referred. (A resolved DR may be referred: after the local process.)' })
  @ApiUnprocessableEntityResponse({ description: 'A date before the DR or in the future.' })
  referToCafcass(
    @Param() { id }: DisputeIdParam,
    @Body() body: CafcassReferralDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const referredOn = body.referredOn ?? dayOf(context.now);
    return this.disputes.decide(
      id,
      { type: 'ReferDisputeToCafcass', now: context.now, disputeId: id, referredOn, reason: body.reason },
      context,
    );
  }
}

@ApiTags('disputes')
@ApiSignedIn()
@Controller('api/v1/teams/:teamId/disputes')
export class TeamDisputesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOkResponse({
    type: [DisputeSummaryView],
    description: "The team's open DRs on `on`, with stage, due date and overdue flag.",
  })
  list(
    @Param() { teamId }: TeamIdParam,
    @Query() { on }: OnParams,
    @RecordScope() visible: VisibleRecords | null,
  ): Promise<DisputeSummaryView[]> {
    return this.queries.execute(new ListDisputesQuery({ teamId, status: 'open', on: on ?? today() }, visible));
  }
}

@ApiTags('disputes')
@ApiSignedIn()
@Controller('api/v1/dispute-protocols')
export class DisputeProtocolsController {
  constructor(
    private readonly disputes: DisputesService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView, description: 'New DRs start under this version; existing ones keep theirs.' })
  @ApiUnprocessableEntityResponse({ description: 'No informal first stage, repeated keys, or unchanged.' })
  publish(@Body() body: PublishDisputeProtocolDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.disputes.publishProtocol(body, context);
  }

  @Get()
  @ApiOkResponse({ type: [DisputeProtocolRow], description: 'Every version, oldest first; the last is current.' })
  list(): Promise<DisputeProtocolRow[]> {
    return this.queries.execute(new ListDisputeProtocolsQuery());
  }
}

@ApiTags('disputes')
@ApiSignedIn()
@Controller('api/v1/good-practice-alerts')
export class GoodPracticeAlertsController {
  constructor(
    private readonly disputes: DisputesService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: RaisedAlertView })
  @ApiConflictResponse({ description: 'The team is closed.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown team, or a date in the future.' })
  raise(@Body() body: RaiseGoodPracticeAlertDto, @Ctx() context: CommandContext): Promise<DecideResult & { alertId: string }> {
    return this.disputes.raiseGoodPracticeAlert(body, context);
  }

  @Get()
  @ApiOkResponse({ type: [GoodPracticeAlertRow] })
  list(
    @Query() { teamId }: ListGoodPracticeAlertsParams,
    @RecordScope() visible: VisibleRecords | null,
  ): Promise<GoodPracticeAlertRow[]> {
    return this.queries.execute(new ListGoodPracticeAlertsQuery(teamId, visible));
  }
}
