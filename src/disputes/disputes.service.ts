import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { ConflictError, dayOf, fold, RuleBrokenError, type LocalDate } from '@casetrail/kernel';
import {
  systemContext,
  type CommandContext,
  DecideCommand,
  deterministicUuid,
  type DecideResult,
  APP_MODE,
  type AppMode,
} from '../core';
import { CurrentCalendarQuery } from '../calendar';
import { FindTeamsQuery } from '../teams';
import { stageDueOn } from './dispute-clock';
import {
  DEFAULT_DISPUTE_PROTOCOL,
  disputeProtocolDecider,
  INFORMAL_STAGE,
  ProtocolUnchanged,
  type DisputeProtocolCommand,
} from './dispute-protocol.decider';
import { disputeDecider, type DisputeCommand } from './disputes.decider';
import {
  DISPUTE_PROTOCOL_STREAM,
  disputeStreamId,
  goodPracticeAlertStreamId,
  type DisputeCategory,
  type DisputeProtocol,
  type DisputeProtocolPublished,
  type DisputeStage,
} from './disputes.events';
import { goodPracticeAlertDecider } from './good-practice-alert.decider';

export class UnknownTeam extends RuleBrokenError {
  readonly code = 'UNKNOWN_TEAM';
  constructor(teamId: string) {
    super(`There is no team "${teamId}". Register the team first.`);
  }
}
export class TeamClosedForDisputes extends ConflictError {
  readonly code = 'TEAM_CLOSED';
  constructor(teamId: string) {
    super(`Team "${teamId}" is closed; raise it with the team that now holds the child's case.`);
  }
}
export class NoDisputeProtocol extends ConflictError {
  readonly code = 'NO_DISPUTE_PROTOCOL';
  constructor() {
    super('No dispute-resolution protocol has been published yet; an administrator must publish one first.');
  }
}

/** What POST /disputes answers: the recorded result plus the DR's id, stage and first due date. */
export interface RaisedDispute extends DecideResult {
  disputeId: string;
  stage: string;
  dueOn: LocalDate;
  protocolVersion: number;
}

/** The fixed command id of the default protocol: a restart, or a second instance, appends nothing. */
export const DEFAULT_PROTOCOL_COMMAND_ID = 'dispute-protocol:default:v1';

/**
 * DR use cases that need more than one aggregate: the team must exist and be open, and a new
 * DR takes the current protocol (read from its stream, so it never lags a projection).
 */
@Injectable()
export class DisputesService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Disputes');

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_MODE) private readonly mode: AppMode,
  ) {}

  /** Publishes the default protocol once, ever: the fixed command id makes every later attempt a replay. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.mode !== 'server') return;
    const context = { ...systemContext('system'), commandId: DEFAULT_PROTOCOL_COMMAND_ID };
    try {
      const result = await this.publishProtocol(DEFAULT_DISPUTE_PROTOCOL, context);
      if (!result.replayed) this.logger.log('Published the default dispute-resolution protocol (version 1).');
    } catch (error) {
      // Someone already published the same stages by hand: nothing to do.
      if (!(error instanceof ProtocolUnchanged)) throw error;
    }
  }

  publishProtocol(
    protocol: { stages: DisputeStage[]; formalTargetWorkingDays: number },
    context: CommandContext,
  ): Promise<DecideResult> {
    const command: DisputeProtocolCommand = {
      type: 'PublishDisputeProtocol',
      now: context.now,
      stages: protocol.stages.map(({ key, title, respondentRole, responseWorkingDays }) => ({
        key,
        title,
        respondentRole,
        responseWorkingDays,
      })),
      formalTargetWorkingDays: protocol.formalTargetWorkingDays,
    };
    return this.commands.execute(new DecideCommand(disputeProtocolDecider, DISPUTE_PROTOCOL_STREAM, command, context));
  }

  async currentProtocol(): Promise<DisputeProtocol> {
    const history: DisputeProtocolPublished[] = [];
    for await (const event of this.store.readStream(DISPUTE_PROTOCOL_STREAM))
      history.push(event as unknown as DisputeProtocolPublished);
    const latest = fold(disputeProtocolDecider, history).versions.at(-1);
    if (!latest) throw new NoDisputeProtocol();
    return latest;
  }

  async raise(
    input: {
      childRef: string;
      teamId: string;
      category: DisputeCategory;
      summary: string;
      desiredOutcome: string;
      stage?: string;
      raisedOn?: string;
    },
    context: CommandContext,
  ): Promise<RaisedDispute> {
    await this.assertOpenTeam(input.teamId);
    const protocol = await this.currentProtocol();
    // A retry with the same Idempotency-Key must not raise a second DR: derive the id from the key.
    const disputeId = deterministicUuid(context.commandId, 'dispute');
    const stage = input.stage ?? INFORMAL_STAGE;
    const raisedOn = input.raisedOn ?? dayOf(context.now);
    const command: DisputeCommand = {
      type: 'RaiseDispute',
      now: context.now,
      disputeId,
      childRef: input.childRef,
      teamId: input.teamId,
      raisedBy: context.actorId,
      raisedOn,
      category: input.category,
      summary: input.summary,
      desiredOutcome: input.desiredOutcome,
      stage,
      protocol,
    };
    const result = await this.decide(disputeId, command, context);
    // On a replay, answer from what was recorded then (the protocol may have changed since).
    const raised = result.events[0].data as { stage: string; raisedOn: string; protocol: DisputeProtocol };
    return {
      disputeId,
      ...result,
      stage: raised.stage,
      dueOn: stageDueOn(raised.protocol, raised.stage, raised.raisedOn, await this.queries.execute(new CurrentCalendarQuery())),
      protocolVersion: raised.protocol.version,
    };
  }

  decide(disputeId: string, command: DisputeCommand, context: CommandContext): Promise<DecideResult> {
    return this.commands.execute(new DecideCommand(disputeDecider, disputeStreamId(disputeId), command, context));
  }

  async raiseGoodPracticeAlert(
    input: { childRef: string; teamId: string; summary: string; raisedOn?: string },
    context: CommandContext,
  ): Promise<DecideResult & { alertId: string }> {
    await this.assertOpenTeam(input.teamId);
    const alertId = deterministicUuid(context.commandId, 'good-practice-alert');
    const result: DecideResult = await this.commands.execute(
      new DecideCommand(
        goodPracticeAlertDecider,
        goodPracticeAlertStreamId(alertId),
        {
          type: 'RaiseGoodPracticeAlert',
          now: context.now,
          alertId,
          childRef: input.childRef,
          teamId: input.teamId,
          raisedBy: context.actorId,
          raisedOn: input.raisedOn ?? dayOf(context.now),
          summary: input.summary,
        },
        context,
      ),
    );
    return { alertId, ...result };
  }

  private async assertOpenTeam(teamId: string): Promise<void> {
    const [team] = await this.queries.execute(new FindTeamsQuery([teamId]));
    if (!team) throw new UnknownTeam(teamId);
    if (team.status !== 'open') throw new TeamClosedForDisputes(teamId);
  }
}
