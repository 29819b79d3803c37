import { Body, Param, Query } from '@nestjs/common';
import { TeamScope } from '../../auth';
import { ApiController, Ctx, type CommandContext, type DecideResult, CommandRoute, ChangeRoute, QueryRoute } from '../../core';
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

@ApiController('indicators', 'api/v1')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorUseCases) {}

  @CommandRoute('indicators', {
    conflict: 'An indicator with this code already exists.',
    unprocessable: 'A percentage target above 100.',
  })
  define(@Body() body: DefineIndicatorDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.indicators.define(body, context);
  }

  @ChangeRoute('indicators/:code/target', {
    notFound: 'No such indicator.',
    unprocessable: 'Unchanged, out of date order, or a percentage above 100.',
  })
  changeTarget(@Param() route: CodeParam, @Body() body: ChangeTargetDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.indicators.changeTarget(route, body, context);
  }

  @ChangeRoute('indicators/:code/aggregation', {
    notFound: 'No such indicator.',
    unprocessable: 'Unchanged, or a sum of percentages or rates.',
  })
  changeAggregation(
    @Param() route: CodeParam,
    @Body() body: ChangeAggregationDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.indicators.changeAggregation(route, body, context);
  }

  @ChangeRoute('indicators/:code/team-targets', {
    notFound: 'No such indicator.',
    unprocessable: 'Unknown team, out of date order, or a percentage above 100.',
  })
  setTeamTarget(
    @Param() route: CodeParam,
    @Body() body: SetTeamTargetDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.indicators.setTeamTarget(route, body, context);
  }

  @ChangeRoute('indicators/:code/comparators', {
    notFound: 'No such indicator.',
    unprocessable: 'Not a financial year, unchanged, or a percentage above 100.',
  })
  recordComparator(
    @Param() route: CodeParam,
    @Body() body: RecordComparatorDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.indicators.recordComparator(route, body, context);
  }

  @CommandRoute('indicators/:code/measurements', {
    notFound: 'No such indicator.',
    conflict: 'A value for this period and team is already recorded: send a correction.',
    unprocessable: 'Period of the wrong frequency or not started; value disagrees with numerator/denominator; unknown team.',
  })
  record(@Param() route: CodeParam, @Body() body: RecordMeasurementDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.indicators.record(route, body, context);
  }

  @ChangeRoute('indicators/:code/corrections', {
    notFound: 'No such indicator, or no value recorded for this period and team.',
    unprocessable: 'Same value, or disagrees with numerator/denominator.',
  })
  correct(@Param() route: CodeParam, @Body() body: CorrectMeasurementDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.indicators.correct(route, body, context);
  }

  @QueryRoute('indicators', { type: [IndicatorRow] })
  list(): Promise<IndicatorRow[]> {
    return this.indicators.list();
  }

  @QueryRoute('indicators/:code', { type: IndicatorDetailView, notFound: 'No such indicator.' })
  get(@Param() route: CodeParam, @TeamScope() scope: string[] | null = null): Promise<IndicatorDetailView> {
    return this.indicators.get(route, scope);
  }

  @QueryRoute('scorecard', {
    type: ScorecardView,
    description: "Each indicator's latest value in or before the period, RAG and direction of travel.",
  })
  scorecard(@Query() query: ScorecardParams): Promise<ScorecardView> {
    return this.indicators.scorecard(query);
  }
}
