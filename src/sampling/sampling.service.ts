/**
 * Case lists and samples: upload a case list (recorded with its SHA-256), draw a sample for an
 * audit programme from it (recorded with its inputs and each case's reason), read it, verify it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@casetrail/event-store';
import { dayOf, notFound } from '@casetrail/kernel';
import { FindProgrammeQuery, ListAuditsQuery } from '../audits';
import { type CommandContext, commandHandlerFor, currentAsAt, deterministicUuid } from '../core';
import { sha256Of, type Source, type RowError, readTable, type TableFormat } from '../imports';
import { FindTeamsQuery } from '../teams';
import { mapCaseListHeadings, parseCaseListRow } from './case-list-rows';
import { monthsBefore, verifySample } from './draw-sample';
import type { DrawSampleDto } from './sampling.dto';
import { caseListDecider, sampleDecider } from './sampling.decider';
import {
  caseListStreamId,
  sampleStreamId,
  type CaseListRecorded,
  type CaseSampleDrawn,
  type ListedCase,
} from './sampling.events';

export class SampleNotFound extends notFound(
  'SAMPLE_NOT_FOUND',
  (programmeId: string) => `No sample is drawn for programme ${programmeId}.`,
) {}

export interface CaseListUpload {
  recorded: boolean;
  caseListId: string | null;
  fileSha256: string;
  cases: number;
  /** The file's name as the uploader gave it (absent when none was). */
  fileName?: string;
  errors: RowError[];
}

/** A recorded case list as people tell it apart: the day it was recorded, the file's name, its size. */
export interface CaseListSummary {
  caseListId: string;
  fileName: string | null;
  recordedOn: string;
  /** When it was recorded (store time): orders lists uploaded on the same day. */
  recordedAt: string;
  cases: number;
}

export type SampleView = CaseSampleDrawn['data'] & {
  sampleSize: number;
  /** Cases of the sample with a submitted audit in the programme: "audited of sample". */
  auditedOfSample: number;
  /** Cases of the sample with an audit in the programme, submitted or in progress. */
  startedOfSample: number;
};

/**
 * The largest case list taken, on the page and the API alike (a council's open cases are a few
 * thousand rows, well under 1 MB; the imports' 50 MB is for years of audits).
 */
export const MAX_CASE_LIST_BYTES = 20 * 1024 * 1024;

const caseLists = commandHandlerFor(caseListDecider, (c) => caseListStreamId(c.caseListId));
const samples = commandHandlerFor(sampleDecider, (c) => sampleStreamId(c.programmeId));

/**
 * Case lists and samples are read from the log, not from READ_DB, so the as-at scope does not reach
 * them by itself: inside one, only events up to its position were known (none after it is read).
 */
const knownPosition = (): bigint | undefined => currentAsAt()?.position;
const knownNow = (event: RecordedEvent): boolean => {
  const position = knownPosition();
  return position === undefined || event.position <= position;
};

@Injectable()
export class SamplingService {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Reads and checks every row; records the list only when every row is good (a case list is all or nothing). */
  async uploadCaseList(open: Source, format: TableFormat, context: CommandContext, fileName?: string): Promise<CaseListUpload> {
    const fileSha256 = await sha256Of(open);
    const errors: RowError[] = [];
    const cases: ListedCase[] = [];
    const seen = new Map<string, number>();
    let map: ReturnType<typeof mapCaseListHeadings> | null = null;
    for await (const { row, cells } of readTable(open(), format)) {
      if (!map) {
        map = mapCaseListHeadings(cells);
        errors.push(...map.errors);
        continue;
      }
      if (map.errors.length) continue;
      const parsed = parseCaseListRow(map, row, cells);
      if (!parsed.value) {
        errors.push(...parsed.errors);
        continue;
      }
      const first = seen.get(parsed.value.caseRef);
      if (first !== undefined) {
        errors.push({
          row,
          column: '',
          message: `repeats case ${parsed.value.caseRef} of row ${first}; list each open case once`,
        });
        continue;
      }
      seen.set(parsed.value.caseRef, row);
      cases.push(parsed.value);
    }
    if (!map) errors.push({ row: 1, column: '', message: 'The file is empty: it has no heading row' });
    const teamIds = [...new Set(cases.map((c) => c.teamId))];
    const known = new Set((await this.queries.execute(new FindTeamsQuery(teamIds))).map((t) => t.teamId));
    for (const c of cases) {
      if (!known.has(c.teamId)) {
        errors.push({
          row: seen.get(c.caseRef)!,
          column: map?.heading.get('teamId') ?? 'Team',
          message: `There is no team ${c.teamId}`,
        });
      }
    }
    if (errors.length || !cases.length) {
      if (!cases.length && !errors.length) errors.push({ row: 2, column: '', message: 'The case list has no cases' });
      return { recorded: false, caseListId: null, fileSha256, cases: cases.length, errors: errors.sort((a, b) => a.row - b.row) };
    }
    // The same file uploaded again names the same list (and appends nothing).
    const caseListId = deterministicUuid('case-list', fileSha256);
    await caseLists.send(
      this.commands,
      {
        type: 'RecordCaseList',
        now: context.now,
        caseListId,
        fileSha256,
        ...(fileName ? { fileName: fileName.slice(0, 200) } : {}),
        recordedOn: dayOf(context.now),
        cases,
      },
      { ...context, commandId: `caselist:${fileSha256}` },
    );
    return {
      recorded: true,
      caseListId,
      fileSha256,
      cases: cases.length,
      ...(fileName ? { fileName: fileName.slice(0, 200) } : {}),
      errors: [],
    };
  }

  /** Every recorded case list, newest first (a council uploads one a month or so: read from the log), as at the as-at scope. */
  async caseLists(): Promise<CaseListSummary[]> {
    const lists: CaseListSummary[] = [];
    const filter = { streamPrefixes: ['caselist-'], eventTypes: ['CaseListRecorded'] };
    // Backwards, the first position read is the newest: the scope's, when there is one.
    for await (const event of this.store.readAll({ filter, direction: 'backwards', fromPosition: knownPosition() })) {
      const data = event.data as CaseListRecorded['data'];
      lists.push({
        caseListId: data.caseListId,
        fileName: data.fileName ?? null,
        recordedOn: data.recordedOn,
        recordedAt: event.metadata.recordedAt,
        cases: data.cases.length,
      });
    }
    return lists;
  }

  /** A recorded case list as recorded (null when there is none with that id, as at the as-at scope). */
  async caseList(caseListId: string): Promise<CaseListRecorded['data'] | null> {
    for await (const event of this.store.readStream(caseListStreamId(caseListId))) {
      if (event.type === 'CaseListRecorded' && knownNow(event)) return event.data as CaseListRecorded['data'];
    }
    return null;
  }

  private async recordedSample(programmeId: string): Promise<CaseSampleDrawn['data'] | null> {
    for await (const event of this.store.readStream(sampleStreamId(programmeId))) {
      if (event.type === 'CaseSampleDrawn' && knownNow(event)) return event.data as CaseSampleDrawn['data'];
    }
    return null;
  }

  async draw(dto: DrawSampleDto, context: CommandContext): Promise<SampleView> {
    const drawnOn = dto.drawnOn ?? dayOf(context.now);
    const months = dto.excludeAuditedWithinMonths ?? 12;
    const [programme, caseList, audits] = await Promise.all([
      this.queries.execute(new FindProgrammeQuery(dto.programmeId)),
      this.caseList(dto.caseListId),
      this.queries.execute(new ListAuditsQuery({ from: monthsBefore(drawnOn, months), to: drawnOn }, context.actorId)),
    ]);
    const recentAudits = audits
      .map((a) => ({ caseRef: a.caseRef, auditedOn: a.auditedOn }))
      .sort((a, b) => (a.caseRef + a.auditedOn < b.caseRef + b.auditedOn ? -1 : 1));
    const size = dto.perTeam !== undefined ? { perTeam: dto.perTeam } : { total: dto.total ?? 0 };
    await samples.send(
      this.commands,
      {
        type: 'DrawCaseSample',
        now: context.now,
        programmeId: dto.programmeId,
        programmeKnown: programme !== null,
        caseList: caseList ? { casesSha256: caseList.casesSha256, cases: caseList.cases } : null,
        inputs: {
          caseListId: dto.caseListId,
          size,
          stratifyByCategory: dto.stratifyByCategory ?? false,
          excludeAuditedWithinMonths: months,
          drawnOn,
          seed: dto.seed,
          recentAudits,
        },
      },
      context,
    );
    return this.sample(dto.programmeId, context.actorId);
  }

  /** The recorded sample and how many of its cases have an audit in the programme. */
  async sample(programmeId: string, viewerId: string): Promise<SampleView> {
    const sample = await this.recordedSample(programmeId);
    if (!sample) throw new SampleNotFound(programmeId);
    const audits = await this.queries.execute(new ListAuditsQuery({ programmeId }, viewerId));
    const inSample = new Set(sample.chosen.map((c) => `${c.teamId}/${c.caseRef}`));
    const ofSample = audits.filter((a) => inSample.has(`${a.teamId}/${a.caseRef}`));
    const cases = (status: (s: string) => boolean): number =>
      new Set(ofSample.filter((a) => status(a.status)).map((a) => a.caseRef)).size;
    return {
      ...sample,
      sampleSize: sample.chosen.length,
      auditedOfSample: cases((s) => s !== 'in-progress'),
      startedOfSample: cases(() => true),
    };
  }

  /** Recomputes the sample from what is recorded (the case list's cases and the sample's inputs). */
  async verify(programmeId: string): Promise<{ programmeId: string; valid: boolean; problems: string[]; chosen: number }> {
    const sample = await this.recordedSample(programmeId);
    if (!sample) throw new SampleNotFound(programmeId);
    const caseList = await this.caseList(sample.inputs.caseListId);
    const problems = caseList
      ? verifySample(caseList, sample)
      : [`The case list ${sample.inputs.caseListId} the sample names is not recorded`];
    return { programmeId, valid: problems.length === 0, problems, chosen: sample.chosen.length };
  }
}
