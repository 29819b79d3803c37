import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { READ_DB, ReadCache, readRows, ReadModelHandler } from '../core';
import { TeamNotFound } from './team.decider';
import { TeamRow } from './projections/team.projection';

export class ListTeamsQuery extends Query<TeamRow[]> {
  constructor(readonly includeClosed: boolean) {
    super();
  }
}

export class GetTeamQuery extends Query<TeamRow> {
  constructor(readonly teamId: string) {
    super();
  }
}

/** Which of these team ids are registered (open or closed). Other contexts ask this. */
export class FindTeamsQuery extends Query<TeamRow[]> {
  constructor(readonly teamIds: string[]) {
    super();
  }
}

/** The columns of TeamRow in its declared order (the JSON answered keeps that order). */
const TEAM_COLUMNS = [
  'teamId',
  'name',
  'service',
  'status',
  'closedOn',
  'closedReason',
  'registeredAt',
  'registeredBy',
  'revision',
  'updatedAt',
]
  .map((c) => `"${c}"`)
  .join(', ');
const LIST_ALL = `SELECT ${TEAM_COLUMNS} FROM teams ORDER BY "name" ASC`;
const FIND_ONE = `SELECT ${TEAM_COLUMNS} FROM teams WHERE "teamId" = ?`;
const LIST_OPEN = `SELECT ${TEAM_COLUMNS} FROM teams WHERE "status" = 'open' ORDER BY "name" ASC`;
/** The projection whose rows these queries read (ReadCache keeps their answers while it has not moved). */
const READS = ['teams'] as const;

@QueryHandler(ListTeamsQuery)
export class ListTeamsHandler implements IQueryHandler<ListTeamsQuery> {
  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    private readonly cache: ReadCache,
  ) {}
  execute({ includeClosed }: ListTeamsQuery): Promise<TeamRow[]> {
    // Every GET /api/v1/teams (and the team pickers): one prepared statement, and only when a team changed.
    const sql = includeClosed ? LIST_ALL : LIST_OPEN;
    return this.cache.read(READS, `teams:list:${includeClosed}`, () => readRows<TeamRow>(this.db, sql));
  }
}

@QueryHandler(GetTeamQuery)
export class GetTeamHandler implements IQueryHandler<GetTeamQuery> {
  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    private readonly cache: ReadCache,
  ) {}
  async execute({ teamId }: GetTeamQuery): Promise<TeamRow> {
    // Asked before every team view (ratings, actions): one prepared statement, and only when a team changed.
    const [team] = await this.cache.read(READS, `teams:one:${teamId}`, () => readRows<TeamRow>(this.db, FIND_ONE, [teamId]));
    if (!team) throw new TeamNotFound(teamId);
    return team;
  }
}

@QueryHandler(FindTeamsQuery)
export class FindTeamsHandler extends ReadModelHandler implements IQueryHandler<FindTeamsQuery> {
  async execute({ teamIds }: FindTeamsQuery): Promise<TeamRow[]> {
    if (teamIds.length === 0) return [];
    // Every audit start asks for one team: a prepared statement then, not a QueryBuilder per command.
    if (teamIds.length === 1) return readRows<TeamRow>(this.db, FIND_ONE, teamIds);
    return this.db.getRepository(TeamRow).createQueryBuilder('t').where('t.teamId IN (:...teamIds)', { teamIds }).getMany();
  }
}
