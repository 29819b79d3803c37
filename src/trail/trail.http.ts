import { Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiController } from '../core';
import { AccessLogService, type AccessEntry } from './access-log.service';
import { type VerificationReport } from './integrity.service';
import { RecordsAccess } from './records-access';
import { TrailEventView } from './trail-event';
import {
  AccessLogQueryDto,
  ChangesQueryDto,
  ConsistencyQueryDto,
  ExportQueryDto,
  StreamIdParam,
  TrailQueryDto,
} from './trail.dto';
import { type ChangesReport, type StreamHistory, type TrailPage } from './trail.service';
import { TrailUseCases, trailSubject } from './trail.use-cases';

/** What a trail query read, for the access log (also exported here, where the pages and the CLI import it). */
export { trailSubject };

/** Read-only: nothing here appends to the domain log. */
@ApiController('trail', 'api/v1/trail')
export class TrailController {
  constructor(private readonly trail: TrailUseCases) {}

  @Get()
  @RecordsAccess((request) => trailSubject(request.query as { streamId?: string; streamPrefix?: string; teamId?: string }))
  @ApiOkResponse({ type: [TrailEventView], description: '{ events, nextAfter }: events in global order.' })
  @ApiForbiddenResponse({ description: 'teamId names a team that is not yours.' })
  list(@Query() query: TrailQueryDto, @Req() request: Request): Promise<TrailPage> {
    return this.trail.list(query, request);
  }

  @Get('changes')
  @RecordsAccess((request) => trailSubject(request.query as { teamId?: string }))
  @ApiOkResponse({ description: 'Changes recorded after `from` and up to `to`, grouped by entity, in words.' })
  changes(@Query() query: ChangesQueryDto, @Req() request: Request): Promise<ChangesReport> {
    return this.trail.changes(query, request);
  }

  @Get('verify')
  @ApiOkResponse({ description: '{ checkedEvents, valid, firstInvalid?: { position, streamId, revision, problem } }' })
  verify(): Promise<VerificationReport> {
    return this.trail.verify();
  }

  @Get('checkpoint')
  @ApiOkResponse({ description: 'The latest signed tree head, with the public key to check it.' })
  @ApiNotFoundResponse({ description: 'No checkpoint has been signed yet.' })
  checkpoint(): Promise<unknown> {
    return this.trail.checkpoint();
  }

  @Get('checkpoint/consistency')
  @ApiOkResponse({ description: 'RFC 6962 consistency proof: the tree of `to` events extends the tree of `from` events.' })
  consistency(@Query() query: ConsistencyQueryDto): Promise<unknown> {
    return this.trail.consistency(query);
  }

  @Get('export')
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOkResponse({ description: 'Events in position order, then a signed manifest. Check it offline with trail:verify-export.' })
  export(@Query() query: ExportQueryDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.trail.export(query, request, response);
  }
}

@ApiController('trail', 'api/v1/streams')
export class StreamsController {
  constructor(private readonly trail: TrailUseCases) {}

  @Get(':streamId')
  @RecordsAccess((request) => request.params.streamId)
  @ApiOkResponse({ description: "One entity's whole history and its state after each event." })
  @ApiNotFoundResponse({ description: 'Nothing was recorded for this stream.' })
  history(@Param() route: StreamIdParam, @Req() request: Request): Promise<StreamHistory> {
    return this.trail.history(route, request);
  }
}

@ApiController('trail', 'api/v1/access-log')
export class AccessLogController {
  constructor(private readonly accessLog: AccessLogService) {}

  @Get()
  @ApiOkResponse({ description: '{ entries: [{ position, actorId, role, route, subject, at }], nextAfter }' })
  list(
    @Query() query: AccessLogQueryDto,
  ): Promise<{ entries: (AccessEntry & { position: string })[]; nextAfter: string | null }> {
    return this.accessLog.list(query);
  }
}
