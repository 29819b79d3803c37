import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { BulkProjection } from '@casetrail/projections';
import type { CaseAuditStarted } from '../../audits';
import type { ActionAdded, ActionLinkedToFinding } from '../../improvement';

/**
 * An audit finding an improvement action answers: the one it was raised from, or one linked to it
 * later. One row per action and finding: an action may answer several findings.
 */
@Entity({ name: 'impact_action_findings' })
export class ActionFindingRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 60 }) actionId!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 60 }) planId!: string;
  @ApiProperty() @Index() @PrimaryColumn({ type: 'varchar', length: 40 }) auditId!: string;
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) domain!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) addedAt!: string;
}

/** Every audit of a case, by case reference: how a re-audit of a case finds the earlier audits of it. */
@Entity({ name: 'impact_case_audits' })
export class CaseAuditRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) auditId!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 100 }) caseRef!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 40 }) teamId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) auditedOn!: string;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 40, nullable: true }) programmeId!:
    string | null;
}

/**
 * The links between records that the impact view, the programme comparison and the self-evaluation
 * draft follow: actions to the audit findings they answer, and audits to the other audits of the
 * same case. Fed by two event types only; rows are inserted once and never change. Written in
 * bulk (BulkProjection): one row per audit started, so as many rows as the audits projection's.
 */
export const impactLinksProjection: BulkProjection = {
  name: 'impact-links',
  // 2: written in bulk, history by the runner instead of triggers (same rows and versions).
  // 3: an action may answer several findings (ActionLinkedToFinding): one row per action and finding.
  version: 3,
  filter: { eventTypes: ['ActionAdded', 'ActionLinkedToFinding', 'CaseAuditStarted'] },
  entities: [ActionFindingRow, CaseAuditRow],
  writes: 'bulk',
  apply(recorded, rows) {
    const event = recorded as unknown as ActionAdded | ActionLinkedToFinding | CaseAuditStarted;
    // An action raised from a finding (ActionAdded with one) or linked to one later: the same row.
    if (event.type === 'ActionLinkedToFinding' || event.type === 'ActionAdded') {
      const { actionId, planId, finding } = event.data;
      if (!finding) return;
      rows.table(ActionFindingRow).put({
        actionId,
        planId,
        auditId: finding.auditId,
        domain: finding.domain,
        addedAt: recorded.metadata.occurredAt,
      });
      return;
    }
    if (event.type === 'CaseAuditStarted') {
      const { auditId, caseRef, teamId, auditedOn, programmeId } = event.data;
      rows.table(CaseAuditRow).put({ auditId, caseRef, teamId, auditedOn, programmeId: programmeId ?? null });
    }
  },
};
