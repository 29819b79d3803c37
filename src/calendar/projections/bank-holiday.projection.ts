import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { rowPerEvent } from '../../core';
import type { CalendarEvent } from '../calendar.events';

/** One row per bank holiday an administrator recorded, in the order recorded (position). */
@Entity({ name: 'bank_holidays' })
export class BankHolidayRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 10 }) date!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 500 }) reason!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @Column({ type: 'varchar', length: 10, nullable: true }) replaces!:
    string | null;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) position!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) addedAt!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) addedBy!: string;
}

export const bankHolidaysProjection = rowPerEvent<Extract<CalendarEvent, { type: 'BankHolidayAdded' }>, BankHolidayRow>({
  name: 'bank-holidays',
  version: 1,
  filter: { streamPrefixes: ['calendar-'], eventTypes: ['BankHolidayAdded'] },
  entity: BankHolidayRow,
  type: 'BankHolidayAdded',
  row: ({ data }, { revision, metadata }) => ({
    date: data.date,
    reason: data.reason,
    replaces: data.replaces ?? null,
    position: revision.toString().padStart(12, '0'),
    addedAt: metadata.occurredAt,
    addedBy: metadata.actorId,
  }),
});
