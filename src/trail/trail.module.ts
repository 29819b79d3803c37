import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@casetrail/event-store';
import { AppConfig } from '../config';
import { ROUTE_ACCESS_RECORDER } from '../core';
import { AccessLogService } from './access-log.service';
import { ExportService } from './export.service';
import { IntegrityService } from './integrity.service';
import { AccessLogRecorder } from './records-access';
import { openTrailSideStore, TRAIL_SIDE_STORE } from './side-store';
import { TrailSigner } from './signing-key';
import { TeamScope } from './team-scope';
import { AccessLogController, StreamsController, TrailController } from './trail.http';
import { TrailReading } from './trail-reading';
import { TrailService } from './trail.service';
import { TrailUseCases } from './trail.use-cases';

@Injectable()
class SideStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(TRAIL_SIDE_STORE) private readonly side: EventStore) {}
  onApplicationShutdown(): Promise<void> {
    return this.side.close();
  }
}

/**
 * The inspector trail: trail queries, stream histories, changes in words, verification,
 * signed checkpoints, verifiable exports and the access log. Global so that any context can
 * inject AccessLogService; its AccessLogRecorder (ROUTE_ACCESS_RECORDER, used by core's one global
 * interceptor) records every @RecordsAccess route and every case-level read.
 */
@Global()
@Module({
  controllers: [TrailController, StreamsController, AccessLogController],
  providers: [
    { provide: TRAIL_SIDE_STORE, inject: [AppConfig], useFactory: (config: AppConfig) => openTrailSideStore(config) },
    SideStoreCloser,
    TrailSigner,
    TeamScope,
    TrailReading,
    TrailService,
    TrailUseCases,
    IntegrityService,
    ExportService,
    AccessLogService,
    // The access log's part of core's one global interceptor (RequestInterceptor).
    { provide: ROUTE_ACCESS_RECORDER, useClass: AccessLogRecorder },
  ],
  exports: [AccessLogService, IntegrityService, ExportService, TrailUseCases, ROUTE_ACCESS_RECORDER],
})
export class TrailModule {}
