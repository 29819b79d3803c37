/** Case lists and case samples: two small aggregates, each decided from its own stream. */
import { assertNotInFuture, deciderOf, conflict, ruleBroken } from '@casetrail/kernel';
import { casesSha256, drawSample } from './draw-sample';
import {
  CASE_LIST_EVENT_SCHEMA_VERSIONS,
  SAMPLE_EVENT_SCHEMA_VERSIONS,
  type CaseListEvent,
  type ListedCase,
  type SampleEvent,
  type SampleInputs,
} from './sampling.events';

// ---- errors ------------------------------------------------------------------------------------------
export class CaseListAlreadyRecorded extends conflict(
  'CASE_LIST_ALREADY_RECORDED',
  (caseListId: string) => `Case list ${caseListId} is already recorded; a case list is never changed (upload a new one).`,
) {}
export class CaseListEmpty extends ruleBroken(
  'CASE_LIST_EMPTY',
  () => 'The case list has no cases: a sample needs cases to draw from.',
) {}
export class CaseListedTwice extends ruleBroken(
  'CASE_LISTED_TWICE',
  (caseRef: string) => `Case ${caseRef} is listed twice; each open case appears once in a case list.`,
) {}
export class SampleAlreadyDrawn extends conflict(
  'SAMPLE_ALREADY_DRAWN',
  (programmeId: string) =>
    `A sample is already drawn for programme ${programmeId}; a sample is never redrawn (no cherry-picking).`,
) {}
export class UnknownCaseList extends ruleBroken(
  'UNKNOWN_CASE_LIST',
  (caseListId: string) => `There is no case list ${caseListId}; upload the case list first.`,
) {}
export class UnknownSampleProgramme extends ruleBroken(
  'UNKNOWN_PROGRAMME',
  (programmeId: string) => `There is no audit programme ${programmeId}; create the programme first.`,
) {}
export class SampleSizeInvalid extends ruleBroken(
  'SAMPLE_SIZE_INVALID',
  () => 'Say how many cases to sample: a number per team, or a total shared across teams (at least 1).',
) {}

// ---- case lists --------------------------------------------------------------------------------------
export type CaseListCommand = {
  type: 'RecordCaseList';
  now: string;
  caseListId: string;
  fileSha256: string;
  /** The uploaded file's name, when known: recorded so that people choose a list by name and day. */
  fileName?: string;
  recordedOn: string;
  cases: ListedCase[];
};
export type CaseListState = { recorded: false } | { recorded: true; casesSha256: string; cases: ListedCase[] };

export const caseListDecider = deciderOf<CaseListCommand, CaseListEvent, CaseListState>({
  name: 'case list',
  initialState: { recorded: false },
  schemaVersions: CASE_LIST_EVENT_SCHEMA_VERSIONS,
  evolve: {
    CaseListRecorded: (_state, event) => ({ recorded: true, casesSha256: event.data.casesSha256, cases: event.data.cases }),
  },
  decide: {
    RecordCaseList(command, state) {
      if (state.recorded) throw new CaseListAlreadyRecorded(command.caseListId);
      if (!command.cases.length) throw new CaseListEmpty();
      assertNotInFuture('recordedOn', command.recordedOn, command.now);
      const seen = new Set<string>();
      for (const c of command.cases) {
        if (seen.has(c.caseRef)) throw new CaseListedTwice(c.caseRef);
        seen.add(c.caseRef);
      }
      return [
        {
          type: 'CaseListRecorded',
          data: {
            caseListId: command.caseListId,
            fileSha256: command.fileSha256,
            ...(command.fileName ? { fileName: command.fileName } : {}),
            casesSha256: casesSha256(command.cases),
            recordedOn: command.recordedOn,
            cases: command.cases,
          },
        },
      ];
    },
  },
});

// ---- samples -----------------------------------------------------------------------------------------
export type SampleCommand = {
  type: 'DrawCaseSample';
  now: string;
  programmeId: string;
  /** Facts looked up by the use case: the programme exists; the case list as recorded (null: none). */
  programmeKnown: boolean;
  caseList: { casesSha256: string; cases: ListedCase[] } | null;
  inputs: Omit<SampleInputs, 'casesSha256'>;
};
export type SampleState = { drawn: boolean };

export const sampleDecider = deciderOf<SampleCommand, SampleEvent, SampleState>({
  name: 'case sample',
  initialState: { drawn: false },
  schemaVersions: SAMPLE_EVENT_SCHEMA_VERSIONS,
  evolve: {
    CaseSampleDrawn: () => ({ drawn: true }),
  },
  decide: {
    DrawCaseSample(command, state) {
      if (state.drawn) throw new SampleAlreadyDrawn(command.programmeId);
      if (!command.programmeKnown) throw new UnknownSampleProgramme(command.programmeId);
      if (!command.caseList) throw new UnknownCaseList(command.inputs.caseListId);
      const size = 'perTeam' in command.inputs.size ? command.inputs.size.perTeam : command.inputs.size.total;
      if (!Number.isInteger(size) || size < 1) throw new SampleSizeInvalid();
      assertNotInFuture('drawnOn', command.inputs.drawnOn, command.now);
      const inputs: SampleInputs = { ...command.inputs, casesSha256: command.caseList.casesSha256 };
      const { chosen, excluded } = drawSample(command.caseList.cases, inputs);
      return [{ type: 'CaseSampleDrawn', data: { programmeId: command.programmeId, inputs, chosen, excluded } }];
    },
  },
});
