import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { READ_DB } from './tokens';

/**
 * The base of a query handler that reads the read models through `this.db` (inside an as-at
 * scope, the history views): `export class GetActionHandler extends ReadModelHandler implements
 * IQueryHandler<GetActionQuery> { execute(…) {…} }`. Nest injects the subclass through this constructor.
 */
export abstract class ReadModelHandler {
  constructor(@Inject(READ_DB) protected readonly db: DataSource) {}
}

/** The same, for a handler that also asks other queries (the working-day calendar, teams) through `this.queries`. */
export abstract class ReadModelAndQueriesHandler {
  constructor(
    @Inject(READ_DB) protected readonly db: DataSource,
    protected readonly queries: QueryBus,
  ) {}
}
