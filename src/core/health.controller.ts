import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { ProjectionRunner, ProjectionStatus } from '@casetrail/projections';
import { PROJECTION_RUNNER, READ_DB } from './tokens';

interface Health {
  status: 'ok' | 'unavailable';
  eventStore: { status: 'up' | 'down'; headPosition?: string; error?: string };
  readDatabase: { status: 'up' | 'down'; error?: string };
  /** Whether this instance runs the projections (one instance does, when several share a database). */
  runsProjections: boolean;
  projections: ProjectionStatus[];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly readDb: DataSource,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
  ) {}

  /** 200 when the event store and read database answer; 503 otherwise. Lag is in events. */
  @Get()
  @ApiOkResponse({ description: 'Event store, read database and each projection with its lag in events.' })
  @ApiServiceUnavailableResponse({ description: 'The event store or the read database does not answer.' })
  async health(@Res({ passthrough: true }) response: Response): Promise<Health> {
    const health: Health = {
      status: 'ok',
      eventStore: { status: 'up' },
      readDatabase: { status: 'up' },
      runsProjections: this.projections.leading,
      projections: [],
    };
    try {
      health.eventStore.headPosition = (await this.store.headPosition()).toString();
    } catch (error) {
      health.eventStore = { status: 'down', error: message(error) };
    }
    try {
      await this.readDb.query('SELECT 1');
    } catch (error) {
      health.readDatabase = { status: 'down', error: message(error) };
    }
    if (health.eventStore.status === 'up' && health.readDatabase.status === 'up') {
      health.projections = await this.projections.status();
    } else {
      health.status = 'unavailable';
      response.status(503);
    }
    return health;
  }
}
