import { RecordAccess } from '../../../auth';
import { Platform } from '../../../core';
import { Get, Param } from '@nestjs/common';
import {
  AccessLogService,
  entityKind,
  requestedRoute,
  readsEverything,
  type TrailEventView,
  trailSubject,
  StreamIdParam,
  TrailQueryDto,
} from '../../../trail';
import { filterLocal } from '../../as-at-form';
import { csv, sendCsv } from '../../csv';
import { filled, noProblems, validated, selectItems, teamSelectItems, personOptions } from '../../forms';
import { Page, PageIn, Pages, PageController } from '../../kit';
import {
  CSV_MAX_ROWS,
  eventRow,
  markChanges,
  PAGE_SIZE,
  queryString,
  summaryRows,
  TRAIL_FILTERS,
  TRAIL_LABELS,
  withInstants,
  type SummaryRow,
  boxIdOf,
  filledWithTimes,
  timeBoxes,
} from './trail-views';

const EVENT_COLUMNS = 'position recordedAt occurredAt streamId revision type actorId actorName actorRole record event text';
/** A record's history: no stream id (one stream), and the event's data and the record's state after it. */
const HISTORY_COLUMNS =
  'position revision recordedAt occurredAt type actorId actorName actorRole record event text data stateAfter';

/** The page's order and whose events, unless the address says otherwise: the newest of people's events first. */
const pageDefaults = (filters: Record<string, unknown>) => ({
  order: filters.order === 'oldest' ? ('oldest' as const) : ('newest' as const),
  by: filters.by === 'anyone' ? ('anyone' as const) : ('people' as const),
});
/** A CSV row: the ids as recorded, and beside them the record's name and the event type in words. */
const csvRow = (row: ReturnType<typeof eventRow>) => ({ ...row, record: row.entity, event: row.typeWords });

/**
 * The inspector's trail: every recorded event with filters and paging, and one entity's history with its
 * state after each event. Reads go through the API's own trail controllers, and are recorded in the access
 * log exactly as the API records them (the API's interceptor only sees API routes).
 */
@PageController()
export class TrailPage extends Pages {
  constructor(
    private readonly accessLog: AccessLogService,
    private readonly platform: Platform,
    private readonly access: RecordAccess,
  ) {
    super();
  }

  @Get('trail')
  async list(@PageIn() page: Page): Promise<void> {
    const filters = filledWithTimes(page.query, TRAIL_FILTERS);
    const cursor = filled(page.query, ['after', 'before']);
    // The trail opens on the latest events people recorded: newest first, without the system's own set-up.
    const { order, by } = pageDefaults(filters);
    let problems = noProblems();
    let events: TrailEventView[] = [];
    let nextAfter: string | null = null;
    let previousBefore: string | null = null;
    try {
      const base = { limit: String(PAGE_SIZE), ...withInstants(filters), order, by };
      // The page before a position: read the other way from it, then show in the chosen order.
      const back = cursor.before !== undefined;
      const dto = await validated(
        TrailQueryDto,
        back
          ? { ...base, order: order === 'oldest' ? 'newest' : 'oldest', after: cursor.before }
          : { ...base, after: cursor.after },
      );
      const read = await this.useCases.trail.list(dto, page.request);
      await this.recordRead(page, dto);
      events = back ? read.events.reverse() : read.events;
      nextAfter = back ? (events.at(-1)?.position ?? null) : read.nextAfter;
      previousBefore = (back ? read.nextAfter !== null : cursor.after !== undefined) && events.length ? events[0].position : null;
    } catch (error) {
      // No field of their own: they come from the paging links.
      problems = this.problems(error, {
        labels: TRAIL_LABELS,
        idOf: (f) => (f === 'limit' || f === 'after' ? 'events' : boxIdOf(f)),
      });
    }
    const firstPage = cursor.after === undefined && cursor.before === undefined;
    const [name, teams] = await Promise.all([this.names.users(), this.useCases.teams.list({ includeClosed: 'true' })]);
    const principal = page.principal;
    const visibleTeams = readsEverything(principal) ? teams : teams.filter((t) => principal.teamIds.includes(t.teamId));
    const prefixes = Object.keys(this.platform.streams).sort();
    if (typeof filters.streamPrefix === 'string' && !prefixes.includes(filters.streamPrefix)) prefixes.push(filters.streamPrefix);
    const users = page.may('GET /api/v1/users') ? await this.names.all() : [];
    // A history link only where the history answers this reader (a team manager's trail shows events of
    // records whose history belongs to another team, such as a user's team change).
    const streams = [...new Set(events.map((e) => e.streamId))];
    const readable = new Set(
      await this.access.filter('GET /api/v1/streams/:streamId', principal, streams, (streamId) => streamId),
    );
    const context = {
      title: 'Trail',
      events: events.map((e) => ({ ...eventRow(e, name), mayReadHistory: readable.has(e.streamId) })),
      filters: { ...filters, from: filterLocal(filters.from), to: filterLocal(filters.to) },
      fromBoxes: timeBoxes(page.query, 'from', filters.from, Boolean(problems.errors.from)),
      toBoxes: timeBoxes(page.query, 'to', filters.to, Boolean(problems.errors.to)),
      nextHref: nextAfter ? `/trail${queryString({ ...filters, after: nextAfter })}` : null,
      previousHref: previousBefore ? `/trail${queryString({ ...filters, before: previousBefore })}` : null,
      firstHref: firstPage ? null : `/trail${queryString(filters)}`,
      csvHref: `/trail.csv${queryString(filters)}`,
      csvMaxRows: CSV_MAX_ROWS.toLocaleString('en-GB'),
      mayInspect: page.may('GET /api/v1/trail/verify'),
      prefixItems: selectItems(
        'Any kind',
        prefixes.map((p) => [p, entityKind(p)]),
        filters.streamPrefix,
      ),
      teamItems: teamSelectItems(visibleTeams, filters.teamId, readsEverything(principal) ? 'All teams' : 'All my teams'),
      actorItems: users.length ? selectItems('Anyone', personOptions(users), filters.actorId) : null,
      orderItems: [
        { value: 'newest', text: 'Newest first', selected: order === 'newest' },
        { value: 'oldest', text: 'Oldest first', selected: order === 'oldest' },
      ],
      byItems: [
        { value: 'people', text: 'People’s events', selected: by === 'people' },
        { value: 'anyone', text: 'Also what the system recorded by itself', selected: by === 'anyone' },
      ],
    };
    this.render(page, 'trail/list.njk', context, problems);
  }

  private recordRead(page: Page, dto: TrailQueryDto): Promise<void> {
    return this.accessLog.record(page.principal, requestedRoute(page.request), [trailSubject(dto)]);
  }

  /** The filtered list as CSV: the same filters, every page of it up to CSV_MAX_ROWS (the export has no limit). */
  @Get('trail.csv')
  async listCsv(@PageIn() page: Page): Promise<void> {
    const filters = filledWithTimes(page.query, TRAIL_FILTERS);
    const dto = await validated(TrailQueryDto, { ...withInstants(filters), ...pageDefaults(filters), limit: '1000' });
    const name = await this.names.users();
    const rows: ReturnType<typeof csvRow>[] = [];
    let after: string | undefined;
    do {
      const read = await this.useCases.trail.list(Object.assign(new TrailQueryDto(), dto, { after }), page.request);
      rows.push(...read.events.map((e) => csvRow(eventRow(e, name))));
      after = read.nextAfter ?? undefined;
    } while (after !== undefined && rows.length < CSV_MAX_ROWS);
    // Recorded once the read succeeded and before anything is sent, as the API's interceptor does.
    await this.recordRead(page, dto);
    sendCsv(page.response, 'trail.csv', csv(EVENT_COLUMNS, rows.slice(0, CSV_MAX_ROWS)));
  }

  @Get('trail/streams/:streamId')
  async history(@PageIn() page: Page, @Param() { streamId }: StreamIdParam): Promise<void> {
    const history = await this.useCases.trail.history({ streamId }, page.request);
    await this.accessLog.record(page.principal, requestedRoute(page.request), [streamId]);
    const name = await this.names.users();
    let before: SummaryRow[] | null = null;
    const events = history.events.map((e) => {
      const state = history.stateAvailable ? summaryRows(e.stateAfter) : null;
      const stateRows = state ? markChanges(state, before) : null;
      before = state;
      return { ...eventRow(e, name), stateRows, dataRows: summaryRows(e.data) };
    });
    this.render(page, 'trail/history.njk', {
      title: `History of ${events[0]?.entity ?? streamId}`,
      history,
      entity: events[0]?.entity ?? streamId,
      kind: entityKind(streamId),
      events,
      csvHref: `/trail/streams/${encodeURIComponent(streamId)}/events.csv`,
      trailHref: `/trail${queryString({ streamPrefix: streamId })}`,
    });
  }

  @Get('trail/streams/:streamId/events.csv')
  async historyCsv(@PageIn() page: Page, @Param() { streamId }: StreamIdParam): Promise<void> {
    const history = await this.useCases.trail.history({ streamId }, page.request);
    await this.accessLog.record(page.principal, requestedRoute(page.request), [streamId]);
    const name = await this.names.users();
    const rows = history.events.map((e) => ({
      ...csvRow(eventRow(e, name)),
      data: JSON.stringify(e.data),
      stateAfter: e.stateAfter === undefined ? '' : JSON.stringify(e.stateAfter),
    }));
    sendCsv(page.response, `${streamId}-history.csv`, csv(HISTORY_COLUMNS, rows));
  }
}
