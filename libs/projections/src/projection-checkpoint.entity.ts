import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far each projection has applied the log. Written in the same transaction as its rows. */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpoint {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** Global position (bigint as a decimal string) of the last event this projection has read. */
  @Column({ type: 'varchar', length: 30 })
  position!: string;

  @Column({ type: 'varchar', length: 30 })
  updatedAt!: string;
}
