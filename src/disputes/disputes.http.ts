import { Body, Controller, createParamDecorator, Get, HttpCode, Param, Post, Query, type ExecutionContext } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Principal } from '../shared';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
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

/** The signed-in caller (set by the global AuthGuard). */
const SignedIn = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ principal: Principal }>().principal,
);

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
  constructor(private readonly disputes: DisputeUseCases) {}

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
    return this.disputes.stats(params, visible);
  }

  @Get()
  @ApiOkResponse({ type: [DisputeSummaryView] })
  list(@Query() params: ListDisputesParams, @RecordScope() visible: VisibleRecords | null): Promise<DisputeSummaryView[]> {
    return this.disputes.list(params, visible);
  }

  @Get(':id')
  @ApiOkResponse({ type: DisputeView })
  @ApiNotFoundResponse({ description: 'No such DR (or, for a team manager, not one of their teams).' })
  get(
    @Param() route: DisputeIdParam,
    @Query() query: OnParams,
    @RecordScope() visible: VisibleRecords | null,
  ): Promise<DisputeView> {
    return this.disputes.get(route, query, visible);
  }

  @Post(':id/escalations')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR.' })
  @ApiConflictResponse({ description: 'The DR is resolved.' })
  @ApiUnprocessableEntityResponse({ description: 'Not a higher stage of its protocol, or a date out of order.' })
  escalate(
    @Param() route: DisputeIdParam,
    @Body() body: EscalateDisputeDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.disputes.escalate(route, body, context);
  }

  @Post(':id/responses')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR (or, for a team manager, not one of their teams).' })
  @ApiConflictResponse({ description: 'The DR is resolved, or the stage already has a response.' })
  @ApiUnprocessableEntityResponse({ description: 'A stage the DR never reached, or a date out of order.' })
  respond(
    @Param() route: DisputeIdParam,
    @Body() body: RecordDisputeResponseDto,
    @Ctx() context: CommandContext,
    @SignedIn() principal: Principal,
  ): Promise<DecideResult> {
    return this.disputes.respond(route, body, context, principal);
  }

  @Post(':id/resolution')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR.' })
  @ApiConflictResponse({ description: 'The DR is already resolved.' })
  @ApiUnprocessableEntityResponse({ description: 'A date out of order or in the future.' })
  resolve(
    @Param() route: DisputeIdParam,
    @Body() body: ResolveDisputeDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.disputes.resolve(route, body, context);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR.' })
  @ApiConflictResponse({ description: 'The DR is not resolved.' })
  @ApiUnprocessableEntityResponse({ description: 'A date before the resolution or in the future.' })
  reopen(@Param() route: DisputeIdParam, @Body() body: ReopenDisputeDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.disputes.reopen(route, body, context);
  }

  @Post(':id/cafcass-referral')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such DR.' })
  @ApiConflictResponse({ description: 'Already referred. (A resolved DR may be referred: after the local process.)' })
  @ApiUnprocessableEntityResponse({ description: 'A date before the DR or in the future.' })
  referToCafcass(
    @Param() route: DisputeIdParam,
    @Body() body: CafcassReferralDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.disputes.referToCafcass(route, body, context);
  }
}

@ApiTags('disputes')
@ApiSignedIn()
@Controller('api/v1/teams/:teamId/disputes')
export class TeamDisputesController {
  constructor(private readonly disputes: DisputeUseCases) {}

  @Get()
  @ApiOkResponse({
    type: [DisputeSummaryView],
    description: "The team's open DRs on `on`, with stage, due date and overdue flag.",
  })
  list(
    @Param() route: TeamIdParam,
    @Query() query: OnParams,
    @RecordScope() visible: VisibleRecords | null,
  ): Promise<DisputeSummaryView[]> {
    return this.disputes.openForTeam(route, query, visible);
  }
}

@ApiTags('disputes')
@ApiSignedIn()
@Controller('api/v1/dispute-protocols')
export class DisputeProtocolsController {
  constructor(private readonly protocols: DisputeProtocolUseCases) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView, description: 'New DRs start under this version; existing ones keep theirs.' })
  @ApiUnprocessableEntityResponse({ description: 'No informal first stage, repeated keys, or unchanged.' })
  publish(@Body() body: PublishDisputeProtocolDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.protocols.publish(body, context);
  }

  @Get()
  @ApiOkResponse({ type: [DisputeProtocolRow], description: 'Every version, oldest first; the last is current.' })
  list(): Promise<DisputeProtocolRow[]> {
    return this.protocols.list();
  }
}

@ApiTags('disputes')
@ApiSignedIn()
@Controller('api/v1/good-practice-alerts')
export class GoodPracticeAlertsController {
  constructor(private readonly alerts: GoodPracticeAlertUseCases) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: RaisedAlertView })
  @ApiConflictResponse({ description: 'The team is closed.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown team, or a date in the future.' })
  raise(@Body() body: RaiseGoodPracticeAlertDto, @Ctx() context: CommandContext): Promise<DecideResult & { alertId: string }> {
    return this.alerts.raise(body, context);
  }

  @Get()
  @ApiOkResponse({ type: [GoodPracticeAlertRow] })
  list(
    @Query() query: ListGoodPracticeAlertsParams,
    @RecordScope() visible: VisibleRecords | null,
  ): Promise<GoodPracticeAlertRow[]> {
    return this.alerts.list(query, visible);
  }
}
