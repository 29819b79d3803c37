import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { TeamScope } from '../auth';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
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
} from './indicators.dto';
import { IndicatorDetailView, ScorecardView } from './indicators.queries';
import { IndicatorRow } from './projections/indicator.projection';
import { IndicatorUseCases } from './indicators.use-cases';

@ApiTags('indicators')
@ApiSignedIn()
@Controller('api/v1')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorUseCases) {}

  @Post('indicators')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiConflictResponse({ description: 'An indicator with this code already exists.' })
  @ApiUnprocessableEntityResponse({ description: 'A percentage target above 100.' })
  define(@Body() body: DefineIndicatorDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.indicators.define(body, context);
  }

  @Post('indicators/:code/target')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiUnprocessableEntityResponse({ description: 'Unchanged, out of date order, or a percentage above 100.' })
  changeTarget(@Param() route: CodeParam, @Body() body: ChangeTargetDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.indicators.changeTarget(route, body, context);
  }

  @Post('indicators/:code/aggregation')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiUnprocessableEntityResponse({ description: 'Unchanged, or a sum of percentages or rates.' })
  changeAggregation(
    @Param() route: CodeParam,
    @Body() body: ChangeAggregationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.indicators.changeAggregation(route, body, context);
  }

  @Post('indicators/:code/team-targets')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown team, out of date order, or a percentage above 100.' })
  setTeamTarget(
    @Param() route: CodeParam,
    @Body() body: SetTeamTargetDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.indicators.setTeamTarget(route, body, context);
  }

  @Post('indicators/:code/comparators')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiUnprocessableEntityResponse({ description: 'Not a financial year, unchanged, or a percentage above 100.' })
  recordComparator(
    @Param() route: CodeParam,
    @Body() body: RecordComparatorDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.indicators.recordComparator(route, body, context);
  }

  @Post('indicators/:code/measurements')
  @ApiCommand()
  @ApiCreatedResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  @ApiConflictResponse({ description: 'A value for this period and team is already recorded: send a correction.' })
  @ApiUnprocessableEntityResponse({
    description: 'Period of the wrong frequency or not started; value disagrees with numerator/denominator; unknown team.',
  })
  record(@Param() route: CodeParam, @Body() body: RecordMeasurementDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.indicators.record(route, body, context);
  }

  @Post('indicators/:code/corrections')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  @ApiNotFoundResponse({ description: 'No such indicator, or no value recorded for this period and team.' })
  @ApiUnprocessableEntityResponse({ description: 'Same value, or disagrees with numerator/denominator.' })
  correct(@Param() route: CodeParam, @Body() body: CorrectMeasurementDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.indicators.correct(route, body, context);
  }

  @Get('indicators')
  @ApiOkResponse({ type: [IndicatorRow] })
  list(): Promise<IndicatorRow[]> {
    return this.indicators.list();
  }

  @Get('indicators/:code')
  @ApiOkResponse({ type: IndicatorDetailView })
  @ApiNotFoundResponse({ description: 'No such indicator.' })
  get(@Param() route: CodeParam, @TeamScope() scope: string[] | null = null): Promise<IndicatorDetailView> {
    return this.indicators.get(route, scope);
  }

  @Get('scorecard')
  @ApiOkResponse({
    type: ScorecardView,
    description: "Each indicator's latest value in or before the period, RAG and direction of travel.",
  })
  scorecard(@Query() query: ScorecardParams): Promise<ScorecardView> {
    return this.indicators.scorecard(query);
  }
}
