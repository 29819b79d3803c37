import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import {
  AGGREGATIONS,
  COMPARATORS,
  parsePeriod,
  type Aggregation,
  type Comparator,
  type Frequency,
  type IndicatorUnit,
  type Polarity,
} from '@casetrail/kernel';
import { updateRows, type Projection } from '@casetrail/projections';
import type { IndicatorEvent } from '../indicators.events';

export class TargetSpell {
  /** '' for the target the indicator was defined with (in force from the start). */
  @ApiProperty() from!: string;
  @ApiProperty() target!: number;
  @ApiProperty() tolerance!: number;
}

export class TeamTargetSpell {
  @ApiProperty() teamId!: string;
  @ApiProperty({ description: "Applies to the team's periods ending on or after this day." }) from!: string;
  @ApiProperty() target!: number;
  @ApiProperty() tolerance!: number;
}

export class ComparatorValue {
  @ApiProperty({ enum: COMPARATORS }) comparator!: Comparator;
  @ApiProperty({ example: '2019/20' }) year!: string;
  @ApiProperty() value!: number;
  @ApiPropertyOptional() source?: string;
}

@Entity({ name: 'indicators' })
export class IndicatorRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) code!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 200 }) name!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 20 }) unit!: IndicatorUnit;
  @ApiProperty() @Column({ type: 'varchar', length: 20 }) polarity!: Polarity;
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) frequency!: Frequency;
  /** The target in force now; `targets` holds every spell, oldest first. */
  @ApiProperty() @Column({ type: 'double precision' }) target!: number;
  @ApiProperty() @Column({ type: 'double precision' }) tolerance!: number;
  @ApiProperty({ type: [TargetSpell] }) @Column({ type: 'simple-json' }) targets!: TargetSpell[];
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) definedAt!: string;
  @ApiProperty({ nullable: true, enum: AGGREGATIONS, description: "null: the unit's default (mean for % and days, else last)." })
  @Column({ type: 'varchar', length: 10, nullable: true })
  aggregation!: Aggregation | null;
  @ApiProperty({ type: [TeamTargetSpell], description: 'Per-team targets, oldest first.' })
  @Column({ type: 'simple-json', default: '[]' })
  teamTargets!: TeamTargetSpell[];
  @ApiProperty({ type: [ComparatorValue], description: 'Published comparators, one per comparator and year.' })
  @Column({ type: 'simple-json', default: '[]' })
  comparators!: ComparatorValue[];
}

export class MeasurementCorrection {
  @ApiProperty() previousValue!: number;
  @ApiProperty() value!: number;
  @ApiProperty() reason!: string;
  @ApiProperty() correctedAt!: string;
  @ApiProperty() correctedBy!: string;
}

/** One row per indicator, team ('*' = council-wide) and period, with its current value. */
@Entity({ name: 'indicator_measurements' })
@Index(['code', 'teamKey', 'periodTo'])
export class MeasurementRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) code!: string;
  @PrimaryColumn({ type: 'varchar', length: 40 }) teamKey!: string;
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 12 }) period!: string;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 40, nullable: true }) teamId!: string | null;
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) periodFrom!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) periodTo!: string;
  @ApiProperty() @Column({ type: 'double precision' }) value!: number;
  @ApiProperty({ nullable: true, type: Number }) @Column({ type: 'double precision', nullable: true }) numerator!: number | null;
  @ApiProperty({ nullable: true, type: Number }) @Column({ type: 'double precision', nullable: true }) denominator!:
    number | null;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 1000, nullable: true }) note!: string | null;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) recordedAt!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 60 }) recordedBy!: string;
  @ApiProperty({ type: [MeasurementCorrection] }) @Column({ type: 'simple-json' }) corrections!: MeasurementCorrection[];
}

export const teamKeyOf = (teamId: string | null | undefined): string => teamId ?? '*';

export const indicatorsProjection: Projection = {
  name: 'indicators',
  // 2: aggregation, per-team targets and comparators.
  version: 2,
  filter: { streamPrefixes: ['indicator-'] },
  entities: [IndicatorRow, MeasurementRow],
  async apply(recorded, manager) {
    const event = recorded as unknown as IndicatorEvent;
    switch (event.type) {
      case 'IndicatorDefined': {
        const { target, tolerance } = event.data;
        await manager.insert(IndicatorRow, {
          ...event.data,
          aggregation: event.data.aggregation ?? null,
          targets: [{ from: '', target, tolerance }],
          definedAt: recorded.metadata.occurredAt,
          teamTargets: [],
          comparators: [],
        });
        return;
      }
      case 'IndicatorAggregationChanged':
        await updateRows(manager, IndicatorRow, { code: event.data.code }, { aggregation: event.data.aggregation });
        return;
      case 'TeamTargetSet': {
        const { code, teamId, target, tolerance, from } = event.data;
        const row = await manager.findOneByOrFail(IndicatorRow, { code });
        await updateRows(
          manager,
          IndicatorRow,
          { code },
          { teamTargets: [...row.teamTargets, { teamId, from, target, tolerance }] },
        );
        return;
      }
      case 'ComparatorRecorded': {
        const { code, comparator, year, value, source } = event.data;
        const row = await manager.findOneByOrFail(IndicatorRow, { code });
        const others = row.comparators.filter((c) => !(c.comparator === comparator && c.year === year));
        const entry: ComparatorValue = { comparator, year, value, ...(source ? { source } : {}) };
        const comparators = [...others, entry].sort(
          (a, b) => a.year.localeCompare(b.year) || a.comparator.localeCompare(b.comparator),
        );
        await updateRows(manager, IndicatorRow, { code }, { comparators });
        return;
      }
      case 'IndicatorTargetChanged': {
        const { code, target, tolerance, from } = event.data;
        const row = await manager.findOneByOrFail(IndicatorRow, { code });
        await updateRows(
          manager,
          IndicatorRow,
          { code },
          { target, tolerance, targets: [...row.targets, { from, target, tolerance }] },
        );
        return;
      }
      case 'MeasurementRecorded': {
        const { code, teamId, period, value, numerator, denominator, note } = event.data;
        const range = parsePeriod(period)!;
        await manager.insert(MeasurementRow, {
          code,
          teamKey: teamKeyOf(teamId),
          period,
          teamId: teamId ?? null,
          periodFrom: range.from,
          periodTo: range.to,
          value,
          numerator: numerator ?? null,
          denominator: denominator ?? null,
          note: note ?? null,
          recordedAt: recorded.metadata.occurredAt,
          recordedBy: recorded.metadata.actorId,
          corrections: [],
        });
        return;
      }
      case 'MeasurementCorrected': {
        const { code, teamId, period, value, previousValue, numerator, denominator, reason } = event.data;
        const key = { code, teamKey: teamKeyOf(teamId), period };
        const row = await manager.findOneByOrFail(MeasurementRow, key);
        const correction = {
          previousValue,
          value,
          reason,
          correctedAt: recorded.metadata.occurredAt,
          correctedBy: recorded.metadata.actorId,
        };
        // A correction without a ratio makes the old numerator/denominator stale: drop them.
        await updateRows(manager, MeasurementRow, key, {
          value,
          numerator: numerator ?? null,
          denominator: denominator ?? null,
          corrections: [...row.corrections, correction],
        });
        return;
      }
    }
  },
};
