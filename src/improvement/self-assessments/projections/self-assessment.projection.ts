import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { parsePeriod } from '@casetrail/kernel';
import { ActorColumn, OccurredAtColumn, rowPerEvent } from '../../../core';
import type { SelfAssessmentRecorded, SelfAssessmentSource } from '../self-assessments.events';

@Entity({ name: 'self_assessments' })
export class SelfAssessmentRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) service!: string;
  @ApiProperty({ example: '2020/21 Q1' }) @PrimaryColumn({ type: 'varchar', length: 12 }) period!: string;
  /** First day of the quarter, for ordering. */
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) periodFrom!: string;
  /** 0-10, one decimal place at most; null when the service gave no score. */
  @ApiProperty({ nullable: true, type: Number, example: 6.5 }) @Column({ type: 'real', nullable: true }) score!: number | null;
  @ApiProperty() @Column({ type: 'text' }) whatWeKnow!: string;
  @ApiProperty() @Column({ type: 'text' }) howWeKnow!: string;
  @ApiProperty() @Column({ type: 'text' }) whatNext!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    nullable: true,
    description: 'Where the figures of a drafted assessment came from (part, label, href); null when typed from nothing.',
  })
  @Column({ type: 'simple-json', nullable: true })
  sources!: SelfAssessmentSource[] | null;
  @OccurredAtColumn() recordedAt!: string;
  @ActorColumn(60) recordedBy!: string;
}

export const selfAssessmentsProjection = rowPerEvent<SelfAssessmentRecorded, SelfAssessmentRow>(
  SelfAssessmentRow,
  'SelfAssessmentRecorded',
  {
    // 2: the score may be a decimal or blank (was a whole number). 3: the sources of a drafted assessment.
    version: 3,
    filter: { streamPrefixes: ['self-assessment-'] },
    row: ({ data }) => ({ periodFrom: parsePeriod(data.period)!.from }),
  },
);
