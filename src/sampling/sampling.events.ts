import type { DomainEvent } from '@casetrail/kernel';

/** One open case of an uploaded case list: the columns sampling needs, never a name or a date of birth. */
export interface ListedCase {
  caseRef: string;
  teamId: string;
  /** CIN, CP, CLA, care leaver, pre-birth... as the case system writes it ('' when not given). */
  category: string;
  workerId: string;
  /** YYYY-MM-DD, or '' when not given. */
  openSince: string;
}

/** How a sample is sized and drawn: everything that decides which cases are chosen. */
export interface SampleInputs {
  caseListId: string;
  /** SHA-256 of the case list's cases (canonical JSON): recomputed by sample:verify. */
  casesSha256: string;
  /** A number per team, or a total shared across teams in proportion to their caseloads. */
  size: { perTeam: number } | { total: number };
  stratifyByCategory: boolean;
  excludeAuditedWithinMonths: number;
  /** The day the sample was drawn: "the last N months" ends here. */
  drawnOn: string;
  seed: string;
  /** The audits recorded when it was drawn that fall in the exclusion window: case reference and day. */
  recentAudits: { caseRef: string; auditedOn: string }[];
}

export interface SampledCase {
  caseRef: string;
  teamId: string;
  category: string;
  reason: string;
}

// ---- Stream caselist-<caseListId> -------------------------------------------------------------------
export type CaseListRecorded = DomainEvent<
  'CaseListRecorded',
  {
    caseListId: string;
    /** SHA-256 of the uploaded file, as uploaded. */
    fileSha256: string;
    /** The uploaded file's name, as the uploader's computer called it (when given): how people tell lists apart. */
    fileName?: string;
    /** SHA-256 of the canonical JSON of `cases` (what a sample's inputs name). */
    casesSha256: string;
    recordedOn: string;
    cases: ListedCase[];
  }
>;
export type CaseListEvent = CaseListRecorded;
export const CASE_LIST_EVENT_SCHEMA_VERSIONS: Record<CaseListEvent['type'], number> = { CaseListRecorded: 1 };
export const caseListStreamId = (caseListId: string): string => `caselist-${caseListId}`;

// ---- Stream sample-<programmeId> --------------------------------------------------------------------
export type CaseSampleDrawn = DomainEvent<
  'CaseSampleDrawn',
  {
    programmeId: string;
    inputs: SampleInputs;
    chosen: SampledCase[];
    /** Cases left out, each with why (audited recently). */
    excluded: SampledCase[];
  }
>;
export type SampleEvent = CaseSampleDrawn;
export const SAMPLE_EVENT_SCHEMA_VERSIONS: Record<SampleEvent['type'], number> = { CaseSampleDrawn: 1 };
export const sampleStreamId = (programmeId: string): string => `sample-${programmeId}`;
