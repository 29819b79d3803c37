import type { Type } from '@nestjs/common';
import { QueryHandler, type Query } from '@nestjs/cqrs';
import type { FindOptionsOrder, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { ReadModelHandler } from './read-model-handler';

/**
 * The handler of a query whose answer is every row of one read model in one order (users by name,
 * protocols by version), or the rows its `where` picks for the query (open teams only):
 * `export class ListUsersHandler extends listRowsHandler(ListUsersQuery, UserRow, { name: 'ASC' }) {}`.
 */
export function listRowsHandler<Q extends Query<R[]>, R extends ObjectLiteral>(
  query: Type<Q>,
  row: Type<R>,
  order: FindOptionsOrder<R>,
  where?: (query: Q) => FindOptionsWhere<R>,
): Type<{ execute(query: Q): Promise<R[]> }> {
  @QueryHandler(query)
  class ListRowsHandler extends ReadModelHandler {
    execute(query: Q): Promise<R[]> {
      return this.db.getRepository(row).find(where ? { where: where(query), order } : { order });
    }
  }
  return ListRowsHandler;
}
