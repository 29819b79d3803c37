import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Projection } from '@casetrail/projections';
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
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) publishedAt!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) publishedBy!: string;
}

export const disputeProtocolsProjection: Projection = {
  name: 'dispute-protocols',
  version: 1,
  filter: { eventTypes: ['DisputeProtocolPublished'] },
  entities: [DisputeProtocolRow],
  async apply(recorded, manager) {
    const event = recorded as unknown as DisputeProtocolPublished;
    if (event.type !== 'DisputeProtocolPublished') return;
    await manager.insert(DisputeProtocolRow, {
      ...event.data,
      publishedAt: recorded.metadata.occurredAt,
      publishedBy: recorded.metadata.actorId,
    });
  },
};
