import { Inject, type Type } from '@nestjs/common';
import { QueryHandler, type Query } from '@nestjs/cqrs';
import type { DataSource, FindOptionsOrder, ObjectLiteral } from 'typeorm';
import { READ_DB } from './tokens';

/**
 * The handler of a query whose answer is every row of one read model in one order (users by name,
 * protocols by version): `export class ListUsersHandler extends listRowsHandler(ListUsersQuery, UserRow, { name: 'ASC' }) {}`.
 */
export function listRowsHandler<Q extends Query<R[]>, R extends ObjectLiteral>(
  query: Type<Q>,
  row: Type<R>,
  order: FindOptionsOrder<R>,
): Type<{ execute(): Promise<R[]> }> {
  @QueryHandler(query)
  class ListRowsHandler {
    constructor(@Inject(READ_DB) private readonly db: DataSource) {}
    execute(): Promise<R[]> {
      return this.db.getRepository(row).find({ order });
    }
  }
  return ListRowsHandler;
}
