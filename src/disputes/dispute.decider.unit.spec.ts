import { BusinessDateInFuture } from '@casetrail/kernel';
import { deciderSpec } from '@casetrail/testing';
import { DEFAULT_DISPUTE_PROTOCOL } from './dispute-protocol.decider';
import {
  AlreadyReferredToCafcass,
  DateBeforeDisputeRaised,
  DateBeforePreviousStep,
  DisputeAlreadyRaised,
  disputeDecider,
  DisputeIsResolved,
  DisputeNotFound,
  DisputeNotResolved,
  EscalationNotUpwards,
  ResponseAlreadyRecorded,
  StageNotEntered,
  UnknownStage,
  type DisputeCommand,
} from './dispute.decider';
import type { DisputeEvent, DisputeProtocol, DisputeRaised } from './disputes.events';

const now = '2020-06-01T10:00:00.000Z';
const protocol: DisputeProtocol = { version: 1, ...DEFAULT_DISPUTE_PROTOCOL };
const disputeId = '6f1c1c1e-0000-4000-8000-000000000001';

const raiseCommand: Extract<DisputeCommand, { type: 'RaiseDispute' }> = {
  type: 'RaiseDispute',
  now,
  disputeId,
  childRef: 'C-1001',
  teamId: 'lac-1',
  raisedBy: 'iro-1',
  raisedOn: '2020-05-04',
  category: 'matching',
  summary: 'Long-term match with the foster carers has drifted for 14 months.',
  desiredOutcome: 'Matching assessment to panel by the next review.',
  stage: 'informal',
  protocol,
};
const { type: _t, now: _n, ...raisedData } = raiseCommand;
const raised: DisputeRaised = { type: 'DisputeRaised', data: raisedData };
const escalated = (fromStage: string, toStage: string, escalatedOn: string, bypassed: string[] = []): DisputeEvent => ({
  type: 'DisputeEscalated',
  data: { disputeId, fromStage, toStage, escalatedOn, reason: 'No reply', bypassed },
});
const resolved: DisputeEvent = {
  type: 'DisputeResolved',
  data: { disputeId, resolvedOn: '2020-05-20', outcome: 'resolved', note: 'Matched at panel.' },
};
const escalate = (toStage: string, escalatedOn = '2020-05-12'): DisputeCommand => ({
  type: 'EscalateDispute',
  now,
  disputeId,
  toStage,
  escalatedOn,
  reason: 'No reply',
});
const respond = (extra: Partial<Extract<DisputeCommand, { type: 'RecordDisputeResponse' }>> = {}): DisputeCommand => ({
  type: 'RecordDisputeResponse',
  now,
  disputeId,
  respondentId: 'tm-1',
  respondedOn: '2020-05-11',
  response: 'Assessment booked.',
  actor: { role: 'iro', teamIds: [] },
  ...extra,
});
const resolve = (resolvedOn = '2020-05-20'): DisputeCommand => ({
  type: 'ResolveDispute',
  now,
  disputeId,
  resolvedOn,
  outcome: 'resolved',
  note: 'Matched at panel.',
});
const refer = (referredOn = '2020-05-15'): DisputeCommand => ({
  type: 'ReferDisputeToCafcass',
  now,
  disputeId,
  referredOn,
  reason: 'Drift harms the child',
});

describe('dispute decider', () => {
  const { given } = deciderSpec(disputeDecider);

  describe('raising', () => {
    it('a DR is raised at the informal stage, keeping the protocol it started under', () =>
      given([]).when(raiseCommand).then([raised]));

    it('a DR may be raised directly at a formal stage', () =>
      given([])
        .when({ ...raiseCommand, stage: 'stage-2' })
        .then([{ type: 'DisputeRaised', data: { ...raisedData, stage: 'stage-2' } }]));

    it('a DR id is raised only once', () => given([raised]).when(raiseCommand).thenThrows(DisputeAlreadyRaised));

    it('a DR starts at a stage of its protocol', () =>
      given([])
        .when({ ...raiseCommand, stage: 'stage-9' })
        .thenThrows(UnknownStage, /informal, stage-1/));

    it('"today" is the London day: at 00:30 BST on 1 July a DR may be dated 2 July (tomorrow), not 3 July', () => {
      const lateNight = '2020-06-30T23:30:00.000Z'; // 00:30 BST on Wednesday 1 July 2020
      given([])
        .when({ ...raiseCommand, now: lateNight, raisedOn: '2020-07-02' })
        .then([{ type: 'DisputeRaised', data: { ...raisedData, raisedOn: '2020-07-02' } }]);
      given([])
        .when({ ...raiseCommand, now: lateNight, raisedOn: '2020-07-03' })
        .thenThrows(BusinessDateInFuture);
    });

    it('a DR raised more than a day in the future is refused; tomorrow is allowed', () => {
      given([])
        .when({ ...raiseCommand, raisedOn: '2020-06-03' })
        .thenThrows(BusinessDateInFuture);
      given([])
        .when({ ...raiseCommand, raisedOn: '2020-06-02' })
        .then([{ type: 'DisputeRaised', data: { ...raisedData, raisedOn: '2020-06-02' } }]);
    });
  });

  describe('escalating', () => {
    it('a DR escalates to the next stage and becomes formal', () =>
      given([raised])
        .when(escalate('stage-1'))
        .then([escalated('informal', 'stage-1', '2020-05-12')]));

    it('the IRO may bypass stages: the bypassed stages are recorded', () =>
      given([raised])
        .when(escalate('stage-3'))
        .then([escalated('informal', 'stage-3', '2020-05-12', ['stage-1', 'stage-2'])]));

    it('a DR only escalates upwards', () => {
      given([raised, escalated('informal', 'stage-2', '2020-05-12', ['stage-1'])])
        .when(escalate('stage-1', '2020-05-13'))
        .thenThrows(EscalationNotUpwards, /stage-3 or stage-4/);
      given([raised]).when(escalate('informal')).thenThrows(EscalationNotUpwards);
    });

    it('a DR at the last stage cannot be escalated further', () =>
      given([raised, escalated('informal', 'stage-4', '2020-05-12')])
        .when(escalate('stage-4', '2020-05-13'))
        .thenThrows(EscalationNotUpwards, /last stage/));

    it('a DR escalates only to a stage of its own protocol', () =>
      given([raised]).when(escalate('stage-5')).thenThrows(UnknownStage));

    it('only a raised DR can be escalated', () => given([]).when(escalate('stage-1')).thenThrows(DisputeNotFound));

    it('an escalation dated before the DR was raised is refused', () =>
      given([raised]).when(escalate('stage-1', '2020-05-01')).thenThrows(DateBeforeDisputeRaised));

    it('an escalation dated before the current stage began is refused', () =>
      given([raised, escalated('informal', 'stage-1', '2020-05-12')])
        .when(escalate('stage-2', '2020-05-11'))
        .thenThrows(DateBeforePreviousStep, /start of stage-1/));

    it('an escalation dated more than a day ahead is refused', () =>
      given([raised]).when(escalate('stage-1', '2020-06-05')).thenThrows(BusinessDateInFuture));
  });

  describe('responses', () => {
    /** The informal stage's answer as `respond()` records it by default. */
    const responseRecorded = (
      data: Partial<Extract<DisputeEvent, { type: 'DisputeResponseRecorded' }>['data']> = {},
    ): DisputeEvent => ({
      type: 'DisputeResponseRecorded',
      data: {
        disputeId,
        stage: 'informal',
        respondentId: 'tm-1',
        respondedOn: '2020-05-11',
        response: 'Assessment booked.',
        ...data,
      },
    });
    it('a response is recorded for the current stage by default', () =>
      given([raised])
        .when(respond({ satisfactory: false }))
        .then([responseRecorded({ satisfactory: false })]));

    it('a late response to an earlier stage can still be recorded', () =>
      given([raised, escalated('informal', 'stage-1', '2020-05-12')])
        .when(respond({ stage: 'informal', respondedOn: '2020-05-13', respondentName: 'J. Patel, team manager' }))
        .then([responseRecorded({ respondentName: 'J. Patel, team manager', respondedOn: '2020-05-13' })]));

    it('a stage the DR never reached (or bypassed) has no response to record', () =>
      given([raised, escalated('informal', 'stage-2', '2020-05-12', ['stage-1'])])
        .when(respond({ stage: 'stage-1', respondedOn: '2020-05-13' }))
        .thenThrows(StageNotEntered));

    it('a stage is answered once', () =>
      given([
        raised,
        {
          type: 'DisputeResponseRecorded',
          data: { disputeId, stage: 'informal', respondentId: 'x', respondedOn: '2020-05-05', response: 'ok' },
        },
      ])
        .when(respond())
        .thenThrows(ResponseAlreadyRecorded));

    it("a team manager records responses for their own teams' DRs only", () => {
      given([raised])
        .when(respond({ actor: { role: 'team-manager', teamIds: ['cin-north'] } }))
        .thenThrows(DisputeNotFound);
      given([raised])
        .when(respond({ actor: { role: 'team-manager', teamIds: ['cin-north', 'lac-1'] } }))
        .then([responseRecorded()]);
    });

    it('a response dated before its stage began is refused', () =>
      given([raised, escalated('informal', 'stage-1', '2020-05-12')])
        .when(respond({ respondedOn: '2020-05-11' }))
        .thenThrows(DateBeforePreviousStep));
  });

  describe('resolution and reopening', () => {
    it('a DR is resolved with an outcome and a note', () => given([raised]).when(resolve()).then([resolved]));

    it('nothing can happen to a resolved DR except reopening it or referring it to Cafcass', () => {
      given([raised, resolved])
        .when(escalate('stage-1', '2020-05-21'))
        .thenThrows(DisputeIsResolved, /20 May 2020/);
      given([raised, resolved]).when(respond()).thenThrows(DisputeIsResolved);
      given([raised, resolved]).when(resolve('2020-05-21')).thenThrows(DisputeIsResolved);
    });

    it('a DR may end unresolved', () =>
      given([raised])
        .when({ ...resolve(), outcome: 'unresolved', note: 'No agreement at stage 4.' } as DisputeCommand)
        .then([
          {
            type: 'DisputeResolved',
            data: { disputeId, resolvedOn: '2020-05-20', outcome: 'unresolved', note: 'No agreement at stage 4.' },
          },
        ]));

    it('a DR ended by a referral to Cafcass after the local process records the referral too', () => {
      const command = { ...resolve(), outcome: 'referred-to-cafcass', note: 'Local process exhausted.' } as DisputeCommand;
      given([raised])
        .when(command)
        .then([
          {
            type: 'DisputeResolved',
            data: { disputeId, resolvedOn: '2020-05-20', outcome: 'referred-to-cafcass', note: 'Local process exhausted.' },
          },
          {
            type: 'DisputeReferredToCafcass',
            data: { disputeId, referredOn: '2020-05-20', reason: 'Local process exhausted.', afterLocalProcess: true },
          },
        ]);
      // Already referred alongside the local process: the referral is not recorded twice.
      given([raised, { type: 'DisputeReferredToCafcass', data: { disputeId, referredOn: '2020-05-15', reason: 'x' } }])
        .when(command)
        .then([
          {
            type: 'DisputeResolved',
            data: { disputeId, resolvedOn: '2020-05-20', outcome: 'referred-to-cafcass', note: 'Local process exhausted.' },
          },
        ]);
    });

    it('a resolution dated before the DR was raised is refused', () =>
      given([raised]).when(resolve('2020-05-01')).thenThrows(DateBeforeDisputeRaised));

    it('a resolution dated more than a day ahead is refused', () =>
      given([raised]).when(resolve('2020-06-03')).thenThrows(BusinessDateInFuture));

    it('a resolved DR is reopened with a reason, and can then be escalated', () => {
      const reopen: DisputeCommand = {
        type: 'ReopenDispute',
        now,
        disputeId,
        reopenedOn: '2020-05-22',
        reason: 'Match broke down',
      };
      const reopened: DisputeEvent = {
        type: 'DisputeReopened',
        data: { disputeId, reopenedOn: '2020-05-22', reason: 'Match broke down' },
      };
      given([raised, resolved]).when(reopen).then([reopened]);
      given([raised, resolved, reopened])
        .when(escalate('stage-1', '2020-05-22'))
        .then([escalated('informal', 'stage-1', '2020-05-22')]);
      given([raised, resolved, reopened])
        .when(escalate('stage-1', '2020-05-21'))
        .thenThrows(DateBeforePreviousStep, /reopening/);
    });

    it('only a resolved DR can be reopened', () =>
      given([raised])
        .when({ type: 'ReopenDispute', now, disputeId, reopenedOn: '2020-05-22', reason: 'x' })
        .thenThrows(DisputeNotResolved));

    it('a reopening dated before the resolution is refused', () =>
      given([raised, resolved])
        .when({ type: 'ReopenDispute', now, disputeId, reopenedOn: '2020-05-19', reason: 'x' })
        .thenThrows(DateBeforePreviousStep, /resolution/));
  });

  describe('Cafcass referral', () => {
    it('a DR may be referred to Cafcass at any stage, and stays open', () => {
      given([raised])
        .when(refer())
        .then([
          { type: 'DisputeReferredToCafcass', data: { disputeId, referredOn: '2020-05-15', reason: 'Drift harms the child' } },
        ]);
      const referred: DisputeEvent = {
        type: 'DisputeReferredToCafcass',
        data: { disputeId, referredOn: '2020-05-15', reason: 'x' },
      };
      given([raised, escalated('informal', 'stage-3', '2020-05-12'), referred])
        .when(escalate('stage-4', '2020-05-18'))
        .then([escalated('stage-3', 'stage-4', '2020-05-18')]);
    });

    it('a DR is referred to Cafcass once', () =>
      given([raised, { type: 'DisputeReferredToCafcass', data: { disputeId, referredOn: '2020-05-15', reason: 'x' } }])
        .when(refer('2020-05-16'))
        .thenThrows(AlreadyReferredToCafcass, /15 May 2020/));

    it('a resolved DR may be referred to Cafcass after the local process has ended', () => {
      given([raised, resolved])
        .when(refer('2020-05-21'))
        .then([
          {
            type: 'DisputeReferredToCafcass',
            data: { disputeId, referredOn: '2020-05-21', reason: 'Drift harms the child', afterLocalProcess: true },
          },
        ]);
      // Recorded late, but made while the local process was still going on.
      given([raised, resolved])
        .when(refer('2020-05-15'))
        .then([
          { type: 'DisputeReferredToCafcass', data: { disputeId, referredOn: '2020-05-15', reason: 'Drift harms the child' } },
        ]);
    });

    it('a referral dated before the DR was raised is refused', () =>
      given([raised]).when(refer('2020-04-30')).thenThrows(DateBeforeDisputeRaised));
  });
});
