import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { AsAtRequest } from '../core';
import { ukWhen } from './as-at-form';
import type { WebRequest } from './web-request';

/** What a printed page says it shows: when, and which event the log had reached then (the trail head). */
export interface PrintFooter {
  /** "5 December 2026 at 14:05:09 GMT": the page's "as at" time, or when it was shown. */
  when: string;
  /** True when the page is shown as at an earlier time. */
  earlier: boolean;
  /** The log's last position then ("0" before the first event). */
  position: string;
  /** That event's hash, as the trail and the integrity check show it; null before the first event. */
  hash: string | null;
}

export type PrintFooterRequest = WebRequest & AsAtRequest & { printFooter?: PrintFooter };

/**
 * For pages a signed-in person reads (GET): the print-only footer's facts. The trail head is the
 * event at the page's position: the as-at position on an earlier view, else the log's head now,
 * so a printed plan or audit names the exact point of the trail it shows.
 */
@Injectable()
export class PrintFooterMiddleware implements NestMiddleware {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async use(request: PrintFooterRequest, _response: Response, next: NextFunction): Promise<void> {
    if (request.method !== 'GET' || !request.principal || request.printFooter) return next();
    const asAt = request.asAt;
    const shownAt = asAt?.asAt ?? new Date().toISOString();
    const position = asAt?.position ?? (await this.store.headPosition());
    let hash: string | null = null;
    if (position > 0n) {
      for await (const event of this.store.readAll({
        fromPosition: position,
        direction: 'backwards',
        maxCount: 1,
        upcast: false,
      })) {
        hash = event.metadata.hash;
      }
    }
    request.printFooter = { when: ukWhen(shownAt), earlier: Boolean(asAt), position: position.toString(), hash };
    next();
  }
}
