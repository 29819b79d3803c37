import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { LessThanOrEqual } from 'typeorm';
import {
  aggregateMonths,
  COMPARATOR_TEXT,
  defaultAggregation,
  rollingYearWindow,
  scorecardStatus,
  targetBands,
  yearToDateWindow,
  type AggregateValue,
  type Aggregation,
  type DirectionOfTravel,
  type Frequency,
  type IndicatorRag,
  type ReportingPeriod,
} from '@casetrail/kernel';
import { listRowsHandler, ReadModelHandler } from '../../core';
import { IndicatorNotFound } from './indicator.decider';
import { IndicatorRow, MeasurementRow, teamKeyOf, type TargetSpell } from './projections/indicator.projection';

export class ScorecardValueView {
  @ApiProperty() period!: string;
  @ApiProperty() value!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) numerator!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) denominator!: number | null;
  @ApiProperty({ description: 'True when the value was corrected after it was first recorded.' }) corrected!: boolean;
}

export class TargetBandsView {
  @ApiProperty({ example: '95 or more' }) green!: string;
  @ApiProperty({ example: '90 to under 95' }) amber!: string;
  @ApiProperty({ example: 'under 90' }) red!: string;
}

export class AggregateValueView {
  @ApiProperty() value!: number;
  @ApiProperty({ example: '2020-04' }) from!: string;
  @ApiProperty({ example: '2020-09' }) to!: string;
  @ApiProperty({ description: 'Months with a value.' }) months!: number;
  @ApiProperty({ description: 'Months in the window (12 for a rolling year).' }) monthsInWindow!: number;
  @ApiProperty({ example: 'mean of the months' }) method!: string;
}

export class ComparatorLineView {
  @ApiProperty({ example: 'england' }) comparator!: string;
  @ApiProperty({ example: 'England average' }) text!: string;
  @ApiProperty({ example: '2019/20' }) year!: string;
  @ApiProperty() value!: number;
}

/** One indicator's line of the scorecard: what the indicator is (its row's fields) and where it stands. */
export class ScorecardLineView extends PickType(IndicatorRow, ['code', 'name', 'unit', 'polarity', 'frequency'] as const) {
  @ApiProperty({ description: 'The target in force for the latest value (or now, when there is none).' }) target!: number;
  @ApiProperty() tolerance!: number;
  @ApiProperty({ enum: ['council', 'team'], description: "Whose target: the team's own when it has one, else the council's." })
  targetFor!: 'council' | 'team';
  @ApiProperty({ type: TargetBandsView, description: 'The green, amber and red bands the target and tolerance make.' })
  bands!: TargetBandsView;
  @ApiProperty({ enum: ['sum', 'mean', 'last'], description: 'How monthly values add up over a year.' })
  aggregation!: Aggregation;
  @ApiProperty({ type: AggregateValueView, nullable: true, description: 'Financial year to date (monthly indicators).' })
  yearToDate!: AggregateValue | null;
  @ApiProperty({
    type: AggregateValueView,
    nullable: true,
    description: 'The 12 months to the month shown (monthly indicators).',
  })
  rolling12Months!: AggregateValue | null;
  @ApiProperty({ type: [ComparatorLineView], description: 'The latest published value of each comparator.' })
  comparators!: ComparatorLineView[];
  @ApiProperty({ type: ScorecardValueView, nullable: true }) latest!: ScorecardValueView | null;
  @ApiProperty({ enum: ['green', 'amber', 'red'], nullable: true }) rag!: IndicatorRag | null;
  @ApiProperty({ type: ScorecardValueView, nullable: true }) previous!: ScorecardValueView | null;
  @ApiProperty({ enum: ['improving', 'declining', 'unchanged'], nullable: true }) direction!: DirectionOfTravel | null;
  @ApiProperty({
    description:
      'False when there is no value in the period asked about (latest is then older, or null): no colour, no direction.',
  })
  measured!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'not measured in 2020/21 Q2: the latest value is for 2020-05',
    description: 'Why there is no colour, in words.',
  })
  note!: string | null;
}

export class ScorecardView {
  @ApiProperty({ nullable: true, type: String, description: 'null = council-wide figures.' }) teamId!: string | null;
  @ApiProperty({ nullable: true, type: String }) period!: string | null;
  @ApiProperty({ type: [ScorecardLineView] }) indicators!: ScorecardLineView[];
}

export class IndicatorDetailView extends IndicatorRow {
  @ApiProperty({ type: [MeasurementRow] }) measurements!: MeasurementRow[];
}

/** The indicator with this code, or null. Other contexts ask this (e.g. an action's indicatorCode). */
export class FindIndicatorQuery extends Query<IndicatorRow | null> {
  constructor(readonly code: string) {
    super();
  }
}

export class ListIndicatorsQuery extends Query<IndicatorRow[]> {}

export class GetIndicatorQuery extends Query<IndicatorDetailView> {
  constructor(readonly code: string) {
    super();
  }
}

export class ScorecardQuery extends Query<ScorecardView> {
  constructor(
    readonly teamId: string | undefined,
    readonly period: ReportingPeriod | undefined,
  ) {
    super();
  }
}

@QueryHandler(FindIndicatorQuery)
export class FindIndicatorHandler extends ReadModelHandler implements IQueryHandler<FindIndicatorQuery> {
  execute({ code }: FindIndicatorQuery): Promise<IndicatorRow | null> {
    return this.db.getRepository(IndicatorRow).findOneBy({ code });
  }
}

export class ListIndicatorsHandler extends listRowsHandler(ListIndicatorsQuery, IndicatorRow, { code: 'ASC' }) {}

@QueryHandler(GetIndicatorQuery)
export class GetIndicatorHandler extends ReadModelHandler implements IQueryHandler<GetIndicatorQuery> {
  async execute({ code }: GetIndicatorQuery): Promise<IndicatorDetailView> {
    const indicator = await this.db.getRepository(IndicatorRow).findOneBy({ code });
    if (!indicator) throw new IndicatorNotFound(code);
    const measurements = await this.db
      .getRepository(MeasurementRow)
      .find({ where: { code }, order: { periodTo: 'ASC', teamKey: 'ASC' } });
    return { ...indicator, measurements };
  }
}

/** The target spell in force for a period ending on `periodTo`. */
const spellFor = (targets: TargetSpell[], periodTo: string): TargetSpell =>
  targets.filter((t) => t.from <= periodTo).at(-1) ?? targets[0];

/** The month the year-to-date and rolling figures end with: the period's last month, else the latest value's. */
function windowEnd(frequency: Frequency, period: ReportingPeriod | undefined, latest: MeasurementRow | undefined): string | null {
  if (frequency !== 'monthly') return null;
  if (period) return period.to.slice(0, 7);
  return latest ? latest.period : null;
}

/** The latest year of each comparator. */
function latestComparators(indicator: IndicatorRow): ComparatorLineView[] {
  const latest = new Map<string, ComparatorLineView>();
  for (const c of indicator.comparators ?? []) {
    const seen = latest.get(c.comparator);
    if (!seen || c.year > seen.year)
      latest.set(c.comparator, { comparator: c.comparator, text: COMPARATOR_TEXT[c.comparator], year: c.year, value: c.value });
  }
  return [...latest.values()].sort((a, b) => a.comparator.localeCompare(b.comparator));
}

const valueView = (row: MeasurementRow): ScorecardValueView => ({
  period: row.period,
  value: row.value,
  numerator: row.numerator,
  denominator: row.denominator,
  corrected: row.corrections.length > 0,
});

@QueryHandler(ScorecardQuery)
export class ScorecardHandler extends ReadModelHandler implements IQueryHandler<ScorecardQuery> {
  async execute({ teamId, period }: ScorecardQuery): Promise<ScorecardView> {
    const indicators = await this.db.getRepository(IndicatorRow).find({ order: { code: 'ASC' } });
    // "In or before the period": measured periods that end by the period's last day.
    const measurements = await this.db.getRepository(MeasurementRow).find({
      where: { teamKey: teamKeyOf(teamId), ...(period ? { periodTo: LessThanOrEqual(period.to) } : {}) },
      order: { periodTo: 'DESC' },
    });
    return {
      teamId: teamId ?? null,
      period: period?.label ?? null,
      indicators: indicators.map((indicator) => {
        const own = measurements.filter((m) => m.code === indicator.code);
        const [latest, previous] = own;
        const councilSpell = latest ? spellFor(indicator.targets, latest.periodTo) : indicator;
        // A team's own target, when it has one in force for the latest value's period.
        const teamSpells = teamId ? (indicator.teamTargets ?? []).filter((t) => t.teamId === teamId) : [];
        const teamSpell = teamSpells.filter((t) => t.from <= (latest?.periodTo ?? '9999-12-31')).at(-1);
        const spell = teamSpell ?? councilSpell;
        const aggregation = indicator.aggregation ?? defaultAggregation(indicator.unit);
        const end = windowEnd(indicator.frequency, period, latest);
        const over = (window: { from: string; to: string }): AggregateValue | null =>
          aggregateMonths(own, window.from, window.to, aggregation, indicator.unit);
        return {
          code: indicator.code,
          name: indicator.name,
          unit: indicator.unit,
          polarity: indicator.polarity,
          frequency: indicator.frequency,
          target: spell.target,
          tolerance: spell.tolerance,
          targetFor: teamSpell ? ('team' as const) : ('council' as const),
          bands: targetBands(spell.target, spell.tolerance, indicator.polarity),
          aggregation,
          yearToDate: end ? over(yearToDateWindow(end)) : null,
          rolling12Months: end ? over(rollingYearWindow(end)) : null,
          comparators: latestComparators(indicator),
          latest: latest ? valueView(latest) : null,
          previous: previous ? valueView(previous) : null,
          ...scorecardStatus({
            latest,
            previous,
            period,
            frequency: indicator.frequency,
            target: spell.target,
            tolerance: spell.tolerance,
            polarity: indicator.polarity,
          }),
        };
      }),
    };
  }
}

export const INDICATOR_QUERY_HANDLERS = [FindIndicatorHandler, ListIndicatorsHandler, GetIndicatorHandler, ScorecardHandler];
