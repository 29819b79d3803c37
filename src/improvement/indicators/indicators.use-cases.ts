import { Injectable } from '@nestjs/common';
import { parsePeriod } from '@casetrail/kernel';
import { ContextUseCases, type CommandContext, commandHandlerFor, type DecideResult, InvalidInputException } from '../../core';
import { FindTeamsQuery } from '../../teams';
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
} from './indicators.dto';
import { GetIndicatorQuery, IndicatorDetailView, ListIndicatorsQuery, ScorecardQuery, ScorecardView } from './indicators.queries';
import { IndicatorRow } from './projections/indicator.projection';

const indicators = commandHandlerFor(indicatorDecider, (c) => indicatorStreamId(c.code));

/** Performance indicators: definitions, targets, comparators and measurements, and the scorecard. */
@Injectable()
export class IndicatorUseCases extends ContextUseCases {
  define(body: DefineIndicatorDto, context: CommandContext): Promise<DecideResult> {
    return this.send(indicators, { type: 'DefineIndicator', ...body }, context);
  }

  changeTarget({ code }: CodeParam, body: ChangeTargetDto, context: CommandContext): Promise<DecideResult> {
    return this.send(indicators, { type: 'ChangeTarget', code, ...body }, context);
  }

  changeAggregation({ code }: CodeParam, body: ChangeAggregationDto, context: CommandContext): Promise<DecideResult> {
    return this.send(indicators, { type: 'ChangeAggregation', code, aggregation: body.aggregation }, context);
  }

  async setTeamTarget({ code }: CodeParam, body: SetTeamTargetDto, context: CommandContext): Promise<DecideResult> {
    const teamKnown = (await this.queries.execute(new FindTeamsQuery([body.teamId]))).length > 0;
    return this.send(indicators, { type: 'SetTeamTarget', code, teamKnown, ...body }, context);
  }

  recordComparator({ code }: CodeParam, body: RecordComparatorDto, context: CommandContext): Promise<DecideResult> {
    return this.send(indicators, { type: 'RecordComparator', code, ...body }, context);
  }

  async record(params: CodeParam, body: RecordMeasurementDto, context: CommandContext): Promise<DecideResult> {
    return indicators.send(this.commands, await this.recordCommand(params, body, context), context);
  }

  /** Would this measurement be recorded? The same look-up and command as record, decided and not appended (an import's check). */
  async checkRecord(params: CodeParam, body: RecordMeasurementDto, context: CommandContext): Promise<void> {
    await indicators.check(this.commands, await this.recordCommand(params, body, context), context);
  }

  private async recordCommand(
    { code }: CodeParam,
    body: RecordMeasurementDto,
    context: CommandContext,
  ): Promise<IndicatorCommand> {
    const teamKnown = body.teamId ? (await this.queries.execute(new FindTeamsQuery([body.teamId]))).length > 0 : true;
    return { type: 'RecordMeasurement', now: context.now, code, teamKnown, ...body };
  }

  correct({ code }: CodeParam, body: CorrectMeasurementDto, context: CommandContext): Promise<DecideResult> {
    return this.send(indicators, { type: 'CorrectMeasurement', code, ...body }, context);
  }

  list(): Promise<IndicatorRow[]> {
    return this.queries.execute(new ListIndicatorsQuery());
  }

  async get({ code }: CodeParam, scope: string[] | null = null): Promise<IndicatorDetailView> {
    const detail: IndicatorDetailView = await this.queries.execute(new GetIndicatorQuery(code));
    // A team manager: their teams' measurements and the council-wide ones (no team), not other teams'.
    if (!scope) return detail;
    return { ...detail, measurements: detail.measurements.filter((m) => m.teamId === null || scope.includes(m.teamId)) };
  }

  scorecard({ teamId, period }: ScorecardParams): Promise<ScorecardView> {
    const parsed = period === undefined ? undefined : parsePeriod(period);
    if (period !== undefined && !parsed) {
      throw new InvalidInputException([
        { field: 'period', problems: [`period "${period}" is not a real month, quarter or week`] },
      ]);
    }
    return this.queries.execute(new ScorecardQuery(teamId, parsed));
  }
}
