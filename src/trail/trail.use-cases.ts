import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../shared';
import type { SignedInRequest } from '../auth';
import { AccessLogService } from './access-log.service';
import { ExportService } from './export.service';
import { IntegrityService, type VerificationReport } from './integrity.service';
import { requestedRoute } from './records-access';
import type { ChangesQueryDto, ConsistencyQueryDto, ExportQueryDto, StreamIdParam, TrailQueryDto } from './trail.dto';
import { TrailService, type ChangesReport, type StreamHistory, type TrailPage } from './trail.service';

/** What a trail query read, for the access log: the entity, the prefix, the team, or everything. */
export const trailSubject = (q: { streamId?: string; streamPrefix?: string; teamId?: string }): string =>
  q.streamId ?? (q.streamPrefix ? `${q.streamPrefix}*` : q.teamId ? `team:${q.teamId}` : 'trail:all');

const principalOf = (request: Request): Principal => (request as SignedInRequest).principal;

/** The inspector trail, read-only: nothing here appends to the domain log (reads of records are access-logged). */
@Injectable()
export class TrailUseCases {
  constructor(
    private readonly trail: TrailService,
    private readonly integrity: IntegrityService,
    private readonly exports: ExportService,
    private readonly accessLog: AccessLogService,
  ) {}

  list(query: TrailQueryDto, request: Request): Promise<TrailPage> {
    return this.trail.page(query, principalOf(request));
  }

  changes(query: ChangesQueryDto, request: Request): Promise<ChangesReport> {
    return this.trail.changes(query, principalOf(request));
  }

  /** One entity's whole history and its state after each event. */
  history({ streamId }: StreamIdParam, request: Request): Promise<StreamHistory> {
    return this.trail.history(streamId, principalOf(request));
  }

  verify(): Promise<VerificationReport> {
    return this.integrity.verify();
  }

  /** The latest signed tree head, with the public key to check it. */
  async checkpoint(): Promise<unknown> {
    const head = await this.integrity.latestCheckpoint();
    return { ...head, publicKey: this.integrity.publicKeyPem() };
  }

  consistency(query: ConsistencyQueryDto): Promise<unknown> {
    return this.integrity.consistency(query.from, query.to);
  }

  /** Events in position order, then a signed manifest, streamed into the response (access-logged first). */
  async export(query: ExportQueryDto, request: Request, response: Response): Promise<void> {
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
