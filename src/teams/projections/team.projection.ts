import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { updateRows, type Projection } from '@casetrail/projections';
import type { TeamEvent } from '../teams.events';

/** One row per team: its current name, service and status. */
@Entity({ name: 'teams' })
export class TeamRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) teamId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) name!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) service!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) @Column({ type: 'varchar', length: 10 }) status!: 'open' | 'closed';
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 10, nullable: true }) closedOn!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 500, nullable: true }) closedReason!:
    string | null;
  /** Business time of registration and the user who registered it. */
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) registeredAt!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) registeredBy!: string;
  /** Stream revision and store time of the last change (for optimistic concurrency and "last updated"). */
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) revision!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) updatedAt!: string;
}

export const teamsProjection: Projection = {
  name: 'teams',
  version: 1,
  filter: { streamPrefixes: ['team-'] },
  entities: [TeamRow],
  async apply(recorded, manager) {
    const event = recorded as unknown as TeamEvent;
    const changed = { revision: recorded.revision.toString(), updatedAt: recorded.metadata.recordedAt };
    switch (event.type) {
      case 'TeamRegistered':
        await manager.insert(TeamRow, {
          ...event.data,
          status: 'open',
          closedOn: null,
          closedReason: null,
          registeredAt: recorded.metadata.occurredAt,
          registeredBy: recorded.metadata.actorId,
          ...changed,
        });
        return;
      case 'TeamRenamed':
        await updateRows(manager, TeamRow, { teamId: event.data.teamId }, { name: event.data.name, ...changed });
        return;
      case 'TeamClosed':
        await updateRows(
          manager,
          TeamRow,
          { teamId: event.data.teamId },
          { status: 'closed', closedOn: event.data.closedOn, closedReason: event.data.reason, ...changed },
        );
        return;
    }
  },
};
