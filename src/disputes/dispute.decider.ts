import {
  assertNotInFuture,
  recordDeciderOf,
  existingRecord,
  dataOf,
  onlyWhen,
  type LocalDate,
  notFound,
  conflict,
  ruleBroken,
  dayInWords,
} from '@casetrail/kernel';
import {
  DISPUTE_EVENT_SCHEMA_VERSIONS,
  type DisputeEvent,
  type DisputeOutcome,
  type DisputeProtocol,
  type DisputeRaised,
} from './disputes.events';

/** The caller, for rules that depend on who they are (a team manager answers for their own teams only). */
export interface DisputeActor {
  role: string;
  teamIds: string[];
}

export type DisputeCommand =
  | ({ type: 'RaiseDispute'; now: string } & DisputeRaised['data'])
  | { type: 'EscalateDispute'; now: string; disputeId: string; toStage: string; escalatedOn: LocalDate; reason: string }
  | {
      type: 'RecordDisputeResponse';
      now: string;
      disputeId: string;
      /** Defaults to the stage the DR is at. */
      stage?: string;
      respondentId: string;
      respondentName?: string;
      respondedOn: LocalDate;
      response: string;
      satisfactory?: boolean;
      actor: DisputeActor;
    }
  | { type: 'ResolveDispute'; now: string; disputeId: string; resolvedOn: LocalDate; outcome: DisputeOutcome; note: string }
  | { type: 'ReopenDispute'; now: string; disputeId: string; reopenedOn: LocalDate; reason: string }
  | { type: 'ReferDisputeToCafcass'; now: string; disputeId: string; referredOn: LocalDate; reason: string };

interface StageEntry {
  key: string;
  enteredOn: LocalDate;
  responded: boolean;
}

export type DisputeState =
  | { status: 'none' }
  | {
      status: 'open' | 'resolved';
      disputeId: string;
      teamId: string;
      raisedOn: LocalDate;
      protocol: DisputeProtocol;
      /** Stages in the order entered; the last is the current one. */
      entered: StageEntry[];
      resolvedOn?: LocalDate;
      reopenedOn?: LocalDate;
      referredToCafcassOn?: LocalDate;
    };
type ExistingDispute = Extract<DisputeState, { status: 'open' | 'resolved' }>;

export class DisputeAlreadyRaised extends conflict(
  'DISPUTE_ALREADY_RAISED',
  (disputeId: string) => `A dispute resolution with the id ${disputeId} has already been raised.`,
) {}
export class DisputeNotFound extends notFound(
  'DISPUTE_NOT_FOUND',
  (disputeId: string) => `There is no dispute resolution ${disputeId} (or it belongs to a team that is not yours).`,
) {}
export class UnknownStage extends ruleBroken(
  'UNKNOWN_STAGE',
  (stage: string, protocol: DisputeProtocol) =>
    `The protocol this DR follows (version ${protocol.version}) has no stage "${stage}"; its stages are ${protocol.stages.map((s) => s.key).join(', ')}.`,
) {}
export class EscalationNotUpwards extends ruleBroken(
  'ESCALATION_NOT_UPWARDS',
  (current: string, toStage: string, higher: string[]) =>
    higher.length
      ? `A DR only escalates upwards: it is at ${current}, so it can go to ${higher.join(' or ')}, not ${toStage}.`
      : `This DR is already at the last stage (${current}); it cannot be escalated further.`,
) {}
export class DisputeIsResolved extends conflict(
  'DISPUTE_RESOLVED',
  (resolvedOn: LocalDate) =>
    `This DR was resolved on ${dayInWords(resolvedOn)}; nothing can be added to it unless it is reopened.`,
) {}
export class DisputeNotResolved extends conflict(
  'DISPUTE_NOT_RESOLVED',
  () => 'This DR is still open; only a resolved DR can be reopened.',
) {}
export class StageNotEntered extends ruleBroken(
  'STAGE_NOT_ENTERED',
  (stage: string) => `This DR never reached ${stage}, so there is no response to record for it.`,
) {}
export class ResponseAlreadyRecorded extends conflict(
  'RESPONSE_ALREADY_RECORDED',
  (stage: string) => `A response has already been recorded for ${stage}.`,
) {}
export class AlreadyReferredToCafcass extends conflict(
  'ALREADY_REFERRED_TO_CAFCASS',
  (referredOn: LocalDate) => `This DR was already referred to Cafcass on ${dayInWords(referredOn)}.`,
) {}
export class DateBeforeDisputeRaised extends ruleBroken(
  'DATE_BEFORE_DISPUTE_RAISED',
  (field: string, date: LocalDate, raisedOn: LocalDate) =>
    `${field} ${dayInWords(date)} is before the DR was raised (${dayInWords(raisedOn)}).`,
) {}
export class DateBeforePreviousStep extends ruleBroken(
  'DATE_BEFORE_PREVIOUS_STEP',
  (field: string, date: LocalDate, step: string, stepOn: LocalDate) =>
    `${field} ${dayInWords(date)} is before ${step} (${dayInWords(stepOn)}); steps are recorded in the order they happened.`,
) {}

const existing = (state: DisputeState, disputeId: string): ExistingDispute =>
  existingRecord(state, () => new DisputeNotFound(disputeId));

function open(state: DisputeState, disputeId: string): ExistingDispute {
  const dispute = existing(state, disputeId);
  if (dispute.status === 'resolved') throw new DisputeIsResolved(dispute.resolvedOn ?? dispute.raisedOn);
  return dispute;
}

/** A business date: not more than a day ahead, not before the DR, not before the step it follows. */
function assertDate(
  field: string,
  date: LocalDate,
  now: string,
  dispute: ExistingDispute,
  after?: { step: string; on: LocalDate },
): void {
  assertNotInFuture(field, date, now);
  if (date < dispute.raisedOn) throw new DateBeforeDisputeRaised(field, date, dispute.raisedOn);
  if (after && date < after.on) throw new DateBeforePreviousStep(field, date, after.step, after.on);
}

const stageIndex = (protocol: DisputeProtocol, key: string): number => protocol.stages.findIndex((s) => s.key === key);
const current = (dispute: ExistingDispute): StageEntry => dispute.entered[dispute.entered.length - 1];

/** The latest of the current stage's start and the last reopening: later steps may not come before it. */
function lastStep(dispute: ExistingDispute): { step: string; on: LocalDate } {
  const stage = current(dispute);
  if (dispute.reopenedOn && dispute.reopenedOn > stage.enteredOn) return { step: 'the reopening', on: dispute.reopenedOn };
  return { step: `the start of ${stage.key}`, on: stage.enteredOn };
}

const onceRecorded = onlyWhen((state: DisputeState): state is ExistingDispute => state.status !== 'none');

export const disputeDecider = recordDeciderOf<DisputeCommand, DisputeEvent, DisputeState>(
  'dispute',
  DISPUTE_EVENT_SCHEMA_VERSIONS,
  {
    alreadyExists: { RaiseDispute: (command) => new DisputeAlreadyRaised(command.disputeId) },

    decide: {
      RaiseDispute(command) {
        if (stageIndex(command.protocol, command.stage) < 0) throw new UnknownStage(command.stage, command.protocol);
        assertNotInFuture('raisedOn', command.raisedOn, command.now);
        return [{ type: 'DisputeRaised', data: dataOf(command) }];
      },
      EscalateDispute(command, state) {
        const dispute = open(state, command.disputeId);
        const { protocol } = dispute;
        const to = stageIndex(protocol, command.toStage);
        if (to < 0) throw new UnknownStage(command.toStage, protocol);
        const from = stageIndex(protocol, current(dispute).key);
        if (to <= from) {
          const higher = protocol.stages.slice(from + 1).map((s) => s.key);
          throw new EscalationNotUpwards(current(dispute).key, command.toStage, higher);
        }
        assertDate('escalatedOn', command.escalatedOn, command.now, dispute, lastStep(dispute));
        const { disputeId, toStage, escalatedOn, reason } = command;
        // The IRO may bypass stages: the ones skipped are recorded, so reports show them.
        const bypassed = protocol.stages.slice(from + 1, to).map((s) => s.key);
        return [
          {
            type: 'DisputeEscalated',
            data: { disputeId, fromStage: current(dispute).key, toStage, escalatedOn, reason, bypassed },
          },
        ];
      },
      RecordDisputeResponse(command, state) {
        const dispute = existing(state, command.disputeId);
        // A team manager sees only their teams' DRs: to them, any other DR does not exist.
        if (command.actor.role === 'team-manager' && !command.actor.teamIds.includes(dispute.teamId)) {
          throw new DisputeNotFound(command.disputeId);
        }
        open(state, command.disputeId);
        const stage = command.stage ?? current(dispute).key;
        if (stageIndex(dispute.protocol, stage) < 0) throw new UnknownStage(stage, dispute.protocol);
        const entry = dispute.entered.find((e) => e.key === stage);
        if (!entry) throw new StageNotEntered(stage);
        if (entry.responded) throw new ResponseAlreadyRecorded(stage);
        assertDate('respondedOn', command.respondedOn, command.now, dispute, {
          step: `the start of ${stage}`,
          on: entry.enteredOn,
        });
        const { disputeId, respondentId, respondentName, respondedOn, response, satisfactory } = command;
        return [
          {
            type: 'DisputeResponseRecorded',
            data: {
              disputeId,
              stage,
              respondentId,
              ...(respondentName === undefined ? {} : { respondentName }),
              respondedOn,
              response,
              ...(satisfactory === undefined ? {} : { satisfactory }),
            },
          },
        ];
      },
      ResolveDispute(command, state) {
        const dispute = open(state, command.disputeId);
        assertDate('resolvedOn', command.resolvedOn, command.now, dispute, lastStep(dispute));
        const { disputeId, resolvedOn, outcome, note } = command;
        const resolvedEvent: DisputeEvent = { type: 'DisputeResolved', data: { disputeId, resolvedOn, outcome, note } };
        // Ending the local process with a referral to Cafcass records the referral too (unless already made).
        if (outcome === 'referred-to-cafcass' && !dispute.referredToCafcassOn) {
          return [
            resolvedEvent,
            {
              type: 'DisputeReferredToCafcass',
              data: { disputeId, referredOn: resolvedOn, reason: note, afterLocalProcess: true },
            },
          ];
        }
        return [resolvedEvent];
      },
      ReopenDispute(command, state) {
        const dispute = existing(state, command.disputeId);
        if (dispute.status !== 'resolved') throw new DisputeNotResolved();
        assertDate('reopenedOn', command.reopenedOn, command.now, dispute, {
          step: 'the resolution',
          on: dispute.resolvedOn ?? dispute.raisedOn,
        });
        const { disputeId, reopenedOn, reason } = command;
        return [{ type: 'DisputeReopened', data: { disputeId, reopenedOn, reason } }];
      },
      ReferDisputeToCafcass(command, state) {
        // Alongside the local process, at any stage (it does not close the DR), or after it has ended.
        const dispute = existing(state, command.disputeId);
        if (dispute.referredToCafcassOn) throw new AlreadyReferredToCafcass(dispute.referredToCafcassOn);
        assertDate('referredOn', command.referredOn, command.now, dispute);
        const { disputeId, referredOn, reason } = command;
        const resolvedOn = dispute.status === 'resolved' ? dispute.resolvedOn : undefined;
        if (resolvedOn !== undefined && referredOn >= resolvedOn) {
          return [{ type: 'DisputeReferredToCafcass', data: { disputeId, referredOn, reason, afterLocalProcess: true } }];
        }
        return [{ type: 'DisputeReferredToCafcass', data: { disputeId, referredOn, reason } }];
      },
    },

    evolve: {
      DisputeRaised(_state, event) {
        const { disputeId, teamId, raisedOn, protocol, stage } = event.data;
        return {
          status: 'open',
          disputeId,
          teamId,
          raisedOn,
          protocol,
          entered: [{ key: stage, enteredOn: raisedOn, responded: false }],
        };
      },
      DisputeEscalated: onceRecorded((state, event) => ({
        ...state,
        entered: [...state.entered, { key: event.data.toStage, enteredOn: event.data.escalatedOn, responded: false }],
      })),
      DisputeResponseRecorded: onceRecorded((state, event) => ({
        ...state,
        entered: state.entered.map((e) => (e.key === event.data.stage ? { ...e, responded: true } : e)),
      })),
      DisputeResolved: onceRecorded((state, event) => ({ ...state, status: 'resolved', resolvedOn: event.data.resolvedOn })),
      DisputeReopened: onceRecorded((state, event) => ({ ...state, status: 'open', reopenedOn: event.data.reopenedOn })),
      DisputeReferredToCafcass: onceRecorded((state, event) => ({ ...state, referredToCafcassOn: event.data.referredOn })),
    },
  },
);
