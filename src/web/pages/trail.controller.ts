import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createPublicKey } from 'node:crypto';
import { API_POLICY } from '../../auth';
import type { Principal, Role } from '../../shared';
import {
  AccessLogService,
  entityLabel,
  fieldWords,
  IntegrityService,
  type VerificationReport,
  requestedRoute,
  keyIdOf,
  type SignedTreeHead,
  STREAM_DECIDERS,
  readsEverything,
  type TrailEventView,
  trailSubject,
  AccessLogQueryDto,
  ExportQueryDto,
  StreamIdParam,
  TrailQueryDto,
  NoCheckpointYet,
} from '../../trail';
import { ListUsersQuery } from '../../users';
import { ApiControllers } from '../api-controllers';
import { filterInstant, filterLocal, ukWhen } from '../as-at-form';
import { csv, sendCsv } from '../csv';
import { filled, noProblems, problemsFrom, validated, type FormProblems } from '../forms';
import type { SignedIn } from '../page-helpers';
import { words } from '../views';
import { WebErrorFilter } from '../web-errors.filter';
import { WebViews } from '../web-views';

/** Events on one trail page, unless the address asks for another number (1-1000, the API's limit). */
const PAGE_SIZE = 50;
/** A CSV of a filtered list holds at most this many rows; the export has no such limit. */
const CSV_MAX_ROWS = 5_000;
const TRAIL_FILTERS = ['streamPrefix', 'type', 'teamId', 'actorId', 'from', 'to', 'order', 'limit'] as const;
const TRAIL_LABELS = {
  streamPrefix: 'Kind of record',
  type: 'Event type',
  teamId: 'Team',
  actorId: 'Who',
  from: 'Recorded after',
  to: 'Recorded up to',
  order: 'Order',
  limit: 'Events per page',
  after: 'Page',
};
const ACCESS_FILTERS = ['subject', 'actorId', 'from', 'to'] as const;
const ACCESS_LABELS = { subject: 'What was read', actorId: 'Who', from: 'Read from', to: 'Read up to', after: 'Page' };
const EXPORT_LABELS = { format: 'Format', teamId: 'Team', from: 'Recorded after', to: 'Recorded up to' };

/** The trail's date and time filters are UK times (one reading for every page: src/web/as-at-form.ts). */
const instantOf = filterInstant;
const localOf = filterLocal;
const withInstants = (values: Record<string, unknown>): Record<string, unknown> => ({
  ...values,
  ...('from' in values ? { from: instantOf(values.from) } : {}),
  ...('to' in values ? { to: instantOf(values.to) } : {}),
});
const queryString = (values: Record<string, unknown>): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string' && value !== '') params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
};

/** "2026-07-22T04:10:33.120Z" -> "22 July 2026 at 05:10:33 BST": UK time, as the filters read it. */
export function when(instant: unknown): string {
  if (typeof instant !== 'string' || Number.isNaN(Date.parse(instant))) return String(instant ?? '');
  return ukWhen(instant);
}

export interface SummaryRow {
  key: string;
  value: string;
  changed?: boolean;
}

const scalar = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? 'None'
    : typeof value === 'boolean'
      ? value
        ? 'Yes'
        : 'No'
      : typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'bigint'
          ? String(value)
          : JSON.stringify(value);
const label = (key: string): string => {
  const text = fieldWords(key);
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/**
 * A state or event data as rows a person reads ("Grades › Voice of child: requires-improvement"),
 * not a JSON dump: nested objects become paths, lists of plain values one comma-separated value.
 */
export function summaryRows(value: unknown, prefix = ''): SummaryRow[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(value)) {
    if (value.every((item) => !isObject(item) && !Array.isArray(item))) {
      return [{ key: prefix || 'Value', value: value.length ? value.map(scalar).join(', ') : 'None' }];
    }
    return value.flatMap((item, i) => summaryRows(item, `${prefix || 'Item'} ${i + 1}`));
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ key: prefix || 'Value', value: 'None' }];
    return entries.flatMap(([k, v]) => summaryRows(v, prefix ? `${prefix} › ${label(k)}` : label(k)));
  }
  return [{ key: prefix || 'Value', value: scalar(value) }];
}

/** The state rows, each marked when its value differs from the state before (a row that is new counts as changed). */
function markChanges(rows: SummaryRow[], before: SummaryRow[] | null): SummaryRow[] {
  if (before === null) return rows;
  const previous = new Map(before.map((r) => [r.key, r.value]));
  return rows.map((r) => ({ ...r, changed: previous.get(r.key) !== r.value }));
}

const mayInspect = (principal: Principal): boolean =>
  (API_POLICY['GET /api/v1/trail/verify'].roles as readonly Role[]).includes(principal.role);
const mayListUsers = (principal: Principal): boolean =>
  (API_POLICY['GET /api/v1/users'].roles as readonly Role[]).includes(principal.role);

/**
 * The inspector's trail: every recorded event with filters and paging, one entity's history
 * with its state after each event, the integrity check, the verifiable export and the access
 * log. Reads go through the API's own trail controllers, and are recorded in the access log
 * exactly as the API records them (the API's interceptor only sees API routes).
 */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class TrailPagesController {
  constructor(
    private readonly api: ApiControllers,
    private readonly queries: QueryBus,
    private readonly accessLog: AccessLogService,
    private readonly integrity: IntegrityService,
    @Inject(WebViews) private readonly views: WebViews,
  ) {}

  private async userNames(): Promise<Map<string, string>> {
    const users = await this.queries.execute(new ListUsersQuery());
    return new Map(users.map((u) => [u.userId, u.name]));
  }

  /** One event as the pages show it: who, when, what, and the change in words (the API's, as this reader may read it). */
  private eventRow(e: TrailEventView, names: Map<string, string>) {
    const userName = e.streamId.startsWith('user-') ? names.get(e.streamId.slice(5)) : undefined;
    return {
      ...e,
      entity: userName ? `User ${userName}` : entityLabel(e.streamId),
      actorName: names.get(e.actorId) ?? e.actorId,
      recordedWhen: when(e.recordedAt),
      occurredWhen: when(e.occurredAt),
      historyHref: `/trail/streams/${encodeURIComponent(e.streamId)}`,
      // The same sentence as GET /api/v1/trail and /trail/changes: one rule decides what is readable (src/trail/trail-reading.ts).
      text: e.text ?? '',
    };
  }

  // ---- the events list ---------------------------------------------------------------------------

  @Get('trail')
  async list(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const query = request.query as Record<string, unknown>;
    const filters = filled(query, TRAIL_FILTERS);
    const cursor = filled(query, ['after', 'before']);
    const order = filters.order === 'newest' ? 'newest' : 'oldest';
    let problems = noProblems();
    let events: TrailEventView[] = [];
    let nextAfter: string | null = null;
    let previousBefore: string | null = null;
    try {
      const base = { limit: String(PAGE_SIZE), ...withInstants(filters) };
      if (cursor.before !== undefined) {
        // The page before a position: read the other way from it, then show in the chosen order.
        const dto = await validated(TrailQueryDto, {
          ...base,
          order: order === 'oldest' ? 'newest' : 'oldest',
          after: cursor.before,
        });
        const page = await this.api.trail.list(dto, request);
        await this.recordRead(request, dto);
        events = page.events.reverse();
        previousBefore = page.nextAfter !== null && events.length ? events[0].position : null;
        nextAfter = events.length ? events[events.length - 1].position : null;
      } else {
        const dto = await validated(TrailQueryDto, { ...base, after: cursor.after });
        const page = await this.api.trail.list(dto, request);
        await this.recordRead(request, dto);
        events = page.events;
        nextAfter = page.nextAfter;
        previousBefore = cursor.after !== undefined && events.length ? events[0].position : null;
      }
    } catch (error) {
      problems = problemsFrom(error, {
        labels: TRAIL_LABELS,
        // No field of their own: they come from the paging links.
        idOf: (f) => (f === 'limit' || f === 'after' ? 'events' : f),
      });
    }
    const firstPage = cursor.after === undefined && cursor.before === undefined;
    await this.showList(request, response, { filters, order, events, nextAfter, previousBefore, firstPage, problems });
  }

  private recordRead(request: SignedIn, dto: TrailQueryDto): Promise<void> {
    return this.accessLog.record(request.principal, requestedRoute(request), [trailSubject(dto)]);
  }

  private async showList(
    request: SignedIn,
    response: Response,
    page: {
      filters: Record<string, unknown>;
      order: string;
      events: TrailEventView[];
      nextAfter: string | null;
      previousBefore: string | null;
      firstPage: boolean;
      problems: FormProblems;
    },
  ): Promise<void> {
    const { filters, problems } = page;
    const [names, teams] = await Promise.all([this.userNames(), this.api.teams.list({ includeClosed: 'true' })]);
    const principal = request.principal;
    const visibleTeams = readsEverything(principal) ? teams : teams.filter((t) => principal.teamIds.includes(t.teamId));
    const prefixes = Object.keys(STREAM_DECIDERS).sort();
    if (typeof filters.streamPrefix === 'string' && !prefixes.includes(filters.streamPrefix)) prefixes.push(filters.streamPrefix);
    const users = mayListUsers(principal) ? await this.queries.execute(new ListUsersQuery()) : [];
    const shown = { ...filters, from: localOf(filters.from), to: localOf(filters.to) };
    this.views.send(
      request,
      response,
      'trail/list.njk',
      {
        title: 'Trail',
        events: page.events.map((e) => this.eventRow(e, names)),
        filters: shown,
        nextHref: page.nextAfter ? `/trail${queryString({ ...filters, after: page.nextAfter })}` : null,
        previousHref: page.previousBefore ? `/trail${queryString({ ...filters, before: page.previousBefore })}` : null,
        firstHref: page.firstPage ? null : `/trail${queryString(filters)}`,
        csvHref: `/trail.csv${queryString(filters)}`,
        csvMaxRows: CSV_MAX_ROWS.toLocaleString('en-GB'),
        mayInspect: mayInspect(principal),
        prefixItems: [
          { value: '', text: 'Any kind' },
          ...prefixes.map((p) => ({ value: p, text: words(p.replace(/-$/, '')), selected: filters.streamPrefix === p })),
        ],
        teamItems: [
          { value: '', text: readsEverything(principal) ? 'All teams' : 'All my teams' },
          ...visibleTeams.map((t) => ({ value: t.teamId, text: t.name, selected: filters.teamId === t.teamId })),
        ],
        actorItems: users.length
          ? [
              { value: '', text: 'Anyone' },
              ...users.map((u) => ({
                value: u.userId,
                text: `${u.name} (${words(u.role).toLowerCase()})`,
                selected: filters.actorId === u.userId,
              })),
            ]
          : null,
        orderItems: [
          { value: 'oldest', text: 'Oldest first', selected: page.order === 'oldest' },
          { value: 'newest', text: 'Newest first', selected: page.order === 'newest' },
        ],
        ...problems,
      },
      problems.errorList.length ? 400 : 200,
    );
  }

  /** The filtered list as CSV: the same filters, every page of it up to CSV_MAX_ROWS (the export has no limit). */
  @Get('trail.csv')
  async listCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const filters = filled(request.query as Record<string, unknown>, TRAIL_FILTERS);
    const dto = await validated(TrailQueryDto, { ...withInstants(filters), limit: '1000' });
    const names = await this.userNames();
    const rows: ReturnType<TrailPagesController['eventRow']>[] = [];
    let after: string | undefined;
    do {
      const page = await this.api.trail.list(Object.assign(new TrailQueryDto(), dto, { after }), request);
      rows.push(...page.events.map((e) => this.eventRow(e, names)));
      after = page.nextAfter ?? undefined;
    } while (after !== undefined && rows.length < CSV_MAX_ROWS);
    // Recorded once the read succeeded and before anything is sent, as the API's interceptor does.
    await this.recordRead(request, dto);
    sendCsv(
      response,
      'trail.csv',
      csv(
        ['position', 'recordedAt', 'occurredAt', 'streamId', 'revision', 'type', 'actorId', 'actorName', 'actorRole', 'text'],
        rows.slice(0, CSV_MAX_ROWS),
      ),
    );
  }

  // ---- one entity's history ---------------------------------------------------------------------

  @Get('trail/streams/:streamId')
  async history(@Param() params: StreamIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { streamId } = await validated(StreamIdParam, { ...params });
    const history = await this.api.streams.history({ streamId }, request);
    await this.accessLog.record(request.principal, requestedRoute(request), [streamId]);
    const names = await this.userNames();
    let before: SummaryRow[] | null = null;
    const events = history.events.map((e) => {
      const state = history.stateAvailable ? summaryRows(e.stateAfter) : null;
      const stateRows = state ? markChanges(state, before) : null;
      before = state;
      return { ...this.eventRow(e, names), stateRows, dataRows: summaryRows(e.data) };
    });
    this.views.send(request, response, 'trail/history.njk', {
      title: `History of ${events[0]?.entity ?? streamId}`,
      history,
      entity: events[0]?.entity ?? streamId,
      events,
      csvHref: `/trail/streams/${encodeURIComponent(streamId)}/events.csv`,
      trailHref: `/trail${queryString({ streamPrefix: streamId })}`,
    });
  }

  @Get('trail/streams/:streamId/events.csv')
  async historyCsv(@Param() params: StreamIdParam, @Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const { streamId } = await validated(StreamIdParam, { ...params });
    const history = await this.api.streams.history({ streamId }, request);
    await this.accessLog.record(request.principal, requestedRoute(request), [streamId]);
    const names = await this.userNames();
    sendCsv(
      response,
      `${streamId}-history.csv`,
      csv(
        [
          'position',
          'revision',
          'recordedAt',
          'occurredAt',
          'type',
          'actorId',
          'actorName',
          'actorRole',
          'text',
          'data',
          'stateAfter',
        ],
        history.events.map((e) => ({
          ...this.eventRow(e, names),
          data: JSON.stringify(e.data),
          stateAfter: e.stateAfter === undefined ? '' : JSON.stringify(e.stateAfter),
        })),
      ),
    );
  }

  // ---- integrity check --------------------------------------------------------------------------

  @Get('trail/verify')
  async verify(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const report: VerificationReport = await this.api.trail.verify();
    const checkpoint = (await this.api.trail.checkpoint().catch((error: unknown) => {
      if (error instanceof NoCheckpointYet) return null;
      throw error;
    })) as (SignedTreeHead & { publicKey: string }) | null;
    const keyId = keyIdOf(createPublicKey(this.integrity.publicKeyPem()));
    this.views.send(request, response, 'trail/verify.njk', {
      title: 'Integrity check',
      mayInspect: true,
      report,
      verifiedWhen: when(report.verifiedAt),
      checkpoint,
      checkpointWhen: checkpoint ? when(checkpoint.signedAt) : null,
      keyId,
      sameKey: checkpoint ? checkpoint.keyId === keyId : null,
    });
  }

  // ---- verifiable export ------------------------------------------------------------------------

  @Get('trail/export')
  async exportPage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    await this.showExport(request, response, { format: 'ndjson' }, noProblems());
  }

  /** Streams the API's export straight to the browser as a download: never held in memory. */
  @Get('trail/export/download')
  async download(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const values = filled(request.query as Record<string, unknown>, ['format', 'teamId', 'from', 'to']);
    let dto: ExportQueryDto;
    try {
      dto = await validated(ExportQueryDto, withInstants(values));
    } catch (error) {
      const problems = problemsFrom(error, {
        labels: EXPORT_LABELS,
        idOf: (f) => (f === 'format' ? 'format' : f),
      });
      return this.showExport(request, response, values, problems, 400);
    }
    await this.api.trail.export(dto, request, response);
  }

  @Get('trail/public-key.pem')
  publicKey(@Res() response: Response): void {
    response.type('application/x-pem-file').attachment('casetrail-trail-public-key.pem').send(this.integrity.publicKeyPem());
  }

  private async showExport(
    request: SignedIn,
    response: Response,
    values: Record<string, unknown>,
    problems: FormProblems,
    status = 200,
  ): Promise<void> {
    const teams = await this.api.teams.list({ includeClosed: 'true' });
    this.views.send(
      request,
      response,
      'trail/export.njk',
      {
        title: 'Export the trail',
        mayInspect: true,
        values: { ...values, from: localOf(values.from), to: localOf(values.to) },
        formatItems: [
          {
            value: 'ndjson',
            text: 'NDJSON (one event per line, as JSON)',
            checked: values.format !== 'csv',
          },
          { value: 'csv', text: 'CSV (one event per row, for spreadsheets)', checked: values.format === 'csv' },
        ],
        teamItems: [
          { value: '', text: 'All teams (the whole log)' },
          ...teams.map((t) => ({ value: t.teamId, text: t.name, selected: values.teamId === t.teamId })),
        ],
        keyId: keyIdOf(createPublicKey(this.integrity.publicKeyPem())),
        ...problems,
      },
      status,
    );
  }

  // ---- access log -------------------------------------------------------------------------------

  private async accessPage(request: SignedIn, limit: number, after?: string) {
    const filters = filled(request.query as Record<string, unknown>, ACCESS_FILTERS);
    const dto = await validated(AccessLogQueryDto, { ...withInstants(filters), limit: String(limit), after });
    return { filters, page: await this.api.accessLog.list(dto) };
  }

  @Get('trail/access-log')
  async accessLogPage(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const after = filled(request.query as Record<string, unknown>, ['after']).after as string | undefined;
    const filters = filled(request.query as Record<string, unknown>, ACCESS_FILTERS);
    let problems = noProblems();
    let page: Awaited<ReturnType<ApiControllers['accessLog']['list']>> = { entries: [], nextAfter: null };
    try {
      page = (await this.accessPage(request, PAGE_SIZE, after)).page;
    } catch (error) {
      problems = problemsFrom(error, { labels: ACCESS_LABELS });
    }
    const users = await this.queries.execute(new ListUsersQuery());
    const names = new Map(users.map((u) => [u.userId, u.name]));
    this.views.send(
      request,
      response,
      'trail/access-log.njk',
      {
        title: 'Access log',
        mayInspect: true,
        entries: page.entries.map((e) => ({ ...e, actorName: names.get(e.actorId) ?? e.actorId, readWhen: when(e.at) })),
        filters: { ...filters, from: localOf(filters.from), to: localOf(filters.to) },
        actorItems: [
          { value: '', text: 'Anyone' },
          ...users.map((u) => ({
            value: u.userId,
            text: `${u.name} (${words(u.role).toLowerCase()})`,
            selected: filters.actorId === u.userId,
          })),
        ],
        nextHref: page.nextAfter ? `/trail/access-log${queryString({ ...filters, after: page.nextAfter })}` : null,
        firstHref: after === undefined ? null : `/trail/access-log${queryString(filters)}`,
        csvHref: `/trail/access-log.csv${queryString(filters)}`,
        csvMaxRows: CSV_MAX_ROWS.toLocaleString('en-GB'),
        ...problems,
      },
      problems.errorList.length ? 400 : 200,
    );
  }

  @Get('trail/access-log.csv')
  async accessLogCsv(@Req() request: SignedIn, @Res() response: Response): Promise<void> {
    const names = await this.userNames();
    const rows: Record<string, unknown>[] = [];
    let after: string | undefined;
    do {
      const { page } = await this.accessPage(request, 1000, after);
      rows.push(...page.entries.map((e) => ({ ...e, actorName: names.get(e.actorId) ?? '' })));
      after = page.nextAfter ?? undefined;
    } while (after !== undefined && rows.length < CSV_MAX_ROWS);
    sendCsv(
      response,
      'access-log.csv',
      csv(['position', 'at', 'actorId', 'actorName', 'role', 'route', 'subject'], rows.slice(0, CSV_MAX_ROWS)),
    );
  }
}
