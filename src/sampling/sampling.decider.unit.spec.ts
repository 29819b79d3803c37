import { BusinessDateInFuture } from '@casetrail/kernel';
import { deciderSpec } from '@casetrail/testing';
import { casesSha256, drawSample, monthsBefore, verifySample, apportion } from './draw-sample';
import {
  CaseListAlreadyRecorded,
  caseListDecider,
  CaseListedTwice,
  CaseListEmpty,
  SampleAlreadyDrawn,
  sampleDecider,
  SampleSizeInvalid,
  UnknownCaseList,
  UnknownSampleProgramme,
  type SampleCommand,
} from './sampling.decider';
import type { CaseListRecorded, CaseSampleDrawn, ListedCase, SampleInputs } from './sampling.events';

const now = '2026-06-01T10:00:00.000Z';
const TEAMS = ['cin-north', 'cp-east', 'cla-west', 'leaving-care'];
const CATEGORIES = ['CIN', 'CP', 'CLA', 'pre-birth'];
/** 200 cases, 50 per team. */
const CASES: ListedCase[] = Array.from({ length: 200 }, (_, i) => ({
  caseRef: `C-${String(i).padStart(4, '0')}`,
  teamId: TEAMS[i % 4],
  category: CATEGORIES[Math.floor(i / 4) % 4],
  workerId: `w${i % 13}`,
  openSince: '2024-01-15',
}));
/** Every fifth case audited within the last 12 months; a few more audited longer ago. */
const RECENT = CASES.filter((_, i) => i % 5 === 0).map((c, i) => ({
  caseRef: c.caseRef,
  auditedOn: i % 2 ? '2025-07-01' : '2026-05-20',
}));
const OLD = CASES.filter((_, i) => i % 7 === 1).map((c) => ({ caseRef: c.caseRef, auditedOn: '2025-05-31' }));
const inputs = (extra: Partial<SampleInputs> = {}): SampleInputs => ({
  caseListId: 'may-2026',
  casesSha256: casesSha256(CASES),
  size: { perTeam: 5 },
  stratifyByCategory: false,
  excludeAuditedWithinMonths: 12,
  drawnOn: '2026-06-01',
  seed: '2026-06 monthly audit',
  recentAudits: [...RECENT, ...OLD],
  ...extra,
});

describe('drawing a sample', () => {
  it('5 per team from 200 cases in 4 teams: 5 of each team, none audited in the last 12 months', () => {
    const { chosen, excluded } = drawSample(CASES, inputs());
    expect(chosen).toHaveLength(20);
    for (const team of TEAMS) expect(chosen.filter((c) => c.teamId === team)).toHaveLength(5);
    const recent = new Set(RECENT.map((a) => a.caseRef));
    expect(chosen.filter((c) => recent.has(c.caseRef))).toEqual([]);
    expect(excluded.map((c) => c.caseRef).sort()).toEqual([...recent].sort());
    expect(excluded[0].reason).toMatch(/^audited on 20\d\d-\d\d-\d\d, within the 12 months before 2026-06-01$/);
    expect(chosen[0].reason).toContain('chosen at random (seed "2026-06 monthly audit")');
  });

  it('an audit more than N months before the draw does not exclude the case', () => {
    const { excluded } = drawSample(CASES, inputs());
    const old = new Set(OLD.map((a) => a.caseRef));
    expect(excluded.filter((c) => old.has(c.caseRef) && !RECENT.some((r) => r.caseRef === c.caseRef))).toEqual([]);
    expect(monthsBefore('2026-06-01', 12)).toBe('2025-06-01');
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
  });

  it('the same seed gives the same sample; another seed gives another', () => {
    expect(drawSample(CASES, inputs())).toEqual(drawSample([...CASES].reverse(), inputs()));
    const other = drawSample(CASES, inputs({ seed: 'another seed' }));
    expect(other.chosen.map((c) => c.caseRef)).not.toEqual(drawSample(CASES, inputs()).chosen.map((c) => c.caseRef));
  });

  it('a total is shared across teams in proportion to their caseloads', () => {
    const uneven = [...CASES, ...CASES.slice(0, 40).map((c) => ({ ...c, caseRef: `X-${c.caseRef}`, teamId: 'cin-north' }))];
    const { chosen } = drawSample(uneven, inputs({ size: { total: 12 }, recentAudits: [] }));
    expect(chosen).toHaveLength(12);
    expect(chosen.filter((c) => c.teamId === 'cin-north')).toHaveLength(5); // 90 of 240 cases: 4.5, and ties go to the first team
    expect(apportion(12, [90, 50, 50, 50])).toEqual([5, 3, 2, 2]);
    expect(apportion(10, [60, 30, 10])).toEqual([6, 3, 1]);
  });

  it('stratified by category, each team draws from each category in proportion', () => {
    const { chosen } = drawSample(CASES, inputs({ size: { perTeam: 8 }, stratifyByCategory: true, recentAudits: [] }));
    for (const team of TEAMS) {
      const mine = chosen.filter((c) => c.teamId === team);
      expect(mine).toHaveLength(8);
      expect(new Set(mine.map((c) => c.category)).size).toBe(4);
    }
  });

  it('sample:verify recomputes a recorded sample, and fails when any recorded input changes', () => {
    const recorded = { inputs: inputs(), ...drawSample(CASES, inputs()) };
    const list = { casesSha256: casesSha256(CASES), cases: CASES };
    expect(verifySample(list, recorded)).toEqual([]);
    expect(verifySample(list, { ...recorded, inputs: inputs({ seed: 'changed' }) })).not.toEqual([]);
    expect(verifySample(list, { ...recorded, inputs: inputs({ recentAudits: RECENT.slice(1) }) })).not.toEqual([]);
    const edited = CASES.map((c, i) => (i === 3 ? { ...c, teamId: 'cp-east' } : c));
    expect(verifySample({ ...list, cases: edited }, recorded)[0]).toMatch(/hash/);
  });
});

describe('case list decider', () => {
  const { given, itRefuses } = deciderSpec(caseListDecider);
  const record = {
    type: 'RecordCaseList' as const,
    now,
    caseListId: 'may-2026',
    fileSha256: 'f'.repeat(64),
    recordedOn: '2026-06-01',
    cases: CASES,
  };
  const recorded: CaseListRecorded = {
    type: 'CaseListRecorded',
    data: {
      caseListId: 'may-2026',
      fileSha256: 'f'.repeat(64),
      casesSha256: casesSha256(CASES),
      recordedOn: '2026-06-01',
      cases: CASES,
    },
  };
  it('a case list is recorded with the hash of its cases', () => given([]).when(record).then([recorded]));
  it("a case list records the uploaded file's name, so people choose it by name and day", () =>
    given([])
      .when({ ...record, fileName: 'open-cases-june.csv' })
      .then([{ ...recorded, data: { ...recorded.data, fileName: 'open-cases-june.csv' } }]));
  it('a case list is never changed once recorded', () => given([recorded]).when(record).thenThrows(CaseListAlreadyRecorded));
  itRefuses(
    [],
    [
      ['an empty case list is refused', { ...record, cases: [] }, CaseListEmpty],
      ['a case listed twice is refused', { ...record, cases: [CASES[0], CASES[1], CASES[0]] }, CaseListedTwice, /C-0000/],
      ['a case list cannot be dated in the future', { ...record, recordedOn: '2026-06-09' }, BusinessDateInFuture],
    ],
  );
});

describe('case sample decider', () => {
  const { given, itRefuses } = deciderSpec(sampleDecider);
  const { casesSha256: _hash, ...rest } = inputs();
  const draw: SampleCommand = {
    type: 'DrawCaseSample',
    now,
    programmeId: 'monthly-2026-06',
    programmeKnown: true,
    caseList: { casesSha256: casesSha256(CASES), cases: CASES },
    inputs: rest,
  };
  const drawn: CaseSampleDrawn = {
    type: 'CaseSampleDrawn',
    data: { programmeId: 'monthly-2026-06', inputs: inputs(), ...drawSample(CASES, inputs()) },
  };
  it('a sample records its inputs, the case list hash and each case with its reason', () => given([]).when(draw).then([drawn]));
  it('a sample is never redrawn for the same programme', () => given([drawn]).when(draw).thenThrows(SampleAlreadyDrawn));
  itRefuses(
    [],
    [
      ['a sample needs a known programme', { ...draw, programmeKnown: false }, UnknownSampleProgramme],
      ['a sample needs a recorded case list', { ...draw, caseList: null }, UnknownCaseList],
      ['a sample needs a size of at least 1', { ...draw, inputs: { ...rest, size: { perTeam: 0 } } }, SampleSizeInvalid],
      ['a sample cannot be drawn on a future day', { ...draw, inputs: { ...rest, drawnOn: '2026-07-01' } }, BusinessDateInFuture],
    ],
  );
});
