import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { notFound } from '@casetrail/kernel';
import { listRowsHandler, pick, READ_DB, ReadCache, readRows, ReadModelHandler } from '../core';
import { AuditNotFound, type AuditStatus } from './audit.decider';
import type { Grade, OverallGrade } from './audits.events';
import { AuditFrameworkRow } from './projections/audit-framework.projection';
import { AuditProgrammeRow } from './projections/audit-programme.projection';
import {
  AuditActionRow,
  AuditGradeRow,
  AuditRow,
  gradesOf,
  latestChange,
  type AuditDetail,
} from './projections/audit.projection';
import { agreementOf, rate, summarySentence, type GradedAudit, type Kappa, type Ratings } from './ratings';

/** One audit action as other contexts see it (the plans context lists a team's outstanding actions). */
export interface AuditActionView {
  actionId: string;
  auditId: string;
  caseRef: string;
  description: string;
  ownerId: string;
  teamId: string;
  raisedOn: string;
  dueOn: string;
  status: 'open' | 'completed' | 'cancelled';
  completedOn?: string;
  /** True for the immediate review an inadequate grade raises. */
  immediateReview: boolean;
  /** An immediate review's answer, once completed: was immediate safeguarding action needed? */
  safeguardingActionNeeded?: boolean;
  /** Not completed (or cancelled) and `on` is after dueOn. */
  overdue: boolean;
  /** Completed after its due date (a late completion still counts as done, but is shown as late). */
  completedLate: boolean;
  /** The evidence that it is done, once completed. */
  evidence?: string;
  /** Why it was cancelled, and when, once cancelled. */
  cancelledOn?: string;
  cancellationReason?: string;
}

/**
 * A team's audit actions as at the day `on`. status: 'open' = open and not overdue,
 * 'overdue' = open and past due, 'completed' = completed, undefined = every open one
 * (open + overdue).
 */
export class ListTeamAuditActionsQuery extends Query<AuditActionView[]> {
  constructor(
    readonly teamId: string,
    readonly status: 'open' | 'overdue' | 'completed' | undefined,
    readonly on: string,
    /**
     * Who is asking: the actions of audits waiting for their moderation are left out (blind moderation,
     * rule 8). Undefined only for service-level callers that show no one a grade.
     */
    readonly viewerId?: string,
  ) {
    super();
  }
}

/** The audits (ids) of a team, or of every team, waiting for this viewer's moderation: left out of their figures and lists. */
export class AwaitingModerationQuery extends Query<string[]> {
  constructor(
    readonly viewerId: string,
    readonly teamId?: string,
  ) {
    super();
  }
}

// ---- Frameworks ----------------------------------------------------------------------------------------
/** The latest version of a framework, or null when none is published. */
export class GetCurrentFrameworkQuery extends Query<AuditFrameworkRow | null> {
  constructor(readonly frameworkId: string) {
    super();
  }
}
export class ListFrameworksQuery extends Query<AuditFrameworkRow[]> {}

// ---- Programmes ----------------------------------------------------------------------------------------
export class FindProgrammeQuery extends Query<AuditProgrammeRow | null> {
  constructor(readonly programmeId: string) {
    super();
  }
}
export class ListProgrammesQuery extends Query<AuditProgrammeRow[]> {}

export interface ProgrammeSummary {
  programmeId: string;
  title: string;
  kind: string;
  theme: string | null;
  /** Submitted audits (in progress ones are not yet "audited"). */
  audited: number;
  inProgress: number;
  counts: { outstanding: number; good: number; requiresImprovement: number; inadequate: number };
  summary: string;
  /** Submitted audits the viewer is to moderate blind: left out of the counts, so no grade can be worked out. */
  awaitingYourModeration: number;
}
export class ProgrammeSummaryQuery extends Query<ProgrammeSummary> {
  constructor(
    readonly programmeId: string,
    /** Who is asking: their pending moderations are left out (blind moderation covers aggregates too). */
    readonly viewerId: string,
  ) {
    super();
  }
}

// ---- Audits --------------------------------------------------------------------------------------------
export type AuditListItem = Omit<AuditRow, 'detail'> & { blind: boolean };
export type AuditView = Omit<AuditRow, 'detail'> &
  Omit<AuditDetail, 'grades' | 'effectiveDomainGrades'> & {
    grades: AuditDetail['grades'] | null;
    effectiveDomainGrades: Record<string, Grade> | null;
    actions: AuditActionView[];
    /** True when the caller is the assigned moderator before moderating: the auditor's judgement is hidden. */
    blind: boolean;
  };

export class GetAuditQuery extends Query<AuditView> {
  constructor(
    readonly auditId: string,
    /** Who is asking: the assigned moderator sees the audit blind until they record the moderation. */
    readonly viewerId: string,
    /** The day for "overdue" on its actions. */
    readonly on: string,
  ) {
    super();
  }
}

/** The team an audit belongs to (what a command needs of it for an immediate review's owner); AuditNotFound if none. */
export class AuditTeamQuery extends Query<string> {
  constructor(readonly auditId: string) {
    super();
  }
}

export class ListAuditsQuery extends Query<AuditListItem[]> {
  constructor(
    /** teamIds: only these teams (a team manager's own, from the access policy). */
    readonly filter: AuditFilter,
    readonly viewerId: string,
  ) {
    super();
  }
}

// ---- Ratings and agreement -----------------------------------------------------------------------------
export interface RatingsFilter {
  from?: string;
  to?: string;
  programmeId?: string;
}
/** Submitted audits the viewer is to moderate blind: left out of the figures, so no grade can be worked out (rule 8). */
export interface AwaitingYourModeration {
  awaitingYourModeration: number;
}
export type TeamRatings = { teamId: string; from: string | null; to: string | null; programmeId: string | null } & Ratings &
  AwaitingYourModeration;
export interface AllRatings extends AwaitingYourModeration {
  from: string | null;
  to: string | null;
  programmeId: string | null;
  teams: TeamRatings[];
  allTeams: Ratings & AwaitingYourModeration;
}
export class TeamRatingsQuery extends Query<TeamRatings> {
  constructor(
    readonly teamId: string,
    readonly filter: RatingsFilter,
    /** Who is asking: their pending moderations are left out (blind moderation covers aggregates too). */
    readonly viewerId: string,
  ) {
    super();
  }
}
export class AllRatingsQuery extends Query<AllRatings> {
  constructor(
    readonly filter: RatingsFilter,
    /** Who is asking: their pending moderations are left out (blind moderation covers aggregates too). */
    readonly viewerId: string,
  ) {
    super();
  }
}

export type AgreementFigures = {
  moderated: number;
  /** Moderations where the moderator's overall grade was the auditor's: agreement is read from the grades, not a flag. */
  agreed: number;
  /** agreed of moderated, as a whole percent (as councils publish them). */
  agreementRate: number | null;
  /** Percent of moderations where the two overall grades were identical (the same as agreementRate, kept for old readers). */
  gradeMatchRate: number | null;
} & Kappa;
export type ModerationAgreement = AgreementFigures & {
  from: string | null;
  to: string | null;
  auditors: ({ auditorId: string } & AgreementFigures)[];
};
export class ModerationAgreementQuery extends Query<ModerationAgreement> {
  constructor(readonly filter: { from?: string; to?: string }) {
    super();
  }
}

// ---- Handlers ------------------------------------------------------------------------------------------
export class AuditProgrammeNotFound extends notFound(
  'AUDIT_PROGRAMME_NOT_FOUND',
  (programmeId: string) => `There is no audit programme "${programmeId}".`,
) {}

const DEFAULT_FRAMEWORK = 'default';
const SUBMITTED: AuditStatus[] = ['submitted', 'moderation-requested', 'moderated'];

/** Pending moderation by this viewer: the auditor's judgement must not show (blind moderation). */
const blindFor = (row: Pick<AuditRow, 'status' | 'moderatorId'>, viewerId: string | undefined): boolean =>
  viewerId !== undefined && row.status === 'moderation-requested' && row.moderatorId === viewerId;

/**
 * Blind moderation covers totals and lists too (docs/audit-rules.md, rule 8): THE rule for every figure or
 * list built from several audits. The audits waiting for this viewer's moderation are left out entirely
 * (a total with one case fewer gives nothing away; a total that counts it does), and how many were left
 * out is said, so the page can say why. The programme summary, the team and all-team grade
 * distributions and a team's audit actions all go through here.
 */
export function leaveOutAwaitingModeration<T extends Pick<AuditRow, 'status' | 'moderatorId'>>(
  rows: T[],
  viewerId: string | undefined,
): { shown: T[]; awaitingYourModeration: number } {
  const shown = rows.filter((row) => !blindFor(row, viewerId));
  return { shown, awaitingYourModeration: rows.length - shown.length };
}

/** The audits (of one team, or every team) waiting for this viewer's moderation, by the rule above. */
async function awaitingModerationBy(db: DataSource, viewerId: string, teamId?: string): Promise<AuditRow[]> {
  const candidates = await db.getRepository(AuditRow).find({
    where: { status: 'moderation-requested', moderatorId: viewerId, ...(teamId !== undefined ? { teamId } : {}) },
    select: ['auditId', 'teamId', 'status', 'moderatorId'],
  });
  return candidates.filter((row) => blindFor(row, viewerId));
}

/** What an action's view is made of: its row without the revision and time of its last change. */
type ShownActionRow = Omit<AuditActionRow, 'revision' | 'updatedAt'>;

/**
 * A team's actions raised by a day (the second `?`) that were, on that day (the third), completed
 * (for the 'completed' list) or open (still open, or closed after it), as actionAsOn has them. By a
 * raw select of the columns shown: a team has thousands (about 2,900 at 1,000,000 events), mostly
 * closed long before, and making TypeORM entities of them all was most of the list's time.
 */
const teamActionsSql = (completed: boolean): string =>
  'SELECT "auditId", "actionId", "caseRef", "description", "ownerId", "teamId", "raisedOn", "dueOn", "status", ' +
  '"immediateReview", "closedOn", "closedNote", "safeguardingActionNeeded" FROM audit_actions WHERE "teamId" = ? AND "raisedOn" <= ? AND ' +
  (completed ? `"status" = 'completed' AND ("closedOn" IS NULL OR "closedOn" <= ?)` : `("status" = 'open' OR "closedOn" > ?)`) +
  ' ORDER BY "dueOn", "auditId", "actionId"';

/**
 * An action as it stood at the end of the day `on`: raised after it, it did not exist (null); completed
 * or cancelled after it, it was still open that day.
 */
export function actionAsOn<T extends ShownActionRow>(row: T, on: string): T | null {
  if (row.raisedOn > on) return null;
  if (row.status !== 'open' && row.closedOn !== null && row.closedOn > on) {
    return { ...row, status: 'open', closedOn: null, closedNote: null, safeguardingActionNeeded: null };
  }
  return row;
}

/**
 * A team's audit actions as on the day `on`. status: 'open' = open that day and not overdue,
 * 'overdue' = open that day and past due, 'completed' = completed by that day, undefined = every
 * action open that day.
 */
export function teamActionsAsOn(
  rows: ShownActionRow[],
  status: 'open' | 'overdue' | 'completed' | undefined,
  on: string,
): AuditActionView[] {
  const views = rows
    .map((row) => actionAsOn(row, on))
    .filter((row): row is ShownActionRow => row !== null)
    .filter((row) => row.status === (status === 'completed' ? 'completed' : 'open'))
    .map((row) => toActionView(row, on));
  if (status === 'open') return views.filter((v) => !v.overdue);
  if (status === 'overdue') return views.filter((v) => v.overdue);
  return views;
}

function toActionView(row: ShownActionRow, on: string): AuditActionView {
  return {
    ...pick(row, ['actionId', 'auditId', 'caseRef', 'description', 'ownerId', 'teamId', 'raisedOn', 'dueOn', 'status']),
    ...(row.status === 'completed' && row.closedOn ? { completedOn: row.closedOn } : {}),
    ...(row.status === 'completed' && row.closedNote ? { evidence: row.closedNote } : {}),
    ...(row.status === 'cancelled' && row.closedOn ? { cancelledOn: row.closedOn } : {}),
    ...(row.status === 'cancelled' && row.closedNote ? { cancellationReason: row.closedNote } : {}),
    immediateReview: row.immediateReview === 'yes',
    ...(row.safeguardingActionNeeded ? { safeguardingActionNeeded: row.safeguardingActionNeeded === 'yes' } : {}),
    overdue: row.status === 'open' && on > row.dueOn,
    completedLate: row.status === 'completed' && row.closedOn !== null && row.closedOn > row.dueOn,
  };
}

function listItem(row: AuditRow, viewerId: string): AuditListItem {
  const { detail: _detail, ...columns } = row;
  void _detail;
  const blind = blindFor(row, viewerId);
  return blind ? { ...columns, overallGrade: null, effectiveOverallGrade: null, blind } : { ...columns, blind };
}

/** The latest version of a framework, AuditFrameworkRow's columns in their declared order. */
const CURRENT_FRAMEWORK =
  'SELECT "frameworkId", "version", "domains", "publishedAt", "publishedBy" FROM audit_frameworks WHERE "frameworkId" = ? ORDER BY "version" DESC LIMIT 1';

@QueryHandler(GetCurrentFrameworkQuery)
export class GetCurrentFrameworkHandler extends ReadModelHandler implements IQueryHandler<GetCurrentFrameworkQuery> {
  async execute({ frameworkId }: GetCurrentFrameworkQuery): Promise<AuditFrameworkRow | null> {
    // Every audit start asks this: one prepared statement, not a TypeORM findOne per command.
    const [row] = await readRows<Omit<AuditFrameworkRow, 'domains'> & { domains: string }>(this.db, CURRENT_FRAMEWORK, [
      frameworkId,
    ]);
    // domains is a simple-json column (text on both databases).
    return row ? { ...row, domains: JSON.parse(row.domains) as AuditFrameworkRow['domains'] } : null;
  }
}

export class ListFrameworksHandler extends listRowsHandler(ListFrameworksQuery, AuditFrameworkRow, {
  frameworkId: 'ASC',
  version: 'ASC',
}) {}

@QueryHandler(FindProgrammeQuery)
export class FindProgrammeHandler extends ReadModelHandler implements IQueryHandler<FindProgrammeQuery> {
  execute({ programmeId }: FindProgrammeQuery): Promise<AuditProgrammeRow | null> {
    return this.db.getRepository(AuditProgrammeRow).findOneBy({ programmeId });
  }
}

export class ListProgrammesHandler extends listRowsHandler(ListProgrammesQuery, AuditProgrammeRow, {
  from: 'DESC',
  programmeId: 'ASC',
}) {}

@QueryHandler(ProgrammeSummaryQuery)
export class ProgrammeSummaryHandler extends ReadModelHandler implements IQueryHandler<ProgrammeSummaryQuery> {
  async execute({ programmeId, viewerId }: ProgrammeSummaryQuery): Promise<ProgrammeSummary> {
    const programme = await this.db.getRepository(AuditProgrammeRow).findOneBy({ programmeId });
    if (!programme) throw new AuditProgrammeNotFound(programmeId);
    const all = await this.db
      .getRepository(AuditRow)
      .find({ where: { programmeId }, select: ['status', 'effectiveOverallGrade', 'moderatorId'] });
    // Blind moderation: the pending moderator's audits are not counted at all, or the counts would give the grade away.
    const { shown: audits, awaitingYourModeration } = leaveOutAwaitingModeration(all, viewerId);
    const counts: Record<OverallGrade, number> = { outstanding: 0, good: 0, 'requires-improvement': 0, inadequate: 0 };
    let inProgress = 0;
    for (const audit of audits) {
      if (audit.effectiveOverallGrade && SUBMITTED.includes(audit.status)) counts[audit.effectiveOverallGrade]++;
      else inProgress++;
    }
    return {
      programmeId,
      title: programme.title,
      kind: programme.kind,
      theme: programme.theme,
      audited: audits.length - inProgress,
      inProgress,
      counts: {
        outstanding: counts.outstanding,
        good: counts.good,
        requiresImprovement: counts['requires-improvement'],
        inadequate: counts.inadequate,
      },
      summary: summarySentence(counts),
      awaitingYourModeration,
    };
  }
}

@QueryHandler(GetAuditQuery)
export class GetAuditHandler extends ReadModelHandler implements IQueryHandler<GetAuditQuery> {
  async execute({ auditId, viewerId, on }: GetAuditQuery): Promise<AuditView> {
    const row = await this.db.getRepository(AuditRow).findOneBy({ auditId });
    if (!row) throw new AuditNotFound(auditId);
    const actions = await this.db
      .getRepository(AuditActionRow)
      .find({ where: { auditId }, order: { raisedOn: 'ASC', actionId: 'ASC' } });
    const gradeRows = await this.db.getRepository(AuditGradeRow).find({ where: { auditId }, order: { seq: 'ASC' } });
    const { detail, ...columns } = row;
    const { domains, ...rest } = detail;
    const { grades, effectiveDomainGrades } = gradesOf(gradeRows);
    const view: AuditView = {
      ...columns,
      ...latestChange(row, gradeRows, actions),
      domains,
      grades,
      ...rest,
      effectiveDomainGrades,
      actions: actions.map((a) => toActionView(a, on)),
      blind: false,
    };
    if (!blindFor(row, viewerId)) return view;
    // Blind moderation: the moderator sees the case and the domains, not the auditor's judgement
    // (grades, evidence, strengths, corrections, nor the immediate review an inadequate grade raised).
    return {
      ...view,
      overallGrade: null,
      effectiveOverallGrade: null,
      grades: null,
      effectiveDomainGrades: null,
      strengths: [],
      areasForDevelopment: [],
      overallGradeReason: undefined,
      corrections: [],
      actions: [],
      blind: true,
    };
  }
}

@QueryHandler(AuditTeamQuery)
export class AuditTeamHandler extends ReadModelHandler implements IQueryHandler<AuditTeamQuery> {
  async execute({ auditId }: AuditTeamQuery): Promise<string> {
    // One column of one row, by a prepared statement: not the whole audit view with its actions and grades.
    const [row] = await readRows<{ teamId: string }>(this.db, 'SELECT "teamId" FROM audits WHERE "auditId" = ?', [auditId]);
    if (!row) throw new AuditNotFound(auditId);
    return row.teamId;
  }
}

@QueryHandler(ListAuditsQuery)
export class ListAuditsHandler extends ReadModelHandler implements IQueryHandler<ListAuditsQuery> {
  async execute({ filter, viewerId }: ListAuditsQuery): Promise<AuditListItem[]> {
    if (filter.teamIds?.length === 0) return [];
    const rows = await auditsWhere(this.db, filter).orderBy('a.auditedOn', 'DESC').addOrderBy('a.auditId', 'ASC').getMany();
    // A grading changes only its grade row, an action's event only the action's row: the audit's
    // revision is the latest of its row's, its grades' and its actions'.
    const byAudit = new Map<string, { revision: string; updatedAt: string }[]>();
    for (const entity of [AuditGradeRow, AuditActionRow]) {
      const changes = (await auditsWhere(
        this.db,
        filter,
        this.db
          .getRepository<{ auditId: string }>(entity)
          .createQueryBuilder('g')
          .innerJoin(AuditRow, 'a', 'a.auditId = g.auditId'),
      )
        .select('g.auditId', 'auditId')
        .addSelect('g.revision', 'revision')
        .addSelect('g.updatedAt', 'updatedAt')
        .getRawMany()) as { auditId: string; revision: string; updatedAt: string }[];
      for (const g of changes) byAudit.set(g.auditId, [...(byAudit.get(g.auditId) ?? []), g]);
    }
    return rows.map((row) => listItem({ ...row, ...latestChange(row, byAudit.get(row.auditId) ?? []) }, viewerId));
  }
}

type AuditFilter = {
  teamId?: string;
  teamIds?: string[];
  programmeId?: string;
  from?: string;
  to?: string;
  status?: AuditStatus;
};

/** Audits (alias `a`) matching the filter; or, given another query joined to them as `a`, that query narrowed to them. */
function auditsWhere<T extends object = AuditRow>(
  db: DataSource,
  filter: AuditFilter,
  q: SelectQueryBuilder<T> = db.getRepository(AuditRow).createQueryBuilder('a') as unknown as SelectQueryBuilder<T>,
): SelectQueryBuilder<T> {
  if (filter.teamId) q.andWhere('a.teamId = :teamId', { teamId: filter.teamId });
  if (filter.teamIds) q.andWhere('a.teamId IN (:...teamIds)', { teamIds: filter.teamIds });
  if (filter.programmeId) q.andWhere('a.programmeId = :programmeId', { programmeId: filter.programmeId });
  if (filter.from) q.andWhere('a.auditedOn >= :from', { from: filter.from });
  if (filter.to) q.andWhere('a.auditedOn <= :to', { to: filter.to });
  if (filter.status) q.andWhere('a.status = :status', { status: filter.status });
  return q;
}

/** Graded audits with what blind moderation needs (status, moderator) and only the grade columns ratings count. */
type GradedAuditRow = GradedAudit & Pick<AuditRow, 'teamId' | 'status' | 'moderatorId'>;
type RatingsSelection = { teamId?: string; from?: string; to?: string; programmeId?: string };

/**
 * The ratings' one statement for the filters present: the default framework's latest domain list
 * (kind 0, its JSON in the grade column), then each submitted audit (kind 1) followed by its effective
 * domain grades (kind 2, in seq order), reading only the columns counted. Ordered by the audit id,
 * which is not returned: a team's audits have tens of thousands of grade rows, and each value returned
 * is one more JavaScript value to make. Plain SQL on the table names, so inside an as-at scope it
 * reads the history views the scope's connection resolves them to.
 */
function ratingsSql(filter: RatingsSelection, postgres: boolean): { sql: string; params: string[] } {
  const params: string[] = [];
  const param = (value: string): string => (params.push(value), postgres ? `$${params.length}` : '?');
  const where = [`a."status" IN (${SUBMITTED.map((s) => `'${s}'`).join(', ')})`];
  if (filter.teamId) where.push(`a."teamId" = ${param(filter.teamId)}`);
  if (filter.programmeId) where.push(`a."programmeId" = ${param(filter.programmeId)}`);
  if (filter.from) where.push(`a."auditedOn" >= ${param(filter.from)}`);
  if (filter.to) where.push(`a."auditedOn" <= ${param(filter.to)}`);
  const audits = `FROM audits a WHERE ${where.join(' AND ')}`;
  const sql =
    `SELECT kind, "teamId", status, "moderatorId", grade, domain FROM (` +
    `SELECT * FROM (SELECT 0 AS kind, '' AS "auditId", NULL AS "teamId", NULL AS status, NULL AS "moderatorId", ` +
    `f."domains" AS grade, NULL AS domain, 0 AS seq FROM audit_frameworks f WHERE f."frameworkId" = '${DEFAULT_FRAMEWORK}' ` +
    `ORDER BY f."version" DESC LIMIT 1) framework ` +
    `UNION ALL SELECT 1, a."auditId", a."teamId", a."status", a."moderatorId", a."effectiveOverallGrade", NULL, 0 ${audits} ` +
    `UNION ALL SELECT 2, g."auditId", NULL, NULL, NULL, g."effectiveGrade", g."domain", g."seq" ` +
    `FROM audit_grades g WHERE g."auditId" IN (SELECT a."auditId" ${audits})` +
    `) graded ORDER BY "auditId", kind, seq`;
  // Both uses of the audits' conditions take the same values (numbered placeholders repeat them on PostgreSQL too).
  return { sql, params };
}

type RatingsRawRow = [
  kind: number,
  teamId: string | null,
  status: AuditStatus | null,
  moderatorId: string | null,
  grade: string | null,
  domain: string | null,
];

/** Prepared statements of a better-sqlite3 connection, by SQL: each ratings shape is prepared once per connection. */
const sqliteStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement<unknown[], RatingsRawRow>>>();

function sqliteStatement(db: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement<unknown[], RatingsRawRow> {
  let cache = sqliteStatements.get(db);
  if (!cache) sqliteStatements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare<unknown[], RatingsRawRow>(sql).raw(true)));
  return statement;
}

/** The rows of the ratings statement: a raw prepared statement on SQLite, one parameterised query on PostgreSQL. */
async function ratingsRows(db: DataSource, filter: RatingsSelection): Promise<RatingsRawRow[]> {
  // `db.manager` is the as-at scope's manager inside one (READ_DB's proxy), so its connection is the scope's.
  const connection = db.manager.connection;
  if (connection.options.type === 'postgres') {
    const { sql, params } = ratingsSql(filter, true);
    const rows = (await db.query(sql, params)) as Record<string, unknown>[];
    return rows.map((r) => [Number(r.kind), r.teamId, r.status, r.moderatorId, r.grade, r.domain] as RatingsRawRow);
  }
  const { sql, params } = ratingsSql(filter, false);
  const sqlite = (connection.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
  return sqliteStatement(sqlite, sql).all(...params, ...params);
}

/** The default framework's domain order and the graded audits the filter selects, in one statement. */
async function gradedAudits(db: DataSource, filter: RatingsSelection): Promise<{ order: string[]; audits: GradedAuditRow[] }> {
  const rows = await ratingsRows(db, filter);
  let order: string[] = [];
  const audits: GradedAuditRow[] = [];
  for (const [kind, teamId, status, moderatorId, grade, domain] of rows) {
    if (kind === 0) {
      order = (JSON.parse(grade!) as { key: string }[]).map((d) => d.key);
    } else if (kind === 1) {
      audits.push({
        teamId: teamId!,
        status: status!,
        moderatorId,
        effectiveOverallGrade: grade as OverallGrade,
        effectiveDomainGrades: {},
      });
    } else {
      // A grade row comes right after its audit's row.
      audits[audits.length - 1].effectiveDomainGrades[domain!] = grade as Grade;
    }
  }
  return { order, audits };
}

/** The projections whose rows the ratings read: audits (and their grades), and the framework's domain order. */
const RATINGS_READ = ['audits', 'audit-frameworks'] as const;

@QueryHandler(TeamRatingsQuery)
export class TeamRatingsHandler implements IQueryHandler<TeamRatingsQuery> {
  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    private readonly cache: ReadCache,
  ) {}
  execute(query: TeamRatingsQuery): Promise<TeamRatings> {
    const { teamId, filter, viewerId } = query;
    // A team view asked again and again: counted once, then given from memory until an audit or the framework changes.
    const key = JSON.stringify(['ratings', teamId, filter.from ?? null, filter.to ?? null, filter.programmeId ?? null, viewerId]);
    return this.cache.read(RATINGS_READ, key, () => this.count(query));
  }

  private async count({ teamId, filter, viewerId }: TeamRatingsQuery): Promise<TeamRatings> {
    const { order, audits: all } = await gradedAudits(this.db, { ...filter, teamId });
    const { shown, awaitingYourModeration } = leaveOutAwaitingModeration(all, viewerId);
    return {
      teamId,
      from: filter.from ?? null,
      to: filter.to ?? null,
      programmeId: filter.programmeId ?? null,
      ...rate(shown, order),
      awaitingYourModeration,
    };
  }
}

@QueryHandler(AllRatingsQuery)
export class AllRatingsHandler extends ReadModelHandler implements IQueryHandler<AllRatingsQuery> {
  async execute({ filter, viewerId }: AllRatingsQuery): Promise<AllRatings> {
    const { order, audits } = await gradedAudits(this.db, filter);
    const byTeam = new Map<string, GradedAuditRow[]>();
    for (const audit of audits) byTeam.set(audit.teamId, [...(byTeam.get(audit.teamId) ?? []), audit]);
    const echo = { from: filter.from ?? null, to: filter.to ?? null, programmeId: filter.programmeId ?? null };
    const rated = (some: GradedAuditRow[]): Ratings & AwaitingYourModeration => {
      const { shown, awaitingYourModeration } = leaveOutAwaitingModeration(some, viewerId);
      return { ...rate(shown, order), awaitingYourModeration };
    };
    const allTeams = rated(audits);
    return {
      ...echo,
      awaitingYourModeration: allTeams.awaitingYourModeration,
      teams: [...byTeam.keys()].sort().map((teamId) => ({ teamId, ...echo, ...rated(byTeam.get(teamId)!) })),
      allTeams,
    };
  }
}

function agreement(rows: AuditRow[]): AgreementFigures {
  const moderations = rows.map((r) => r.detail.moderation!).filter((m) => m.auditorOverallGrade && m.overallGrade);
  return agreementOf(
    moderations.map((m) => ({ auditorOverallGrade: m.auditorOverallGrade!, overallGrade: m.overallGrade!, agreed: m.agreed })),
  );
}

@QueryHandler(ModerationAgreementQuery)
export class ModerationAgreementHandler extends ReadModelHandler implements IQueryHandler<ModerationAgreementQuery> {
  async execute({ filter }: ModerationAgreementQuery): Promise<ModerationAgreement> {
    const rows = await auditsWhere(this.db, { ...filter, status: 'moderated' }).getMany();
    const byAuditor = new Map<string, AuditRow[]>();
    for (const row of rows) byAuditor.set(row.auditorId, [...(byAuditor.get(row.auditorId) ?? []), row]);
    return {
      from: filter.from ?? null,
      to: filter.to ?? null,
      ...agreement(rows),
      auditors: [...byAuditor.keys()].sort().map((auditorId) => ({ auditorId, ...agreement(byAuditor.get(auditorId)!) })),
    };
  }
}

@QueryHandler(ListTeamAuditActionsQuery)
export class ListTeamAuditActionsHandler extends ReadModelHandler implements IQueryHandler<ListTeamAuditActionsQuery> {
  async execute({ teamId, status, on, viewerId }: ListTeamAuditActionsQuery): Promise<AuditActionView[]> {
    // An action completed after `on` was still open on that day.
    const rows = await readRows<ShownActionRow>(this.db, teamActionsSql(status === 'completed'), [teamId, on, on]);
    // Blind moderation: an immediate review (or any action) on the list would tell the pending moderator the grade.
    const blind = viewerId === undefined ? [] : await awaitingModerationBy(this.db, viewerId, teamId);
    const hidden = new Set(blind.map((a) => a.auditId));
    return teamActionsAsOn(
      rows.filter((row) => !hidden.has(row.auditId)),
      status,
      on,
    );
  }
}

@QueryHandler(AwaitingModerationQuery)
export class AwaitingModerationHandler extends ReadModelHandler implements IQueryHandler<AwaitingModerationQuery> {
  async execute({ viewerId, teamId }: AwaitingModerationQuery): Promise<string[]> {
    return (await awaitingModerationBy(this.db, viewerId, teamId)).map((audit) => audit.auditId);
  }
}
