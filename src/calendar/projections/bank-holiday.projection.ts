import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ActorColumn, OccurredAtColumn, rowPerEvent } from '../../core';
import type { BankHolidayAdded } from '../calendar.events';

/** One row per bank holiday an administrator recorded, in the order recorded (position). */
@Entity({ name: 'bank_holidays' })
export class BankHolidayRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 10 }) date!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 500 }) reason!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @Column({ type: 'varchar', length: 10, nullable: true }) replaces!:
    string | null;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) position!: string;
  @OccurredAtColumn() addedAt!: string;
  @ActorColumn() addedBy!: string;
}

export const bankHolidaysProjection = rowPerEvent<BankHolidayAdded, BankHolidayRow>(BankHolidayRow, 'BankHolidayAdded', {
  version: 1,
  filter: { streamPrefixes: ['calendar-'], eventTypes: ['BankHolidayAdded'] },
  row: (_event, { revision }) => ({ position: revision.toString().padStart(12, '0') }),
});
