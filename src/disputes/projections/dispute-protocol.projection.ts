import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ActorColumn, OccurredAtColumn, rowPerEvent } from '../../core';
import type { DisputeProtocolPublished, DisputeStage } from '../disputes.events';

class DisputeStageView implements DisputeStage {
  @ApiProperty({ example: 'stage-1' }) key!: string;
  @ApiProperty({ example: 'Stage 1' }) title!: string;
  @ApiProperty({ example: 'team manager' }) respondentRole!: string;
  @ApiProperty({ example: 5 }) responseWorkingDays!: number;
}

/** One row per published protocol version. */
@Entity({ name: 'dispute_protocols' })
export class DisputeProtocolRow {
  @ApiProperty() @PrimaryColumn({ type: 'integer' }) version!: number;
  @ApiProperty({ type: [DisputeStageView] }) @Column({ type: 'simple-json' }) stages!: DisputeStage[];
  @ApiProperty() @Column({ type: 'integer' }) formalTargetWorkingDays!: number;
  @OccurredAtColumn() publishedAt!: string;
  @ActorColumn() publishedBy!: string;
}

export const disputeProtocolsProjection = rowPerEvent<DisputeProtocolPublished, DisputeProtocolRow>(
  DisputeProtocolRow,
  'DisputeProtocolPublished',
  { version: 1, filter: { eventTypes: ['DisputeProtocolPublished'] } },
);
