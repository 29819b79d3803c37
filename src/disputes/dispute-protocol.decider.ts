import { deciderOf, ruleBroken } from '@casetrail/kernel';
import {
  DISPUTE_PROTOCOL_EVENT_SCHEMA_VERSIONS,
  type DisputeProtocol,
  type DisputeProtocolPublished,
  type DisputeStage,
} from './disputes.events';

export type DisputeProtocolCommand = {
  type: 'PublishDisputeProtocol';
  now: string;
  stages: DisputeStage[];
  formalTargetWorkingDays: number;
};

/** Every version ever published, oldest first; the last is the one new DRs start under. */
export interface DisputeProtocolState {
  versions: DisputeProtocol[];
}

export const INFORMAL_STAGE = 'informal';

/** The common local protocol (IRO Handbook 6.2 as quoted by councils): published at first start. */
export const DEFAULT_DISPUTE_PROTOCOL: Omit<DisputeProtocol, 'version'> = {
  stages: [
    { key: 'informal', title: 'Informal alert', respondentRole: 'social worker / team manager', responseWorkingDays: 5 },
    { key: 'stage-1', title: 'Stage 1', respondentRole: 'team manager', responseWorkingDays: 5 },
    { key: 'stage-2', title: 'Stage 2', respondentRole: 'head of service', responseWorkingDays: 5 },
    { key: 'stage-3', title: 'Stage 3', respondentRole: 'assistant director', responseWorkingDays: 5 },
    { key: 'stage-4', title: 'Stage 4', respondentRole: 'director of children’s services', responseWorkingDays: 5 },
  ],
  formalTargetWorkingDays: 20,
};

export class InformalStageMustComeFirst extends ruleBroken(
  'INFORMAL_STAGE_FIRST',
  () => `A protocol starts with the "${INFORMAL_STAGE}" stage and has at least one formal stage after it.`,
) {}
export class DuplicateStageKeys extends ruleBroken(
  'DUPLICATE_STAGE_KEYS',
  (keys: string[]) => `Each stage needs its own key; repeated: ${keys.join(', ')}.`,
) {}
export class ProtocolUnchanged extends ruleBroken(
  'PROTOCOL_UNCHANGED',
  (version: number) => `This is the same as the current protocol (version ${version}); nothing to publish.`,
) {}

const sameProtocol = (a: Omit<DisputeProtocol, 'version'>, b: Omit<DisputeProtocol, 'version'>): boolean =>
  a.formalTargetWorkingDays === b.formalTargetWorkingDays &&
  a.stages.length === b.stages.length &&
  a.stages.every((s, i) => {
    const t = b.stages[i];
    return (
      s.key === t.key &&
      s.title === t.title &&
      s.respondentRole === t.respondentRole &&
      s.responseWorkingDays === t.responseWorkingDays
    );
  });

export const disputeProtocolDecider = deciderOf<DisputeProtocolCommand, DisputeProtocolPublished, DisputeProtocolState>({
  name: 'dispute protocol',
  initialState: { versions: [] },
  schemaVersions: DISPUTE_PROTOCOL_EVENT_SCHEMA_VERSIONS,

  decide: {
    PublishDisputeProtocol(command, state) {
      const { stages, formalTargetWorkingDays } = command;
      if (stages.length < 2 || stages[0].key !== INFORMAL_STAGE) throw new InformalStageMustComeFirst();
      const keys = stages.map((s) => s.key);
      const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
      if (repeated.length) throw new DuplicateStageKeys([...new Set(repeated)]);
      const current = state.versions.at(-1);
      if (current && sameProtocol(current, command)) throw new ProtocolUnchanged(current.version);
      const version = (current?.version ?? 0) + 1;
      return [{ type: 'DisputeProtocolPublished', data: { version, stages, formalTargetWorkingDays } }];
    },
  },

  evolve: {
    DisputeProtocolPublished: (state, event) => ({ versions: [...state.versions, event.data] }),
  },
});
