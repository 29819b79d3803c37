import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { In, LessThanOrEqual, type DataSource, type FindOptionsWhere } from 'typeorm';
import type { LocalDate, WorkingDayCalendar } from '@casetrail/kernel';
import { CurrentCalendarQuery } from '../calendar';
import type { VisibleRecords } from '../auth';
import { listRowsHandler, pick, ReadModelAndQueriesHandler, ReadModelHandler } from '../core';
import { disputeClock, statusOn, type DisputeClock, type StageClock } from './dispute-clock';
import { disputeStats, type DisputeStats } from './dispute-stats';
import { DisputeNotFound } from './dispute.decider';
import { DisputeProtocolRow } from './projections/dispute-protocol.projection';
import { DisputeProtocolSnapshotRow, DisputeRow } from './projections/dispute.projection';
import { GoodPracticeAlertRow } from './projections/good-practice-alert.projection';

/** The facts a DR was raised with, documented as DisputeRow documents its columns. */
const DR_FACTS = ['disputeId', 'childRef', 'teamId', 'category', 'summary', 'desiredOutcome', 'raisedBy', 'raisedOn'] as const;

/** A DR as at day `on`: the recorded facts with the clock's answers. */
export class DisputeView extends PickType(DisputeRow, DR_FACTS) {
  @ApiProperty() protocolVersion!: number;
  @ApiProperty() formalTargetWorkingDays!: number;
  @ApiProperty({ description: 'The day the answers are for.' }) on!: string;
  @ApiProperty({ enum: ['open', 'resolved', 'not-raised'], description: 'Status on `on`.' }) status!: DisputeClock['status'];
  @ApiProperty({ description: 'Current stage on `on`.' }) stage!: string;
  @ApiProperty({ description: 'Due date of the current stage.' }) dueOn!: string;
  @ApiProperty({ description: 'The current stage is past its due date with no response (on `on`).' }) overdue!: boolean;
  @ApiProperty() workingDaysOverdue!: number;
  @ApiProperty() formal!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) becameFormalOn!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) formalTargetOn!: string | null;
  @ApiProperty({ description: 'Formal, unresolved, and past its target date on `on`.' }) overTarget!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) resolvedOn!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) outcome!: string | null;
  @ApiPropertyOptional({ type: Boolean, nullable: true }) resolvedWithinTarget!: boolean | null;
  @ApiProperty({ type: [Object], description: 'Every stage entered: dates, due date, response, whether it was overdue.' })
  stages!: StageClock[];
  @ApiProperty({ type: [Object], description: 'Resolutions and reopenings in the order recorded.' })
  statusChanges!: DisputeRow['statusChanges'];
  @ApiPropertyOptional({ type: Object, nullable: true }) cafcassReferral!: DisputeRow['cafcassReferral'];
  @ApiProperty() revision!: string;
  @ApiProperty() updatedAt!: string;
}

/** The DR's own facts a line of a DR list shows, documented as in DisputeView. */
const SUMMARY_FACTS = ['disputeId', 'childRef', 'teamId', 'category', 'raisedOn'] as const;

/** One line of a DR list: the DR's own facts and its clock's answers. */
export class DisputeSummaryView extends PickType(DisputeView, SUMMARY_FACTS) {
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: 'open' | 'resolved';
  @ApiProperty() stage!: string;
  @ApiProperty() dueOn!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty() workingDaysOverdue!: number;
  @ApiProperty() formal!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) formalTargetOn!: string | null;
  @ApiProperty() overTarget!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) cafcassReferredOn!: string | null;
}

/** Protocol snapshots by key: immutable (named by the hash of their content), so kept once read. */
const snapshots = new Map<string, DisputeRow['protocol']>();

/** Fills each row's `protocol` from its snapshot (one query for the keys not read before). */
async function withProtocols<R extends DisputeRow>(db: DataSource, rows: R[]): Promise<R[]> {
  const missing = [...new Set(rows.map((r) => r.protocolKey))].filter((k) => !snapshots.has(k));
  if (missing.length) {
    for (const s of await db.getRepository(DisputeProtocolSnapshotRow).findBy({ protocolKey: In(missing) }))
      snapshots.set(s.protocolKey, s.protocol);
  }
  for (const row of rows) {
    const protocol = snapshots.get(row.protocolKey);
    if (!protocol) throw new Error(`Dispute ${row.disputeId}: no protocol snapshot ${row.protocolKey}`);
    row.protocol = protocol;
  }
  return rows;
}

export function toDisputeView(row: DisputeRow, on: LocalDate, calendar?: WorkingDayCalendar): DisputeView {
  const clock = disputeClock(row, on, calendar);
  const { protocol, stages: _facts, status: _current, stage: _stage, ...facts } = row;
  return {
    ...facts,
    protocolVersion: protocol.version,
    formalTargetWorkingDays: protocol.formalTargetWorkingDays,
    ...clock,
  };
}

function toSummary(row: DisputeRow, clock: DisputeClock): DisputeSummaryView {
  return {
    ...pick(row, SUMMARY_FACTS),
    status: clock.status as 'open' | 'resolved',
    ...pick(clock, ['stage', 'dueOn', 'overdue', 'workingDaysOverdue', 'formal', 'formalTargetOn', 'overTarget']),
    cafcassReferredOn: row.cafcassReferral && row.cafcassReferral.referredOn <= clock.on ? row.cafcassReferral.referredOn : null,
  };
}

/** `visible` null = everything; otherwise the records of these teams, or raised by `ownerId` (from the access policy). */
export class GetDisputeQuery extends Query<DisputeView> {
  constructor(
    readonly disputeId: string,
    readonly on: LocalDate,
    readonly visible: VisibleRecords | string[] | null,
  ) {
    super();
  }
}

export class ListDisputesQuery extends Query<DisputeSummaryView[]> {
  constructor(
    readonly filter: { teamId?: string; status?: 'open' | 'resolved'; overdue?: boolean; on: LocalDate },
    readonly visible: VisibleRecords | string[] | null,
  ) {
    super();
  }
}

export class DisputeStatsQuery extends Query<DisputeStats> {
  constructor(
    readonly from: LocalDate,
    readonly to: LocalDate,
    readonly teamId: string | undefined,
    readonly visible: VisibleRecords | string[] | null,
  ) {
    super();
  }
}

export class ListDisputeProtocolsQuery extends Query<DisputeProtocolRow[]> {}

export class ListGoodPracticeAlertsQuery extends Query<GoodPracticeAlertRow[]> {
  constructor(
    readonly teamId: string | undefined,
    readonly visible: VisibleRecords | string[] | null,
  ) {
    super();
  }
}

/** Team filter combined with what the caller may see (any of the returned conditions); [] when nothing can match. */
/** A plain list of team ids (as the pages pass it) means those teams only. */
const normalised = (visible: VisibleRecords | string[] | null): VisibleRecords | null =>
  Array.isArray(visible) ? { teamIds: visible } : visible;

function teamScope(
  teamId: string | undefined,
  given: VisibleRecords | string[] | null,
): { teamId?: ReturnType<typeof In<string>> | string; raisedBy?: string }[] {
  const team = teamId ? { teamId } : {};
  const visible = normalised(given);
  if (!visible) return [team];
  const ofTeams = teamId ? (visible.teamIds.includes(teamId) ? [team] : []) : [{ teamId: In(visible.teamIds) }];
  return [...ofTeams, ...(visible.ownerId ? [{ ...team, raisedBy: visible.ownerId }] : [])];
}

function mayView(row: { teamId: string; raisedBy: string }, given: VisibleRecords | string[] | null): boolean {
  const visible = normalised(given);
  return !visible || visible.teamIds.includes(row.teamId) || row.raisedBy === visible.ownerId;
}

@QueryHandler(GetDisputeQuery)
export class GetDisputeHandler extends ReadModelAndQueriesHandler implements IQueryHandler<GetDisputeQuery> {
  async execute({ disputeId, on, visible }: GetDisputeQuery): Promise<DisputeView> {
    const row = await this.db.getRepository(DisputeRow).findOneBy({ disputeId });
    // Another team's DR is answered exactly like a missing one: its existence is not disclosed.
    if (!row || !mayView(row, visible)) throw new DisputeNotFound(disputeId);
    await withProtocols(this.db, [row]);
    return toDisputeView(row, on, await this.queries.execute(new CurrentCalendarQuery()));
  }
}

@QueryHandler(ListDisputesQuery)
export class ListDisputesHandler extends ReadModelAndQueriesHandler implements IQueryHandler<ListDisputesQuery> {
  async execute({ filter, visible }: ListDisputesQuery): Promise<DisputeSummaryView[]> {
    const scope = teamScope(filter.teamId, visible);
    if (!scope.length) return [];
    const calendar = await this.queries.execute(new CurrentCalendarQuery());
    const where: FindOptionsWhere<DisputeRow>[] = scope.map((s) => ({ ...s, raisedOn: LessThanOrEqual(filter.on) }));
    const found = await this.db.getRepository(DisputeRow).find({ where, order: { raisedOn: 'ASC', disputeId: 'ASC' } });
    // Status and overdue are answered for the day `on`: the status before the clock runs (most of a
    // team's DRs are resolved, and only the shown ones need their due dates), overdue after it.
    const rows = await withProtocols(
      this.db,
      filter.status ? found.filter((row) => statusOn(row, filter.on) === filter.status) : found,
    );
    return rows
      .map((row) => toSummary(row, disputeClock(row, filter.on, calendar)))
      .filter((d) => (filter.overdue === undefined ? true : d.overdue === filter.overdue));
  }
}

@QueryHandler(DisputeStatsQuery)
export class DisputeStatsHandler extends ReadModelAndQueriesHandler implements IQueryHandler<DisputeStatsQuery> {
  async execute({ from, to, teamId, visible }: DisputeStatsQuery): Promise<DisputeStats> {
    const calendar = await this.queries.execute(new CurrentCalendarQuery());
    const scope = teamScope(teamId, visible);
    if (!scope.length) return disputeStats([], [], from, to, calendar);
    const until = scope.map((s) => ({ ...s, raisedOn: LessThanOrEqual(to) }));
    const disputes = await withProtocols(this.db, await this.db.getRepository(DisputeRow).findBy(until));
    const alerts = await this.db.getRepository(GoodPracticeAlertRow).find({ where: until, select: ['raisedOn'] });
    return disputeStats(
      disputes,
      alerts.map((a) => a.raisedOn),
      from,
      to,
      calendar,
    );
  }
}

export class ListDisputeProtocolsHandler extends listRowsHandler(ListDisputeProtocolsQuery, DisputeProtocolRow, {
  version: 'ASC',
}) {}

@QueryHandler(ListGoodPracticeAlertsQuery)
export class ListGoodPracticeAlertsHandler extends ReadModelHandler implements IQueryHandler<ListGoodPracticeAlertsQuery> {
  async execute({ teamId, visible }: ListGoodPracticeAlertsQuery): Promise<GoodPracticeAlertRow[]> {
    const scope = teamScope(teamId, visible);
    if (!scope.length) return [];
    return this.db.getRepository(GoodPracticeAlertRow).find({ where: scope, order: { raisedOn: 'ASC', alertId: 'ASC' } });
  }
}
