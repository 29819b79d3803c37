import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { listRowsHandler, READ_DB } from '../core';
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

export class ListTeamsHandler extends listRowsHandler(ListTeamsQuery, TeamRow, { name: 'ASC' }, ({ includeClosed }) =>
  includeClosed ? {} : { status: 'open' as const },
) {}

@QueryHandler(GetTeamQuery)
export class GetTeamHandler implements IQueryHandler<GetTeamQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  async execute({ teamId }: GetTeamQuery): Promise<TeamRow> {
    const team = await this.db.getRepository(TeamRow).findOneBy({ teamId });
    if (!team) throw new TeamNotFound(teamId);
    return team;
  }
}

@QueryHandler(FindTeamsQuery)
export class FindTeamsHandler implements IQueryHandler<FindTeamsQuery> {
  constructor(@Inject(READ_DB) private readonly db: DataSource) {}
  async execute({ teamIds }: FindTeamsQuery): Promise<TeamRow[]> {
    if (teamIds.length === 0) return [];
    return this.db.getRepository(TeamRow).createQueryBuilder('t').where('t.teamId IN (:...teamIds)', { teamIds }).getMany();
  }
}
