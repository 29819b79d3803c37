import { createHash } from 'node:crypto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { canonicalJson } from '@casetrail/event-store';
import type { BulkProjection } from '@casetrail/projections';
import type { DisputeFacts, StageEntryFacts, StatusChange } from '../dispute-clock';
import {
  DISPUTE_CATEGORIES,
  DISPUTE_EVENT_TYPES,
  type DisputeCategory,
  type DisputeEvent,
  type DisputeProtocol,
} from '../disputes.events';

/**
 * One row per DR: the recorded facts only. Due dates, overdue and over-target are computed
 * from these at query time for the day asked about (dispute-clock.ts), so they never go stale.
 */
@Entity({ name: 'disputes' })
export class DisputeRow implements DisputeFacts {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 36 }) disputeId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) childRef!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 40 }) teamId!: string;
  @ApiProperty({ enum: DISPUTE_CATEGORIES }) @Column({ type: 'varchar', length: 30 }) category!: DisputeCategory;
  @ApiProperty() @Column({ type: 'varchar', length: 2000 }) summary!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 2000 }) desiredOutcome!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) raisedBy!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 10 }) raisedOn!: string;
  /**
   * The protocol the DR started under: the key of its snapshot (DisputeProtocolSnapshotRow), not
   * the protocol itself, which every version of the row would copy (half a dispute row's bytes).
   * The default only fills rows made before this column (version 3 rebuilds them all at once).
   */
  @Column({ type: 'varchar', length: 64, default: '' }) protocolKey!: string;
  /** The protocol the DR started under, with its stages: not a column, filled from its snapshot by the queries (withProtocols). */
  @ApiProperty({ type: Object, description: 'The protocol the DR started under, with its stages.' })
  protocol!: DisputeProtocol;
  /** Current status and stage (for filtering); as-at answers come from the clock. */
  @ApiProperty({ enum: ['open', 'resolved'] }) @Index() @Column({ type: 'varchar', length: 10 }) status!: 'open' | 'resolved';
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) stage!: string;
  @ApiProperty({ type: [Object] }) @Column({ type: 'simple-json' }) stages!: StageEntryFacts[];
  @ApiProperty({ type: [Object] }) @Column({ type: 'simple-json' }) statusChanges!: StatusChange[];
  @ApiPropertyOptional({ type: Object, nullable: true }) @Column({ type: 'simple-json', nullable: true }) cafcassReferral!: {
    referredOn: string;
    reason: string;
    /** Referred after the DR was resolved: the end of the local process. */
    afterLocalProcess?: boolean;
  } | null;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) revision!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) updatedAt!: string;
}

/** Each protocol a DR started under, once (keyed by a hash of its JSON): the DR rows name it. */
@Entity({ name: 'dispute_protocol_snapshots' })
export class DisputeProtocolSnapshotRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) protocolKey!: string;
  @Column({ type: 'simple-json' }) protocol!: DisputeProtocol;
}

/** The key of a protocol's snapshot: the SHA-256 of its canonical JSON (the same protocol, the same key). */
export const protocolKeyOf = (protocol: DisputeProtocol): string =>
  createHash('sha256')
    .update(canonicalJson(protocol) ?? '')
    .digest('hex');

/** Written in bulk (BulkProjection): each DR's row carries its protocol, and a DR changes several times. */
export const disputesProjection: BulkProjection = {
  name: 'disputes',
  // 2: written in bulk, history by the runner instead of triggers (same rows and versions).
  // 3: the protocol in a snapshot row of its own, named by the DR's row (not copied into each version).
  version: 3,
  // The protocol stream shares the dispute- prefix: take the DR events only.
  filter: { streamPrefixes: ['dispute-'], eventTypes: DISPUTE_EVENT_TYPES },
  entities: [DisputeRow, DisputeProtocolSnapshotRow],
  writes: 'bulk',
  // As-at views look disputes up by team (one or several): only that is indexed in the history.
  history: { indices: { disputes: [['teamId']] } },
  async prefetch(events, rows) {
    await rows.table(DisputeRow).preload(
      'disputeId',
      events.map((e) => (e.data as { disputeId: string }).disputeId),
    );
  },
  async apply(recorded, rows) {
    const disputes = rows.table(DisputeRow);
    const event = recorded as unknown as DisputeEvent;
    const changed = { revision: recorded.revision.toString(), updatedAt: recorded.metadata.recordedAt };
    if (event.type === 'DisputeRaised') {
      const { disputeId, childRef, teamId, category, summary, desiredOutcome, raisedBy, raisedOn, protocol, stage } = event.data;
      const protocolKey = protocolKeyOf(protocol);
      const snapshots = rows.table(DisputeProtocolSnapshotRow);
      if (!(await snapshots.get({ protocolKey }))) snapshots.put({ protocolKey, protocol });
      disputes.put({
        disputeId,
        childRef,
        teamId,
        category,
        summary,
        desiredOutcome,
        raisedBy,
        raisedOn,
        protocolKey,
        protocol, // not a column: not written
        status: 'open',
        stage,
        stages: [{ stage, enteredOn: raisedOn, bypassed: [], reason: null, response: null }],
        statusChanges: [],
        cafcassReferral: null,
        ...changed,
      });
      return;
    }
    const row = await disputes.get({ disputeId: event.data.disputeId });
    if (!row) throw new Error(`${event.type} for dispute ${event.data.disputeId}, which was never raised`);
    const update = (set: Partial<DisputeRow>): void => disputes.put({ ...row, ...set, ...changed });
    switch (event.type) {
      case 'DisputeEscalated': {
        const { toStage, escalatedOn, reason, bypassed } = event.data;
        const stages = [...row.stages, { stage: toStage, enteredOn: escalatedOn, bypassed, reason, response: null }];
        update({ stage: toStage, stages });
        return;
      }
      case 'DisputeResponseRecorded': {
        const { stage, respondentId, respondentName, respondedOn, response, satisfactory } = event.data;
        const answer = {
          respondentId,
          respondentName: respondentName ?? null,
          respondedOn,
          response,
          satisfactory: satisfactory ?? null,
        };
        const stages = row.stages.map((s) => (s.stage === stage ? { ...s, response: answer } : s));
        update({ stages });
        return;
      }
      case 'DisputeResolved': {
        const { resolvedOn, outcome, note } = event.data;
        const statusChanges: StatusChange[] = [...row.statusChanges, { status: 'resolved', on: resolvedOn, outcome, note }];
        update({ status: 'resolved', statusChanges });
        return;
      }
      case 'DisputeReopened': {
        const { reopenedOn, reason } = event.data;
        const statusChanges: StatusChange[] = [...row.statusChanges, { status: 'open', on: reopenedOn, reason }];
        update({ status: 'open', statusChanges });
        return;
      }
      case 'DisputeReferredToCafcass': {
        const { referredOn, reason, afterLocalProcess } = event.data;
        const cafcassReferral = { referredOn, reason, ...(afterLocalProcess ? { afterLocalProcess } : {}) };
        update({ cafcassReferral });
        return;
      }
    }
  },
};
