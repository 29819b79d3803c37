import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { dayOf, type LocalDate } from '@casetrail/kernel';

/**
 * The as-at scope of a request: while it is active, READ_DB reads the read models as they
 * stood once every event up to `position` was applied (knowledge time `asAt`).
 *
 * Query handlers do not know about it: they keep calling `this.db.getRepository(...)` on
 * the injected READ_DB, and `asAtAware` routes those calls to `manager`, a connection whose
 * table names resolve to views of the row-version history at `position`
 * (libs/projections/src/row-history.ts; the connection is opened by AsAtReader).
 */
export interface AsAtScope {
  /** The last position recorded at or before `asAt`. */
  position: bigint;
  /** The knowledge instant, ISO 8601 UTC. */
  asAt: string;
  /** A manager whose table names resolve to the as-at views. */
  manager: EntityManager;
}

const storage = new AsyncLocalStorage<AsAtScope>();

/** Runs `work` (and everything it awaits) inside the scope. */
export const runAsAt = <T>(scope: AsAtScope, work: () => T): T => storage.run(scope, work);

/**
 * Runs `work` with no as-at scope. Every request starts here (CoreModule's first middleware):
 * a pooled connection or socket created inside an earlier request's scope may call back in
 * that scope's async context, and a new request must never inherit it.
 */
export const outsideAsAt = <T>(work: () => T): T => storage.exit(work);

/** The active as-at scope, if any. */
export const currentAsAt = (): AsAtScope | undefined => storage.getStore();

/**
 * The default business day (`on`) of time-dependent views: the day of `asAt` inside an as-at
 * request (what "today" was then), today otherwise.
 */
export const businessToday = (): LocalDate => dayOf(storage.getStore()?.asAt ?? new Date());

/** DataSource members that reach the database: inside a scope, they go to the scope's manager. */
const SCOPED = new Set<string | symbol>([
  'manager',
  'getRepository',
  'getTreeRepository',
  'query',
  'createQueryBuilder',
  'transaction',
]);

/**
 * READ_DB as injected into query handlers: the real DataSource, except that inside an as-at
 * scope `manager`, `getRepository`, `query`, `createQueryBuilder` and `transaction` use the
 * scope's manager (same signatures on EntityManager). Everything else (metadata, options,
 * lifecycle) is the real DataSource's.
 */
export function asAtAware(db: DataSource): DataSource {
  return new Proxy(db, {
    get(target, property) {
      const scope = storage.getStore();
      // A scope whose connection has been released is over: never route to it.
      if (scope && SCOPED.has(property) && !scope.manager.queryRunner?.isReleased) {
        if (property === 'manager') return scope.manager;
        const method = Reflect.get(scope.manager, property) as (...args: unknown[]) => unknown;
        return method.bind(scope.manager);
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
