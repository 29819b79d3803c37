import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../shared';
import { ApiSignedIn } from '../core';
import { AccessLogService, type AccessEntry } from './access-log.service';
import { ExportService } from './export.service';
import { IntegrityService, type VerificationReport } from './integrity.service';
import { RecordsAccess, requestedRoute } from './records-access';
import { TrailEventView } from './trail-event';
import {
  AccessLogQueryDto,
  ChangesQueryDto,
  ConsistencyQueryDto,
  ExportQueryDto,
  StreamIdParam,
  TrailQueryDto,
} from './trail.dto';
import { TrailService, type ChangesReport, type StreamHistory, type TrailPage } from './trail.service';

type SignedInRequest = Request & { principal: Principal };

/** What a trail query read, for the access log: the entity, the prefix, the team, or everything. */
export const trailSubject = (q: { streamId?: string; streamPrefix?: string; teamId?: string }): string =>
  q.streamId ?? (q.streamPrefix ? `${q.streamPrefix}*` : q.teamId ? `team:${q.teamId}` : 'trail:all');

const principalOf = (request: Request): Principal => (request as SignedInRequest).principal;

/** Read-only: nothing here appends to the domain log. */
@ApiTags('trail')
@ApiSignedIn()
@Controller('api/v1/trail')
export class TrailController {
  constructor(
    private readonly trail: TrailService,
    private readonly integrity: IntegrityService,
    private readonly exports: ExportService,
    private readonly accessLog: AccessLogService,
  ) {}

  @Get()
  @RecordsAccess((request) => trailSubject(request.query as { streamId?: string; streamPrefix?: string; teamId?: string }))
  @ApiOkResponse({ type: [TrailEventView], description: '{ events, nextAfter }: events in global order.' })
  @ApiForbiddenResponse({ description: 'teamId names a team that is not yours.' })
  list(@Query() query: TrailQueryDto, @Req() request: Request): Promise<TrailPage> {
    return this.trail.page(query, principalOf(request));
  }

  @Get('changes')
  @RecordsAccess((request) => trailSubject(request.query as { teamId?: string }))
  @ApiOkResponse({ description: 'Changes recorded after `from` and up to `to`, grouped by entity, in words.' })
  changes(@Query() query: ChangesQueryDto, @Req() request: Request): Promise<ChangesReport> {
    return this.trail.changes(query, principalOf(request));
  }

  @Get('verify')
  @ApiOkResponse({ description: '{ checkedEvents, valid, firstInvalid?: { position, streamId, revision, problem } }' })
  verify(): Promise<VerificationReport> {
    return this.integrity.verify();
  }

  @Get('checkpoint')
  @ApiOkResponse({ description: 'The latest signed tree head, with the public key to check it.' })
  @ApiNotFoundResponse({ description: 'No checkpoint has been signed yet.' })
  async checkpoint(): Promise<unknown> {
    const head = await this.integrity.latestCheckpoint();
    return { ...head, publicKey: this.integrity.publicKeyPem() };
  }

  @Get('checkpoint/consistency')
  @ApiOkResponse({ description: 'RFC 6962 consistency proof: the tree of `to` events extends the tree of `from` events.' })
  consistency(@Query() query: ConsistencyQueryDto): Promise<unknown> {
    return this.integrity.consistency(query.from, query.to);
  }

  @Get('export')
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOkResponse({ description: 'Events in position order, then a signed manifest. Check it offline with trail:verify-export.' })
  async export(@Query() query: ExportQueryDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    const format = query.format ?? 'ndjson';
    await this.accessLog.record(principalOf(request), requestedRoute(request), [trailSubject(query)]);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    response.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="casetrail-trail-${stamp}.${format}"`);
    // Readable.from pulls the next chunk only when the socket has drained: constant memory.
    await pipeline(
      Readable.from(this.exports.chunks({ format, from: query.from, to: query.to, teamId: query.teamId })),
      response,
    ).catch((error: unknown) => {
      // Headers are gone once streaming started; a cut-short export has no manifest and fails verification.
      if (!response.headersSent) throw error;
      response.destroy(error as Error);
    });
  }
}

@ApiTags('trail')
@ApiSignedIn()
@Controller('api/v1/streams')
export class StreamsController {
  constructor(private readonly trail: TrailService) {}

  @Get(':streamId')
  @RecordsAccess((request) => request.params.streamId)
  @ApiOkResponse({ description: "One entity's whole history and its state after each event." })
  @ApiNotFoundResponse({ description: 'Nothing was recorded for this stream.' })
  history(@Param() { streamId }: StreamIdParam, @Req() request: Request): Promise<StreamHistory> {
    return this.trail.history(streamId, principalOf(request));
  }
}

@ApiTags('trail')
@ApiSignedIn()
@Controller('api/v1/access-log')
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
