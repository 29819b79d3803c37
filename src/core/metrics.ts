/**
 * Operational metrics in Prometheus's text format, with prom-client: HTTP requests and their
 * latency by route pattern, commands and events appended, projection lag, failures and rebuild
 * progress, and prom-client's default process metrics. GET /metrics serves them
 * (metrics.http.ts; who may read them: docs/security.md).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProjectionStatus } from '@casetrail/projections';

export type CommandOutcome = 'appended' | 'replayed' | 'rejected';

export class Metrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'casetrail_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern (not the raw URL) and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly latency = new Histogram({
    name: 'casetrail_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly commands = new Counter({
    name: 'casetrail_commands_total',
    help: 'Commands handled, by command type and outcome (appended, replayed: a retry already recorded, rejected: a rule refused it).',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly events = new Counter({
    name: 'casetrail_events_appended_total',
    help: 'Events appended to the log by commands, by event type.',
    labelNames: ['event_type'] as const,
    registers: [this.registry],
  });

  private readonly projectionFailures = new Counter({
    name: 'casetrail_projection_failures_total',
    help: 'Batches a projection failed to apply on this instance (each is retried), by projection.',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  private readonly lag = new Gauge({
    name: 'casetrail_projection_lag_events',
    help: 'Events in the log that a projection has not applied yet (capped at 10,000).',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  private readonly position = new Gauge({
    name: 'casetrail_projection_position',
    help: 'Log position of the last event a projection has read.',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  private readonly failing = new Gauge({
    name: 'casetrail_projection_failing',
    help: '1 while a projection fails to apply its latest batch on this instance, else 0.',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  private readonly rebuildProgress = new Gauge({
    name: 'casetrail_projection_rebuild_progress_ratio',
    help: 'How far a projection that is behind (a rebuild, a new version) has read the log: its position over the head; 1 when caught up.',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  private readonly head = new Gauge({
    name: 'casetrail_event_store_head_position',
    help: 'Position of the newest event in the log.',
    registers: [this.registry],
  });

  private readonly leading = new Gauge({
    name: 'casetrail_projections_running',
    help: '1 when this instance runs the projections (one instance does when several share a database), else 0.',
    registers: [this.registry],
  });

  /** `process` adds prom-client's default process and Node.js metrics (the server does; the CLI has no use for them). */
  constructor(process = false) {
    if (process) collectDefaultMetrics({ register: this.registry });
  }

  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }

  command(command: string, outcome: CommandOutcome, eventTypes: readonly string[] = []): void {
    this.commands.inc({ command, outcome });
    for (const type of eventTypes) this.events.inc({ event_type: type });
  }

  projectionFailed(projection: string): void {
    this.projectionFailures.inc({ projection });
  }

  /** Sets the projection gauges from a fresh status (called just before each scrape). */
  projections(status: readonly ProjectionStatus[], head: bigint, leading: boolean): void {
    this.head.set(Number(head));
    this.leading.set(leading ? 1 : 0);
    for (const p of status) {
      const position = BigInt(p.position);
      this.lag.set({ projection: p.name }, p.lag);
      this.position.set({ projection: p.name }, Number(position));
      this.failing.set({ projection: p.name }, p.lastError === null ? 0 : 1);
      this.rebuildProgress.set(
        { projection: p.name },
        p.lag === 0 || head === 0n ? 1 : Math.min(1, Number(position) / Number(head)),
      );
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
