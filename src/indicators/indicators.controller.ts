import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { TeamScope } from '../auth';
import { parsePeriod } from '@casetrail/kernel';
import {
  ApiCommand,
  ApiSignedIn,
  Ctx,
  type CommandContext,
  DecideCommand,
  type DecideResult,
  DecideResultView,
  InvalidInputException,
} from '../core';
import { FindTeamsQuery } from '../teams';
import { indicatorDecider, type IndicatorCommand } from './indicator.decider';
import { indicatorStreamId } from './indicators.events';
import {
  ChangeAggregationDto,
  ChangeTargetDto,
  CodeParam,
  CorrectMeasurementDto,
  DefineIndicatorDto,
  RecordComparatorDto,
  RecordMeasurementDto,
  ScorecardParams,
  SetTeamTargetDto,
} from './indicators.commands';
import { GetIndicatorQuery, IndicatorDetailView, ListIndicatorsQuery, ScorecardQuery, ScorecardView } from './indicators.queries';
import { IndicatorRow } from './projections/indicator.projection';

@ApiTags('indicators')
@ApiSignedIn()
@Controller('api/v1')
export class IndicatorsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private decide(code: string, command: IndicatorCommand, context: CommandContext): Promise<DecideResult> {
    return this.commands.execute(new DecideCommand(indicatorDecider, indicatorStreamId(code), command, context));
  }

  @Post('indicators')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiConflictResponse({ description: 'An indicator with this code already exists.' })
  @ApiUnprocessableEntityResponse({ description: 'A percentage target above 100.' })
  define(@Body() body: DefineIndicatorDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.decide(body.code, { type: 'DefineIndicator', now: context.now, ...body }, context);
  }

  @Post('indicators/:code/target')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiUnprocessableEntityResponse({ description: 'Unchanged, out of date order, or a percentage above 100.' })
  changeTarget(
    @Param() { code }: CodeParam,
    @Body() body: ChangeTargetDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.decide(code, { type: 'ChangeTarget', now: context.now, code, ...body }, context);
  }

  @Post('indicators/:code/aggregation')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiUnprocessableEntityResponse({ description: 'Unchanged, or a sum of percentages or rates.' })
  changeAggregation(
    @Param() { code }: CodeParam,
    @Body() body: ChangeAggregationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.decide(code, { type: 'ChangeAggregation', now: context.now, code, aggregation: body.aggregation }, context);
  }

  @Post('indicators/:code/team-targets')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown team, out of date order, or a percentage above 100.' })
  async setTeamTarget(
    @Param() { code }: CodeParam,
    @Body() body: SetTeamTargetDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const teamKnown = (await this.queries.execute(new FindTeamsQuery([body.teamId]))).length > 0;
    return this.decide(code, { type: 'SetTeamTarget', now: context.now, code, teamKnown, ...body }, context);
  }

  @Post('indicators/:code/comparators')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiUnprocessableEntityResponse({ description: 'Not a financial year, unchanged, or a percentage above 100.' })
  recordComparator(
    @Param() { code }: CodeParam,
    @Body() body: RecordComparatorDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.decide(code, { type: 'RecordComparator', now: context.now, code, ...body }, context);
  }

  @Post('indicators/:code/measurements')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiConflictResponse({ description: 'A value for this period and team is already recorded: send a correction.' })
  @ApiUnprocessableEntityResponse({
    description: 'Period of the wrong frequency or not started; value disagrees with numerator/denominator; unknown team.',
  })
  async record(
    @Param() { code }: CodeParam,
    @Body() body: RecordMeasurementDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    const teamKnown = body.teamId ? (await this.queries.execute(new FindTeamsQuery([body.teamId]))).length > 0 : true;
    return this.decide(code, { type: 'RecordMeasurement', now: context.now, code, teamKnown, ...body }, context);
  }

  @Post('indicators/:code/corrections')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator, or no value recorded for this period and team.' })
  @ApiUnprocessableEntityResponse({ description: 'Same value, or disagrees with numerator/denominator.' })
  correct(
    @Param() { code }: CodeParam,
    @Body() body: CorrectMeasurementDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.decide(code, { type: 'CorrectMeasurement', now: context.now, code, ...body }, context);
  }

  @Get('indicators')
  @ApiOkResponse({ type: [IndicatorRow] })
  list(): Promise<IndicatorRow[]> {
    return this.queries.execute(new ListIndicatorsQuery());
  }

  @Get('indicators/:code')
  @ApiOkResponse({ type: IndicatorDetailView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  async get(@Param() { code }: CodeParam, @TeamScope() scope: string[] | null = null): Promise<IndicatorDetailView> {
    const detail: IndicatorDetailView = await this.queries.execute(new GetIndicatorQuery(code));
    // A team manager: their teams' measurements and the council-wide ones (no team), not other teams'.
    if (!scope) return detail;
    return { ...detail, measurements: detail.measurements.filter((m) => m.teamId === null || scope.includes(m.teamId)) };
  }

  @Get('scorecard')
  @ApiOkResponse({
    type: ScorecardView,
    description: "Each indicator's latest value in or before the period, RAG and direction of travel.",
  })
  scorecard(@Query() { teamId, period }: ScorecardParams): Promise<ScorecardView> {
    const parsed = period === undefined ? undefined : parsePeriod(period);
    if (period !== undefined && !parsed) {
      throw new InvalidInputException([
        { field: 'period', problems: [`period "${period}" is not a real month, quarter or week`] },
      ]);
    }
    return this.queries.execute(new ScorecardQuery(teamId, parsed));
  }
}
