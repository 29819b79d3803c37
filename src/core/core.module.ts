import {
  Global,
  Injectable,
  Inject,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  RequestMethod,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { PostgresAdvisoryLease, SoleInstanceLease, type ProjectionRunner } from '@casetrail/projections';
import { AppConfig } from '../config';
import { DecideCommandHandler } from './decide.command';
import { HealthController } from './health.http';
import { Metrics } from './metrics';
import { MetricsController, MetricsTokenMiddleware } from './metrics.http';
import { createProjectionRunner, openReadDb } from './infrastructure';
import { Platform, type PlatformOptions } from './platform';
import { AsAtReader, RequestInterceptor } from './as-at-reader';
import { asAtAware, outsideAsAt } from './as-at-scope';
import { AsAtMiddleware } from './as-at.middleware';
import { ConsistencyMiddleware } from './consistency.middleware';
import { RateLimiter } from './rate-limit';
import { ReadCache } from './read-cache';
import { RequestLogMiddleware } from './request-log.middleware';
import { StoreChecks, type StoreCheck } from './store-checks';
import { ServerPresence } from './server-presence';
import { APP_MODE, PROJECTION_RUNNER, READ_DB, READ_DB_WRITER, SERVER_PRESENCE, STORE_CHECKS, type AppMode } from './tokens';

/** Starts the projection runner with the server, and closes every connection on shutdown. */
@Injectable()
class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(APP_MODE) private readonly mode: AppMode,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(READ_DB_WRITER) private readonly writer: DataSource,
    @Inject(READ_DB) private readonly reader: DataSource,
    private readonly checks: StoreChecks,
    @Inject(SERVER_PRESENCE) private readonly presence: ServerPresence | null,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.mode !== 'server') return;
    // Refuses stores that disagree (see store-checks.ts) before anything is served or projected.
    await this.checks.refuseIfInconsistent();
    // Several instances may share a PostgreSQL read database: only the lease holder projects.
    const lease = this.writer.options.type === 'postgres' ? new PostgresAdvisoryLease(this.writer) : new SoleInstanceLease();
    await this.runner.runWhileLeading(lease);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    for (const db of new Set([this.reader, this.writer])) if (db.isInitialized) await db.destroy();
    await this.store.close();
    this.presence?.release();
  }
}

/**
 * The composition root's shared infrastructure: config, event store, read models, projections, commands.
 * It knows the contexts only through what they register (`platform.contexts`: projections, upcasters,
 * store checks), handed over by the composition root (src/app.module.ts).
 */
@Global()
@Module({})
export class CoreModule implements NestModule {
  static forRoot(config: AppConfig, mode: AppMode, options: PlatformOptions): DynamicModule {
    const platform = new Platform(options);
    // One registry per application (tests start several in one process); process metrics on the server only.
    const metrics = new Metrics(mode === 'server');
    return {
      module: CoreModule,
      imports: [CqrsModule.forRoot()],
      controllers: mode === 'server' ? [HealthController, MetricsController] : [],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: APP_MODE, useValue: mode },
        { provide: Platform, useValue: platform },
        { provide: Metrics, useValue: metrics },
        // Counted by AuthGuard (every route) and the sign-in page (failed sign-ins): see rate-limit.ts.
        { provide: RateLimiter, useValue: new RateLimiter(config.RATE_LIMIT_PER_MINUTE) },
        { provide: EVENT_STORE, useFactory: () => platform.openEventStore(config) },
        // A server marks DATA_DIR as in use, so `restore` refuses to run under it (src/core/server-presence.ts).
        {
          provide: SERVER_PRESENCE,
          useFactory: () => (mode === 'server' && config.EVENT_STORE === 'sqlite' ? ServerPresence.hold(config.dataDir) : null),
        },
        { provide: READ_DB_WRITER, useFactory: () => openReadDb(config, platform, 'writer', mode) },
        {
          provide: PROJECTION_RUNNER,
          inject: [EVENT_STORE, READ_DB_WRITER],
          // Tables exist before anything can query. The CLI also resets stale projections here;
          // a server leaves that to whichever instance holds the projection lease.
          useFactory: async (store: EventStore, writer: DataSource) => {
            const runner = createProjectionRunner(platform, store, writer, (name) => metrics.projectionFailed(name));
            await (mode === 'server' ? runner.ensureSchema() : runner.prepare());
            return runner;
          },
        },
        {
          provide: READ_DB,
          inject: [READ_DB_WRITER, PROJECTION_RUNNER],
          // asAtAware: inside an as-at request (?asAt=) the same queries read the history views.
          useFactory: async (writer: DataSource) =>
            asAtAware(config.READ_DB_URL ? writer : await openReadDb(config, platform, 'reader')),
        },
        AsAtReader,
        // Answers of the hot GET queries, kept while the projections they read have not moved (read-cache.ts).
        ReadCache,
        // The one global interceptor: as-at scope and the access log (TrailModule's ROUTE_ACCESS_RECORDER).
        { provide: APP_INTERCEPTOR, useClass: RequestInterceptor },
        DecideCommandHandler,
        ...platform.storeChecks,
        { provide: STORE_CHECKS, inject: platform.storeChecks, useFactory: (...checks: StoreCheck[]) => checks },
        StoreChecks,
        Lifecycle,
      ],
      exports: [
        Platform,
        Metrics,
        AppConfig,
        APP_MODE,
        EVENT_STORE,
        READ_DB,
        READ_DB_WRITER,
        PROJECTION_RUNNER,
        RateLimiter,
        ReadCache,
        StoreChecks,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        (_request: unknown, _response: unknown, next: () => void) => outsideAsAt(next),
        RequestLogMiddleware,
        ConsistencyMiddleware,
        AsAtMiddleware,
      )
      .forRoutes('*');
    consumer.apply(MetricsTokenMiddleware).forRoutes({ path: 'metrics', method: RequestMethod.GET });
  }
}
