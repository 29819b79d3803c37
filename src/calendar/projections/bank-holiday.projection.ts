import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Projection } from '@casetrail/projections';
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

export const bankHolidaysProjection: Projection = {
  name: 'bank-holidays',
  version: 1,
  filter: { streamPrefixes: ['calendar-'], eventTypes: ['BankHolidayAdded'] },
  entities: [BankHolidayRow],
  async apply(recorded, manager) {
    const event = recorded as unknown as CalendarEvent;
    if (event.type !== 'BankHolidayAdded') return;
    await manager.insert(BankHolidayRow, {
      date: event.data.date,
      reason: event.data.reason,
      replaces: event.data.replaces ?? null,
      position: recorded.revision.toString().padStart(12, '0'),
      addedAt: recorded.metadata.occurredAt,
      addedBy: recorded.metadata.actorId,
    });
  },
};
