import { TeamScope } from '../../auth';
import { ApiController, changeRoute, commandRoute, from, queryRoute, forwardTo } from '../../core';
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
export class IndicatorsController extends forwardTo(IndicatorUseCases, {
  define: commandRoute('indicators', {
    body: DefineIndicatorDto,
    conflict: 'An indicator with this code already exists.',
    unprocessable: 'A percentage target above 100.',
  }),
  changeTarget: changeRoute('indicators/:code/target', {
    params: CodeParam,
    body: ChangeTargetDto,
    notFound: 'No such indicator.',
    unprocessable: 'Unchanged, out of date order, or a percentage above 100.',
  }),
  changeAggregation: changeRoute('indicators/:code/aggregation', {
    params: CodeParam,
    body: ChangeAggregationDto,
    notFound: 'No such indicator.',
    unprocessable: 'Unchanged, or a sum of percentages or rates.',
  }),
  setTeamTarget: changeRoute('indicators/:code/team-targets', {
    params: CodeParam,
    body: SetTeamTargetDto,
    notFound: 'No such indicator.',
    unprocessable: 'Unknown team, out of date order, or a percentage above 100.',
  }),
  recordComparator: changeRoute('indicators/:code/comparators', {
    params: CodeParam,
    body: RecordComparatorDto,
    notFound: 'No such indicator.',
    unprocessable: 'Not a financial year, unchanged, or a percentage above 100.',
  }),
  record: commandRoute('indicators/:code/measurements', {
    params: CodeParam,
    body: RecordMeasurementDto,
    notFound: 'No such indicator.',
    conflict: 'A value for this period and team is already recorded: send a correction.',
    unprocessable: 'Period of the wrong frequency or not started; value disagrees with numerator/denominator; unknown team.',
  }),
  correct: changeRoute('indicators/:code/corrections', {
    params: CodeParam,
    body: CorrectMeasurementDto,
    notFound: 'No such indicator, or no value recorded for this period and team.',
    unprocessable: 'Same value, or disagrees with numerator/denominator.',
  }),
  list: queryRoute('indicators', { type: [IndicatorRow] }),
  get: queryRoute('indicators/:code', {
    params: CodeParam,
    also: [from<string[] | null>(TeamScope())],
    type: IndicatorDetailView,
    notFound: 'No such indicator.',
  }),
  scorecard: queryRoute('scorecard', {
    query: ScorecardParams,
    type: ScorecardView,
    description: "Each indicator's latest value in or before the period, RAG and direction of travel.",
  }),
}) {}
