import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LessThanOrEqual, type DataSource } from 'typeorm';
import {
  scorecardStatus,
  type DirectionOfTravel,
  type Frequency,
  type IndicatorRag,
  type IndicatorUnit,
  type Polarity,
  type ReportingPeriod,
} from '@casetrail/kernel';
import { READ_DB } from '../core/tokens';
import { IndicatorNotFound } from './indicator.decider';
import { IndicatorRow, MeasurementRow, teamKeyOf, type TargetSpell } from './projections/indicator.projection';

export class ScorecardValueView {
  @ApiProperty() period!: string;
  @ApiProperty() value!: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) numerator!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) denominator!: number | null;
  @ApiProperty({ description: 'True when the value was corrected after it was first recorded.' }) corrected!: boolean;
}

export class ScorecardLineView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unit!: IndicatorUnit;
  @ApiProperty() polarity!: Polarity;
  @ApiProperty() frequency!: Frequency;
  @ApiProperty({ description: 'The target in force for the latest value (or now, when there is none).' }) target!: number;
  @ApiProperty() tolerance!: number;
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
export class FindIndicatorHandler implements IQueryHandler<FindIndicatorQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute({ code }: FindIndicatorQuery): Promise<IndicatorRow | null> {
    return this.db.getRepository(IndicatorRow).findOneBy({ code });
  }
}

@QueryHandler(ListIndicatorsQuery)
export class ListIndicatorsHandler implements IQueryHandler<ListIndicatorsQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  execute(): Promise<IndicatorRow[]> {
    return this.db.getRepository(IndicatorRow).find({ order: { code: 'ASC' } });
  }
}

@QueryHandler(GetIndicatorQuery)
export class GetIndicatorHandler implements IQueryHandler<GetIndicatorQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
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

const valueView = (row: MeasurementRow): ScorecardValueView => ({
  period: row.period,
  value: row.value,
  numerator: row.numerator,
  denominator: row.denominator,
  corrected: row.corrections.length > 0,
});

@QueryHandler(ScorecardQuery)
export class ScorecardHandler implements IQueryHandler<ScorecardQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
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
        const [latest, previous] = measurements.filter((m) => m.code === indicator.code);
        const spell = latest ? spellFor(indicator.targets, latest.periodTo) : indicator;
        return {
          code: indicator.code,
          name: indicator.name,
          unit: indicator.unit,
          polarity: indicator.polarity,
          frequency: indicator.frequency,
          target: spell.target,
          tolerance: spell.tolerance,
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
