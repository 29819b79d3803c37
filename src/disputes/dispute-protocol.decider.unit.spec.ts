import { deciderSpec } from '@casetrail/testing';
import {
  DEFAULT_DISPUTE_PROTOCOL,
  disputeProtocolDecider,
  DuplicateStageKeys,
  InformalStageMustComeFirst,
  ProtocolUnchanged,
} from './dispute-protocol.decider';
import type { DisputeProtocolPublished, DisputeStage } from './disputes.events';

const now = '2026-05-11T10:00:00.000Z';
const { given } = deciderSpec(disputeProtocolDecider);
const { stages, formalTargetWorkingDays } = DEFAULT_DISPUTE_PROTOCOL;
const publish = (s: DisputeStage[], days = formalTargetWorkingDays) => ({
  type: 'PublishDisputeProtocol' as const,
  now,
  stages: s,
  formalTargetWorkingDays: days,
});
const v1: DisputeProtocolPublished = { type: 'DisputeProtocolPublished', data: { version: 1, stages, formalTargetWorkingDays } };

describe('dispute protocol decider', () => {
  it('the first publication is version 1', () => given([]).when(publish(stages)).then([v1]));

  it('each new publication is the next version', () =>
    given([v1])
      .when(publish(stages, 15))
      .then([{ type: 'DisputeProtocolPublished', data: { version: 2, stages, formalTargetWorkingDays: 15 } }]));

  it('a protocol starts with the informal stage', () =>
    given([])
      .when(publish(stages.slice(1)))
      .thenThrows(InformalStageMustComeFirst));

  it('a protocol has at least one formal stage after the informal one', () =>
    given([])
      .when(publish(stages.slice(0, 1)))
      .thenThrows(InformalStageMustComeFirst));

  it('each stage has its own key', () =>
    given([])
      .when(publish([...stages, stages[1]]))
      .thenThrows(DuplicateStageKeys, /stage-1/));

  it('publishing the same protocol again is refused', () =>
    given([v1])
      .when(publish(stages))
      .thenThrows(ProtocolUnchanged, /version 1/));
});
