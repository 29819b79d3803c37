import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { RecordedEvent } from '@casetrail/event-store';
import type { BulkProjection, RowBuffer, RowTable } from '@casetrail/projections';
import type { AuditStatus } from '../audit.decider';
import { OVERALL, type AuditEvent, type DomainGraded, type Grade, type OverallGrade } from '../audits.events';

export interface GradeCorrectionView {
  domain: string;
  from: Grade | null;
  to: Grade;
  reason: string;
  correctedAt: string;
  correctedBy: string;
}

export interface ModerationView {
  moderatorId: string;
  requestedAt: string;
  requestedBy: string;
  status: 'pending' | 'moderated';
  overallGrade?: OverallGrade;
  domainGrades?: Record<string, Grade>;
  agreed?: boolean;
  rationale?: string;
  /** The auditor's effective overall grade the moderator's grade is compared with. */
  auditorOverallGrade?: OverallGrade;
  moderatedAt?: string;
  /** Where the moderator's overall grade differs from the auditor's: the third person's decision, which is the effective grade. */
  resolution?: {
    resolvedBy: string;
    overallGrade: OverallGrade;
    rationale: string;
    resolvedAt: string;
  };
}

/** Everything about an audit that is shown but not filtered on. */
export interface AuditDetail {
  domains: string[];
  /** The auditor's own latest grade per domain before submission. */
  grades: Record<string, { grade: Grade; evidence: string; gradedAt: string }>;
  strengths: string[];
  areasForDevelopment: string[];
  childAndFamilyFeedback: string | null;
  /** Why the overall grade departs from a limiting domain or from what the domains support (absent when not needed). */
  overallGradeReason?: string;
  corrections: GradeCorrectionView[];
  moderation: ModerationView | null;
  /** Per domain: the latest of the auditor's grade, the moderator's grade and corrections, in event order. */
  effectiveDomainGrades: Record<string, Grade>;
}

/** The detail kept on the audit's row: the domain grades have rows of their own (AuditGradeRow). */
export type StoredAuditDetail = Omit<AuditDetail, 'grades' | 'effectiveDomainGrades'>;

/** One row per audit, with its effective overall grade kept current. */
@Entity({ name: 'audits' })
export class AuditRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) auditId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) caseRef!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 40 }) teamId!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 36 }) auditorId!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 10 }) auditedOn!: string;
  @ApiProperty({ nullable: true, type: String }) @Index() @Column({ type: 'varchar', length: 40, nullable: true }) programmeId!:
    string | null;
  @ApiProperty() @Column({ type: 'varchar', length: 40 }) frameworkId!: string;
  @ApiProperty() @Column({ type: 'integer' }) frameworkVersion!: number;
  @ApiProperty({ enum: ['in-progress', 'submitted', 'moderation-requested', 'moderated'] })
  @Column({ type: 'varchar', length: 24 })
  status!: AuditStatus;
  @ApiProperty({ nullable: true, type: String }) @Column({ type: 'varchar', length: 10, nullable: true }) submittedOn!:
    string | null;
  /** The auditor's overall grade as submitted (history: never overwritten). */
  @ApiProperty({ nullable: true, type: String })
  @Column({ type: 'varchar', length: 24, nullable: true })
  overallGrade!: OverallGrade | null;
  /** The grade that counts: moderated or corrected, the latest fact in event order. */
  @ApiProperty({ nullable: true, type: String })
  @Column({ type: 'varchar', length: 24, nullable: true })
  effectiveOverallGrade!: OverallGrade | null;
  @ApiProperty({ nullable: true, type: String }) @Index() @Column({ type: 'varchar', length: 36, nullable: true }) moderatorId!:
    string | null;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) startedAt!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) updatedAt!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 30 }) revision!: string;
  @Column({ type: 'simple-json' }) detail!: StoredAuditDetail;
}

/**
 * One narrow row per domain of an audit that has a grade: the auditor's own latest grade and the
 * effective one (the latest of the auditor's grade, the moderator's and corrections, in event
 * order). A grading writes this row, not the audit's detail (about ten gradings per audit), and
 * ratings count `effectiveGrade` without reading any JSON.
 */
@Entity({ name: 'audit_grades' })
// What the ratings read of a grade row (and `_from`, which an as-at view filters the open versions
// on): the team's grades are answered from this index, not from a visit to each row, whose rows
// spread over the whole table (at 1,000,000 events, current and as-at). Its history has the same.
@Index(['auditId', 'effectiveGrade', 'domain', 'seq', 'openedAt'])
export class AuditGradeRow {
  @PrimaryColumn({ type: 'varchar', length: 40 }) auditId!: string;
  @PrimaryColumn({ type: 'varchar', length: 40 }) domain!: string;
  /** Position (x 64, plus the domain's place in its event) of the event that made the row: the domains in the order they were first graded. */
  @Column({ type: 'bigint' }) seq!: string;
  /** The auditor's own latest grade (null when only a moderator or a correction graded the domain). */
  @Column({ type: 'varchar', length: 24, nullable: true }) grade!: Grade | null;
  @Column({ type: 'text', nullable: true }) evidence!: string | null;
  @Column({ type: 'varchar', length: 30, nullable: true }) gradedAt!: string | null;
  @Column({ type: 'varchar', length: 24 }) effectiveGrade!: Grade;
  /** The audit stream's revision and time of the event that last changed this row (a grading changes only this row). */
  @Column({ type: 'varchar', length: 30 }) revision!: string;
  @Column({ type: 'varchar', length: 30 }) updatedAt!: string;
  /** Position of the event that wrote this row, set by the runner: the row is its own open as-at version (its history keeps the closed ones). */
  @Column({ type: 'bigint', name: '_from', nullable: true }) openedAt!: string | null;
}

/**
 * An audit's revision and updatedAt: those of the last event applied to it, which is on its row
 * or, for a grading, on one of its grade rows, or, for an action's event, on the action's row.
 */
export function latestChange(
  audit: Pick<AuditRow, 'revision' | 'updatedAt'>,
  ...changes: Pick<AuditGradeRow, 'revision' | 'updatedAt'>[][]
): { revision: string; updatedAt: string } {
  let latest = { revision: audit.revision, updatedAt: audit.updatedAt };
  for (const rows of changes)
    for (const g of rows)
      if (BigInt(g.revision) > BigInt(latest.revision)) latest = { revision: g.revision, updatedAt: g.updatedAt };
  return latest;
}

/** The audit's `grades` and `effectiveDomainGrades` from its grade rows (in `seq` order). */
export function gradesOf(rows: AuditGradeRow[]): Pick<AuditDetail, 'grades' | 'effectiveDomainGrades'> {
  const grades: AuditDetail['grades'] = {};
  const effectiveDomainGrades: AuditDetail['effectiveDomainGrades'] = {};
  for (const row of rows) {
    if (row.grade !== null) grades[row.domain] = { grade: row.grade, evidence: row.evidence!, gradedAt: row.gradedAt! };
    effectiveDomainGrades[row.domain] = row.effectiveGrade;
  }
  return { grades, effectiveDomainGrades };
}

/** One row per audit action. A team's open or completed actions are one index range (also in the as-at history). */
@Entity({ name: 'audit_actions' })
@Index(['teamId', 'status'])
export class AuditActionRow {
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) auditId!: string;
  @ApiProperty() @PrimaryColumn({ type: 'varchar', length: 40 }) actionId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 100 }) caseRef!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 1000 }) description!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 36 }) ownerId!: string;
  @ApiProperty() @Index() @Column({ type: 'varchar', length: 40 }) teamId!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) raisedOn!: string;
  @ApiProperty() @Column({ type: 'varchar', length: 10 }) dueOn!: string;
  @ApiProperty({ enum: ['open', 'completed', 'cancelled'] }) @Index() @Column({ type: 'varchar', length: 10 }) status!:
    'open' | 'completed' | 'cancelled';
  /** 'yes' when raised automatically for an inadequate audit (a string: portable across both databases). */
  @ApiProperty() @Column({ type: 'varchar', length: 3 }) immediateReview!: 'yes' | 'no';
  @ApiPropertyOptional({ nullable: true, type: String }) @Column({ type: 'varchar', length: 10, nullable: true }) closedOn!:
    string | null;
  /** Completion evidence or cancellation reason. */
  @ApiPropertyOptional({ nullable: true, type: String }) @Column({ type: 'varchar', length: 2000, nullable: true }) closedNote!:
    string | null;
  /** An immediate review's answer: was immediate safeguarding action needed? Null until completed, and on other actions. */
  @ApiPropertyOptional({ nullable: true, enum: ['yes', 'no'] })
  @Column({ type: 'varchar', length: 3, nullable: true })
  safeguardingActionNeeded!: 'yes' | 'no' | null;
  /**
   * The audit stream's revision and time of the event that last changed this action: an action's
   * event changes only its row, not the audit's (whose revision is the latest of its rows', latestChange).
   */
  // Defaults only for rows made before these columns (version 3 rebuilds them all at once).
  @Column({ type: 'varchar', length: 30, default: '0' }) revision!: string;
  @Column({ type: 'varchar', length: 30, default: '' }) updatedAt!: string;
}

/**
 * Sets a domain's effective grade (and the auditor's own, when given), with the event's revision
 * and time; `place` orders domains new in the same event. The row is copied once, field by field
 * (no spread of spreads: this runs for most events of a rebuild).
 */
function setGrade(
  rows: RowBuffer,
  recorded: RecordedEvent,
  auditId: string,
  domain: string,
  effectiveGrade: Grade,
  own: Grade | undefined,
  evidence: string | undefined,
  place: number,
): Promise<void> | void {
  const grades = rows.table(AuditGradeRow);
  const found = grades.get({ auditId, domain });
  // A promise only when the row is not in memory yet (not preloaded): most grades are.
  if (found instanceof Promise) {
    return found.then((row) => putGrade(grades, row, recorded, auditId, domain, effectiveGrade, own, evidence, place));
  }
  putGrade(grades, found, recorded, auditId, domain, effectiveGrade, own, evidence, place);
}

function putGrade(
  grades: RowTable<AuditGradeRow>,
  found: AuditGradeRow | null,
  recorded: RecordedEvent,
  auditId: string,
  domain: string,
  effectiveGrade: Grade,
  own: Grade | undefined,
  evidence: string | undefined,
  place: number,
): void {
  const row: AuditGradeRow = {
    auditId,
    domain,
    seq: found ? found.seq : (recorded.position * 64n + BigInt(place)).toString(),
    grade: found ? found.grade : null,
    evidence: found ? found.evidence : null,
    gradedAt: found ? found.gradedAt : null,
    effectiveGrade,
    revision: recorded.revision.toString(),
    updatedAt: recorded.metadata.recordedAt,
    openedAt: found ? found.openedAt : null, // the runner sets it
  };
  if (own) {
    row.grade = own;
    row.evidence = evidence!;
    row.gradedAt = recorded.metadata.occurredAt;
  }
  grades.put(row);
}

/**
 * Written in bulk (BulkProjection): audit events are most of the log (ten gradings per audit),
 * and each one changes its audit's row; the runner folds a batch in memory and writes each
 * audit's final row once, with one history version per event.
 */
export const auditsProjection: BulkProjection = {
  name: 'audits',
  // 2: written in bulk, history by the runner instead of triggers; domain grades in rows of their own.
  // 3: an action's event changes only the action's row (with the revision), not the audit's.
  // 4: a grade's row keeps its open as-at version (`_from`), its history only the closed ones.
  version: 4,
  filter: { streamPrefixes: ['audit-'] },
  entities: [AuditRow, AuditActionRow, AuditGradeRow],
  writes: 'bulk',
  // As-at views look audits up by key or by team (and programme), actions by team: only those
  // lookups are indexed in the history, not every index of the tables (each costs every version).
  // Grades are found by their audit. The ratings read every grade of a team's audits (about ten
  // rows each): an index holding what they read (grade, domain, order, and the version's end)
  // answers them without a visit to each version's row, scattered over the whole table (at
  // 1,000,000 events a team's grades touch most of its pages): half the as-at view's CPU time.
  history: {
    indices: {
      audits: [['teamId'], ['programmeId']],
      audit_actions: [['teamId', 'status']],
      audit_grades: [['auditId', 'effectiveGrade', 'domain', 'seq', '_to']],
    },
  },
  async prefetch(events, rows) {
    const ids = events.map((e) => (e.data as { auditId: string }).auditId);
    await rows.table(AuditRow).preload('auditId', ids);
    await rows.table(AuditActionRow).preload('auditId', ids);
    await rows.table(AuditGradeRow).preload('auditId', ids);
  },
  apply(recorded, rows) {
    if (recorded.type !== 'DomainGraded') return applyAuditEvent(recorded, rows);
    // Most of the log: only the grade's own narrow row changes (with the revision), not the
    // audit's; folded without a promise when the audit's and the grade's rows are in memory, as
    // the prefetch leaves them, and without the closures the other events use.
    const { auditId, domain, grade: given, evidence } = (recorded as unknown as DomainGraded).data;
    const audit = rows.table(AuditRow).get({ auditId });
    if (audit instanceof Promise) {
      return audit.then((found) => (found ? setGrade(rows, recorded, auditId, domain, given, given, evidence, 0) : undefined));
    }
    if (audit) return setGrade(rows, recorded, auditId, domain, given, given, evidence, 0);
  },
};

/** Every event of an audit but a grading (see apply). */
async function applyAuditEvent(recorded: RecordedEvent, rows: RowBuffer): Promise<void> {
  const event = recorded as unknown as AuditEvent;
  const at = recorded.metadata.occurredAt;
  const by = recorded.metadata.actorId;
  const audits = rows.table(AuditRow);
  const changed = { revision: recorded.revision.toString(), updatedAt: recorded.metadata.recordedAt };

  if (event.type === 'CaseAuditStarted') {
    const d = event.data;
    audits.put({
      auditId: d.auditId,
      caseRef: d.caseRef,
      teamId: d.teamId,
      auditorId: d.auditorId,
      auditedOn: d.auditedOn,
      programmeId: d.programmeId ?? null,
      frameworkId: d.frameworkId,
      frameworkVersion: d.frameworkVersion,
      status: 'in-progress',
      submittedOn: null,
      overallGrade: null,
      effectiveOverallGrade: null,
      moderatorId: null,
      startedAt: at,
      ...changed,
      detail: {
        domains: d.domains,
        strengths: [],
        areasForDevelopment: [],
        childAndFamilyFeedback: null,
        corrections: [],
        moderation: null,
      },
    });
    return;
  }

  const auditId = event.data.auditId;
  const audit = await audits.get({ auditId });
  if (!audit) return;
  const grade = (domain: string, effectiveGrade: Grade, own?: Grade, evidence?: string, place = 0): Promise<void> | void =>
    setGrade(rows, recorded, auditId, domain, effectiveGrade, own, evidence, place);
  const actions = rows.table(AuditActionRow);
  const detail = audit.detail;
  const update = (set: Partial<AuditRow>): void => audits.put({ ...audit, ...set, ...changed, detail });
  /** Completes or cancels an action; when the action is not found only the audit's revision moves. */
  const closeAction = async (actionId: string, set: Partial<AuditActionRow>) => {
    const action = await actions.get({ auditId, actionId });
    if (action) actions.put({ ...action, ...set, ...changed });
    else update({});
  };

  switch (event.type) {
    case 'AuditSubmitted': {
      const d = event.data;
      detail.strengths = d.strengths;
      detail.areasForDevelopment = d.areasForDevelopment;
      detail.childAndFamilyFeedback = d.childAndFamilyFeedback ?? null;
      if (d.overallGradeReason !== undefined) detail.overallGradeReason = d.overallGradeReason;
      update({
        status: 'submitted',
        submittedOn: d.submittedOn,
        overallGrade: d.overallGrade,
        effectiveOverallGrade: d.overallGrade,
      });
      return;
    }
    case 'GradeCorrected': {
      const { domain, from, to, reason } = event.data;
      detail.corrections.push({ domain, from, to, reason, correctedAt: at, correctedBy: by });
      if (domain === OVERALL) {
        update({ effectiveOverallGrade: to as OverallGrade });
      } else {
        await grade(domain, to);
        update({});
      }
      return;
    }
    case 'ModerationRequested':
      detail.moderation = { moderatorId: event.data.moderatorId, requestedAt: at, requestedBy: by, status: 'pending' };
      update({ status: 'moderation-requested', moderatorId: event.data.moderatorId });
      return;
    case 'AuditModerated': {
      const d = event.data;
      detail.moderation = {
        ...(detail.moderation ?? { moderatorId: d.moderatorId, requestedAt: at, requestedBy: by }),
        status: 'moderated',
        overallGrade: d.overallGrade,
        ...(d.domainGrades ? { domainGrades: d.domainGrades } : {}),
        agreed: d.agreed,
        rationale: d.rationale,
        auditorOverallGrade: d.auditorOverallGrade,
        moderatedAt: at,
      };
      for (const [place, [domain, given]] of Object.entries(d.domainGrades ?? {}).entries()) {
        await grade(domain, given, undefined, undefined, place);
      }
      update({ status: 'moderated', effectiveOverallGrade: d.overallGrade });
      return;
    }
    case 'ModerationDisagreementResolved': {
      const d = event.data;
      if (detail.moderation) {
        detail.moderation.resolution = {
          resolvedBy: d.resolvedBy,
          overallGrade: d.overallGrade,
          rationale: d.rationale,
          resolvedAt: at,
        };
      }
      update({ effectiveOverallGrade: d.overallGrade });
      return;
    }
    case 'AuditActionRaised': {
      const d = event.data;
      actions.put({
        auditId,
        actionId: d.actionId,
        caseRef: audit.caseRef,
        description: d.description,
        ownerId: d.ownerId,
        teamId: d.teamId,
        raisedOn: d.raisedOn,
        dueOn: d.dueOn,
        status: 'open',
        immediateReview: d.immediateReview ? 'yes' : 'no',
        closedOn: null,
        closedNote: null,
        safeguardingActionNeeded: null,
        ...changed,
      });
      return;
    }
    case 'AuditActionCompleted': {
      const d = event.data;
      await closeAction(d.actionId, {
        status: 'completed',
        closedOn: d.completedOn,
        closedNote: d.evidence,
        ...(d.safeguardingActionNeeded !== undefined
          ? { safeguardingActionNeeded: d.safeguardingActionNeeded ? 'yes' : 'no' }
          : {}),
      });
      return;
    }
    case 'AuditActionCancelled':
      await closeAction(event.data.actionId, {
        status: 'cancelled',
        closedOn: event.data.cancelledOn,
        closedNote: event.data.reason,
      });
      return;
  }
}
