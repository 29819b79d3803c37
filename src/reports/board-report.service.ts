import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { dayOf, type FinancialQuarter } from '@casetrail/kernel';
import { currentAsAt } from '../core';
import { IntegrityService } from '../trail';
import { BoardReportBuilder } from './board-report.builder';
import { forAudience, type Audience, type BoardReport } from './board-report.model';
import { PeriodsService } from './periods.service';
import { DEFAULT_SUPPRESSION_THRESHOLD } from './suppression';

export interface ReportRequest {
  quarter: FinancialQuarter;
  teamId: string | null;
  audience: Audience;
  threshold?: number;
  viewerId: string;
}

/** The report as at the request's as-at scope (or now), for its audience. */
@Injectable()
export class BoardReportService {
  constructor(
    private readonly builder: BoardReportBuilder,
    private readonly periods: PeriodsService,
    private readonly integrity: IntegrityService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async report({ quarter, teamId, audience, threshold, viewerId }: ReportRequest): Promise<BoardReport> {
    const scope = currentAsAt();
    const asAt = scope?.asAt ?? new Date().toISOString();
    const position = scope?.position ?? (await this.store.headPosition());
    const today = dayOf(asAt);
    const on = today < quarter.to ? today : quarter.to;
    const period = await this.periods.view(quarter, teamId, position);
    const checkpoints = await this.integrity.checkpoints();
    const head = checkpoints.filter((c) => BigInt(c.lastPosition) <= position && c.signedAt <= asAt).at(-1);
    const built = await this.builder.build({
      quarter,
      teamId,
      asAt,
      position,
      on,
      viewerId,
      period,
      checkpoint: head
        ? { size: head.size, lastPosition: head.lastPosition, rootHash: head.rootHash, signedAt: head.signedAt }
        : null,
    });
    return forAudience(
      { ...built, audience, marking: null, suppressionThreshold: null },
      threshold ?? DEFAULT_SUPPRESSION_THRESHOLD,
    );
  }
}
