import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ActorColumn, OccurredAtColumn, rowPerEvent } from '../../core';
import { PROGRAMME_KINDS, type AuditProgrammeCreated, type ProgrammeKind } from '../audits.events';

@Entity({ name: 'audit_programmes' })
export class AuditProgrammeRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) programmeId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 200 }) title!: string;
  @ApiProperty({ enum: PROGRAMME_KINDS }) @Column({ type: 'varchar', length: 20 }) kind!: ProgrammeKind;
  @ApiPropertyOptional({ nullable: true, type: String }) @Column({ type: 'varchar', length: 200, nullable: true }) theme!:
    string | null;
  @ApiProperty() @Column({ name: 'from_day', type: 'varchar', length: 10 }) from!: string;
  @ApiProperty() @Column({ name: 'to_day', type: 'varchar', length: 10 }) to!: string;
  @ApiProperty({ type: [String] }) @Column({ type: 'simple-json' }) teamIds!: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) @Column({ type: 'varchar', length: 40, nullable: true }) reAuditOf!:
    string | null;
  @OccurredAtColumn() createdAt!: string;
  @ActorColumn() createdBy!: string;
}

export const auditProgrammesProjection = rowPerEvent<AuditProgrammeCreated, AuditProgrammeRow>(
  AuditProgrammeRow,
  'AuditProgrammeCreated',
  { version: 1, filter: { streamPrefixes: ['auditprogramme-'] } },
);
