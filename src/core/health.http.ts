import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { statfs } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { ProjectionRunner, ProjectionStatus } from '@casetrail/projections';
import { AppConfig } from '../config';
import { StoreChecks } from './store-checks';
import { PROJECTION_RUNNER, READ_DB } from './tokens';

interface Health {
  status: 'ok' | 'unavailable';
  eventStore: { status: 'up' | 'down'; headPosition?: string; error?: string };
  readDatabase: { status: 'up' | 'down'; error?: string };
  /** Free space on the disk holding DATA_DIR, against HEALTH_MIN_FREE_DISK_MB. */
  disk: { status: 'ok' | 'low' | 'unknown'; freeMegabytes?: number; minimumMegabytes: number };
  /** Whether this instance runs the projections (one instance does, when several share a database). */
  runsProjections: boolean;
  projections: ProjectionStatus[];
  /** Why the status is not ok, in plain words (empty when ok). */
  problems: string[];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly readDb: DataSource,
    @Inject(PROJECTION_RUNNER) private readonly projections: ProjectionRunner,
    private readonly checks: StoreChecks,
    private readonly config: AppConfig,
  ) {}

  /**
   * 200 when everything is sound; 503 with the reasons otherwise: the event store or the read
   * database does not answer, a projection is failing, the disk is nearly full, or the stores
   * disagree (see store-checks.ts). Lag is in events.
   */
  @Get()
  @ApiOkResponse({ description: 'Event store, read database, free disk space and each projection with its lag in events.' })
  @ApiServiceUnavailableResponse({
    description:
      'Not ok: the event store or the read database does not answer, a projection is failing, the disk is nearly full, or the stores disagree. `problems` says why.',
  })
  async health(@Res({ passthrough: true }) response: Response): Promise<Health> {
    const health: Health = {
      status: 'ok',
      eventStore: { status: 'up' },
      readDatabase: { status: 'up' },
      disk: { status: 'unknown', minimumMegabytes: this.config.HEALTH_MIN_FREE_DISK_MB },
      runsProjections: this.projections.leading,
      projections: [],
      problems: [],
    };
    try {
      health.eventStore.headPosition = (await this.store.headPosition()).toString();
    } catch (error) {
      health.eventStore = { status: 'down', error: message(error) };
      health.problems.push(`The event store does not answer: ${message(error)}`);
    }
    try {
      await this.readDb.query('SELECT 1');
    } catch (error) {
      health.readDatabase = { status: 'down', error: message(error) };
      health.problems.push(`The read database does not answer: ${message(error)}`);
    }
    try {
      const fs = await statfs(this.config.dataDir);
      const free = Math.floor((fs.bavail * fs.bsize) / (1024 * 1024));
      health.disk = { ...health.disk, status: free < this.config.HEALTH_MIN_FREE_DISK_MB ? 'low' : 'ok', freeMegabytes: free };
      if (health.disk.status === 'low') {
        health.problems.push(
          `The disk holding DATA_DIR has ${free} MB free, less than the ${this.config.HEALTH_MIN_FREE_DISK_MB} MB ` +
            'required (HEALTH_MIN_FREE_DISK_MB): free some space before writes start failing.',
        );
      }
    } catch {
      // No such folder (a store entirely in PostgreSQL may have no DATA_DIR yet): nothing to measure.
    }
    if (health.eventStore.status === 'up' && health.readDatabase.status === 'up') {
      health.projections = await this.projections.status();
      for (const p of health.projections) {
        if (p.lastError !== null) health.problems.push(`Projection ${p.name} is failing: ${p.lastError}`);
      }
      try {
        for (const p of await this.checks.problems()) health.problems.push(p.message);
      } catch (error) {
        health.problems.push(`The stores could not be checked: ${message(error)}`);
      }
    }
    if (health.problems.length) {
      health.status = 'unavailable';
      response.status(503);
    }
    return health;
  }
}
