import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { RecordedAtColumn, rowPerEvent } from '../../core';
import type { GoodPracticeAlertRaised } from '../disputes.events';

/** One row per good-practice (positive) alert. */
@Entity({ name: 'good_practice_alerts' })
export class GoodPracticeAlertRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 36 }) alertId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) childRef!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 40 }) teamId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) raisedBy!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 10 }) raisedOn!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 2000 }) summary!: string;
  @RecordedAtColumn() recordedAt!: string;
}

export const goodPracticeAlertsProjection = rowPerEvent<GoodPracticeAlertRaised, GoodPracticeAlertRow>(
  GoodPracticeAlertRow,
  'GoodPracticeAlertRaised',
  { version: 1, filter: { streamPrefixes: ['good-practice-alert-'] } },
);
