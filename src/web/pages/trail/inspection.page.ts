import { Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { createPublicKey } from 'node:crypto';
import {
  IntegrityService,
  type VerificationReport,
  keyIdOf,
  type SignedTreeHead,
  AccessLogQueryDto,
  ExportQueryDto,
  NoCheckpointYet,
} from '../../../trail';
import { csv, sendCsv } from '../../csv';
import { filled, noProblems, validated, type FormProblems, selectItems, teamSelectItems, personOptions } from '../../forms';
import { Page, PageIn, Pages, PageController } from '../../kit';
import {
  ACCESS_FILTERS,
  boxIdOf,
  filledWithTimes,
  timeBoxes,
  ACCESS_LABELS,
  CSV_MAX_ROWS,
  EXPORT_LABELS,
  PAGE_SIZE,
  queryString,
  when,
  withInstants,
} from './trail-views';

/** The inspectors' pages of the trail: the integrity check, the verifiable export and the access log. */
@PageController('trail')
export class TrailInspectionPage extends Pages {
  constructor(private readonly integrity: IntegrityService) {
    super();
  }

  @Get('verify')
  async verify(@PageIn() page: Page): Promise<void> {
    const report: VerificationReport = await this.useCases.trail.verify();
    const checkpoint = (await this.useCases.trail.checkpoint().catch((error: unknown) => {
      if (error instanceof NoCheckpointYet) return null;
      throw error;
    })) as (SignedTreeHead & { publicKey: string }) | null;
    const keyId = keyIdOf(createPublicKey(this.integrity.publicKeyPem()));
    this.render(page, 'trail/verify.njk', {
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

  @Get('export')
  async exportPage(@PageIn() page: Page): Promise<void> {
    await this.showExport(page, { format: 'ndjson' });
  }

  /** Streams the API's export straight to the browser as a download: never held in memory. */
  @Get('export/download')
  async download(@PageIn() page: Page): Promise<void> {
    const values = filledWithTimes(page.query, ['format', 'teamId', 'from', 'to']);
    let dto: ExportQueryDto;
    try {
      dto = await validated(ExportQueryDto, withInstants(values));
    } catch (error) {
      return this.showExport(page, values, this.problems(error, { labels: EXPORT_LABELS, idOf: boxIdOf }));
    }
    await this.useCases.trail.export(dto, page.request, page.response);
  }

  @Get('public-key.pem')
  publicKey(@Res() response: Response): void {
    response.type('application/x-pem-file').attachment('casetrail-trail-public-key.pem').send(this.integrity.publicKeyPem());
  }

  private async showExport(page: Page, values: Record<string, unknown>, problems?: FormProblems): Promise<void> {
    const teams = await this.useCases.teams.list({ includeClosed: 'true' });
    const context = {
      title: 'Export the trail',
      mayInspect: true,
      values,
      fromBoxes: timeBoxes(page.query, 'from', values.from, Boolean(problems?.errors.from)),
      toBoxes: timeBoxes(page.query, 'to', values.to, Boolean(problems?.errors.to)),
      formatItems: [
        { value: 'ndjson', text: 'NDJSON (one event per line, as JSON)', checked: values.format !== 'csv' },
        { value: 'csv', text: 'CSV (one event per row, for spreadsheets)', checked: values.format === 'csv' },
      ],
      teamItems: teamSelectItems(teams, values.teamId, 'All teams (the whole log)'),
      keyId: keyIdOf(createPublicKey(this.integrity.publicKeyPem())),
    };
    this.render(page, 'trail/export.njk', context, problems);
  }

  private async accessPage(page: Page, limit: number, after?: string) {
    const filters = filledWithTimes(page.query, ACCESS_FILTERS);
    const dto = await validated(AccessLogQueryDto, { ...withInstants(filters), limit: String(limit), after });
    return this.useCases.accessLog.list(dto);
  }

  @Get('access-log')
  async accessLogPage(@PageIn() page: Page): Promise<void> {
    const after = filled(page.query, ['after']).after as string | undefined;
    const filters = filledWithTimes(page.query, ACCESS_FILTERS);
    let problems = noProblems();
    let read: Awaited<ReturnType<typeof this.useCases.accessLog.list>> = { entries: [], nextAfter: null };
    try {
      read = await this.accessPage(page, PAGE_SIZE, after);
    } catch (error) {
      problems = this.problems(error, { labels: ACCESS_LABELS, idOf: boxIdOf });
    }
    const [users, name] = await Promise.all([this.names.all(), this.names.users()]);
    const context = {
      title: 'Access log',
      mayInspect: true,
      entries: read.entries.map((e) => ({ ...e, actorName: name(e.actorId), readWhen: when(e.at) })),
      filters,
      fromBoxes: timeBoxes(page.query, 'from', filters.from, Boolean(problems.errors.from)),
      toBoxes: timeBoxes(page.query, 'to', filters.to, Boolean(problems.errors.to)),
      actorItems: selectItems('Anyone', personOptions(users), filters.actorId),
      nextHref: read.nextAfter ? `/trail/access-log${queryString({ ...filters, after: read.nextAfter })}` : null,
      firstHref: after === undefined ? null : `/trail/access-log${queryString(filters)}`,
      csvHref: `/trail/access-log.csv${queryString(filters)}`,
      csvMaxRows: CSV_MAX_ROWS.toLocaleString('en-GB'),
    };
    this.render(page, 'trail/access-log.njk', context, problems);
  }

  @Get('access-log.csv')
  async accessLogCsv(@PageIn() page: Page): Promise<void> {
    const name = await this.names.users();
    const rows: Record<string, unknown>[] = [];
    let after: string | undefined;
    do {
      const read = await this.accessPage(page, 1000, after);
      rows.push(...read.entries.map((e) => ({ ...e, actorName: name.map.get(e.actorId) ?? '' })));
      after = read.nextAfter ?? undefined;
    } while (after !== undefined && rows.length < CSV_MAX_ROWS);
    const columns = 'position at actorId actorName role route subject';
    sendCsv(page.response, 'access-log.csv', csv(columns, rows.slice(0, CSV_MAX_ROWS)));
  }
}
