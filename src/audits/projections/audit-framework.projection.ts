import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ActorColumn, OccurredAtColumn, rowPerEvent } from '../../core';
import type { AuditFrameworkPublished, FrameworkDomain } from '../audits.events';

class FrameworkDomainView implements FrameworkDomain {
  @ApiProperty({ example: 'voice-of-child' }) key!: string;
  @ApiProperty({ example: 'Voice of the child' }) title!: string;
  @ApiProperty() guidance!: string;
  @ApiPropertyOptional({ description: 'A limiting domain (absent: not limiting).' }) limiting?: boolean;
}

/** One row per published framework version; a new version never changes an earlier row. */
@Entity({ name: 'audit_frameworks' })
export class AuditFrameworkRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) frameworkId!: string;
  @ApiProperty() @PrimaryColumn({ type: 'integer' }) version!: number;
  @ApiProperty({ type: [FrameworkDomainView] }) @Column({ type: 'simple-json' }) domains!: FrameworkDomain[];
  @OccurredAtColumn() publishedAt!: string;
  @ActorColumn() publishedBy!: string;
}

export const auditFrameworksProjection = rowPerEvent<AuditFrameworkPublished, AuditFrameworkRow>(
  AuditFrameworkRow,
  'AuditFrameworkPublished',
  { version: 1, filter: { streamPrefixes: ['auditframework-'] } },
);
