import { Controller, Get, Header, Inject, Injectable, Res, type NestMiddleware } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual, createHash } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { ProjectionRunner } from '@casetrail/projections';
import type { Principal } from '../shared';
import { AppConfig } from '../config';
import { Metrics } from './metrics';
import { PROJECTION_RUNNER } from './tokens';

/** Who reads /metrics with the scrape token: on this route only, nowhere else. */
export const METRICS_SCRAPER: Principal = {
  userId: 'metrics-scraper',
  name: 'Metrics scraper (METRICS_TOKEN)',
  role: 'admin',
  teamIds: [],
  tokenId: 'metrics-token',
};

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * On GET /metrics only: `Authorization: Bearer <METRICS_TOKEN>` signs the request in as the metrics
 * scraper, so Prometheus needs no personal access token. The policy's rule for the route
 * (admin) then applies as for anyone; any other token goes through AuthGuard as usual.
 */
@Injectable()
export class MetricsTokenMiddleware implements NestMiddleware {
  private readonly expected: Buffer | null;

  constructor(config: AppConfig) {
    this.expected = config.METRICS_TOKEN ? digest(config.METRICS_TOKEN) : null;
  }

  use(request: Request & { principal?: Principal }, _response: Response, next: NextFunction): void {
    const presented = /^Bearer (\S+)$/.exec(request.header('authorization') ?? '')?.[1];
    if (this.expected && presented !== undefined && timingSafeEqual(digest(presented), this.expected)) {
      request.principal = METRICS_SCRAPER;
    }
    next();
  }
}

@ApiTags('health')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
  ) {}

  /** Prometheus text format. An administrator's token, or the scrape token METRICS_TOKEN. */
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Requests, commands, projection lag and failures, rebuild progress, process metrics.' })
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    const head = await this.store.headPosition();
    this.metrics.projections(await this.projections.status(), head, this.projections.leading);
    response.setHeader('Content-Type', this.metrics.contentType);
    return this.metrics.text();
  }
}
