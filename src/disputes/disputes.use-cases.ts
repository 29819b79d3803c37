import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { dayOf, financialYearStart, fold, type LocalDate, conflict, ruleBroken } from '@casetrail/kernel';
import type { Principal } from '../shared';
import type { VisibleRecords } from '../auth';
import { CurrentCalendarQuery } from '../calendar';
import { businessToday, type CommandContext, commandHandlerFor, newIdFor, type DecideResult, ContextUseCases } from '../core';
import { FindTeamsQuery } from '../teams';
import { stageDueOn } from './dispute-clock';
import { disputeProtocolDecider, INFORMAL_STAGE } from './dispute-protocol.decider';
import type { DisputeStats } from './dispute-stats';
import { disputeDecider } from './dispute.decider';
import type {
  CafcassReferralDto,
  DisputeIdParam,
  EscalateDisputeDto,
  ListDisputesParams,
  ListGoodPracticeAlertsParams,
  OnParams,
  RaiseDisputeDto,
  RaiseGoodPracticeAlertDto,
  RecordDisputeResponseDto,
  ReopenDisputeDto,
  ResolveDisputeDto,
  StatsParams,
  TeamIdParam,
} from './disputes.dto';
import {
  DISPUTE_PROTOCOL_STREAM,
  disputeStreamId,
  goodPracticeAlertStreamId,
  type DisputeProtocol,
  type DisputeProtocolPublished,
  type DisputeStage,
} from './disputes.events';
import {
  DisputeStatsQuery,
  GetDisputeQuery,
  ListDisputeProtocolsQuery,
  ListDisputesQuery,
  ListGoodPracticeAlertsQuery,
  type DisputeSummaryView,
  type DisputeView,
} from './disputes.queries';
import { goodPracticeAlertDecider } from './good-practice-alert.decider';
import type { DisputeProtocolRow } from './projections/dispute-protocol.projection';
import type { GoodPracticeAlertRow } from './projections/good-practice-alert.projection';

export class UnknownTeam extends ruleBroken(
  'UNKNOWN_TEAM',
  (teamId: string) => `There is no team "${teamId}". Register the team first.`,
) {}
export class TeamClosedForDisputes extends conflict(
  'TEAM_CLOSED',
  (teamId: string) => `Team "${teamId}" is closed; raise it with the team that now holds the child's case.`,
) {}
export class NoDisputeProtocol extends conflict(
  'NO_DISPUTE_PROTOCOL',
  () => 'No dispute-resolution protocol has been published yet; an administrator must publish one first.',
) {}

/** What POST /disputes answers: the recorded result plus the DR's id, stage and first due date. */
export interface RaisedDispute extends DecideResult {
  disputeId: string;
  stage: string;
  dueOn: LocalDate;
  protocolVersion: number;
}

const disputes = commandHandlerFor(disputeDecider, (c) => disputeStreamId(c.disputeId));
const protocols = commandHandlerFor(disputeProtocolDecider, () => DISPUTE_PROTOCOL_STREAM);
const alerts = commandHandlerFor(goodPracticeAlertDecider, (c) => goodPracticeAlertStreamId(c.alertId));

/** Today, or the day of asAt when the request reads as at an instant. */
const today = (): LocalDate => businessToday();

/** The team must exist and be open for a new DR or alert. */
async function assertOpenTeam(queries: QueryBus, teamId: string): Promise<void> {
  const [team] = await queries.execute(new FindTeamsQuery([teamId]));
  if (!team) throw new UnknownTeam(teamId);
  if (team.status !== 'open') throw new TeamClosedForDisputes(teamId);
}

/** The dispute-resolution protocols: each publication is a new version; DRs keep the one they started under. */
@Injectable()
export class DisputeProtocolUseCases extends ContextUseCases {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    super();
  }

  publish(body: { stages: DisputeStage[]; formalTargetWorkingDays: number }, context: CommandContext): Promise<DecideResult> {
    return this.send(
      protocols,
      {
        type: 'PublishDisputeProtocol',
        stages: body.stages.map(({ key, title, respondentRole, responseWorkingDays }) => ({
          key,
          title,
          respondentRole,
          responseWorkingDays,
        })),
        formalTargetWorkingDays: body.formalTargetWorkingDays,
      },
      context,
    );
  }

  list(): Promise<DisputeProtocolRow[]> {
    return this.queries.execute(new ListDisputeProtocolsQuery());
  }

  /** The protocol in force, read from its stream, so a new DR never takes a version a projection lags behind. */
  async current(): Promise<DisputeProtocol> {
    const history: DisputeProtocolPublished[] = [];
    for await (const event of this.store.readStream(DISPUTE_PROTOCOL_STREAM))
      history.push(event as unknown as DisputeProtocolPublished);
    const latest = fold(disputeProtocolDecider, history).versions.at(-1);
    if (!latest) throw new NoDisputeProtocol();
    return latest;
  }
}

/**
 * Dispute resolution (DRs): the team must exist and be open, and a new DR takes the current
 * protocol. Input is already validated (the DTOs); ids are derived from the command id.
 */
@Injectable()
export class DisputeUseCases extends ContextUseCases {
  constructor(private readonly protocols: DisputeProtocolUseCases) {
    super();
  }

  async raise(body: RaiseDisputeDto, context: CommandContext): Promise<RaisedDispute> {
    await assertOpenTeam(this.queries, body.teamId);
    const protocol = await this.protocols.current();
    // A retry with the same Idempotency-Key must not raise a second DR: derive the id from the key.
    const disputeId = newIdFor(context, 'dispute');
    const result = await this.send(
      disputes,
      {
        type: 'RaiseDispute',
        disputeId,
        childRef: body.childRef,
        teamId: body.teamId,
        raisedBy: context.actorId,
        raisedOn: body.raisedOn ?? dayOf(context.now),
        category: body.category,
        summary: body.summary,
        desiredOutcome: body.desiredOutcome,
        stage: body.stage ?? INFORMAL_STAGE,
        protocol,
      },
      context,
    );
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

  escalate({ id }: DisputeIdParam, body: EscalateDisputeDto, context: CommandContext): Promise<DecideResult> {
    const escalatedOn = body.escalatedOn ?? dayOf(context.now);
    return this.send(
      disputes,
      { type: 'EscalateDispute', disputeId: id, toStage: body.toStage, reason: body.reason, escalatedOn },
      context,
    );
  }

  respond(
    { id }: DisputeIdParam,
    body: RecordDisputeResponseDto,
    context: CommandContext,
    principal: Principal,
  ): Promise<DecideResult> {
    return this.send(
      disputes,
      {
        type: 'RecordDisputeResponse',
        disputeId: id,
        stage: body.stage,
        respondentId: context.actorId,
        respondentName: body.respondentName,
        respondedOn: body.respondedOn ?? dayOf(context.now),
        response: body.response,
        satisfactory: body.satisfactory,
        actor: { role: principal.role, teamIds: principal.teamIds },
      },
      context,
    );
  }

  resolve({ id }: DisputeIdParam, body: ResolveDisputeDto, context: CommandContext): Promise<DecideResult> {
    const resolvedOn = body.resolvedOn ?? dayOf(context.now);
    return this.send(
      disputes,
      { type: 'ResolveDispute', disputeId: id, resolvedOn, outcome: body.outcome, note: body.note },
      context,
    );
  }

  reopen({ id }: DisputeIdParam, body: ReopenDisputeDto, context: CommandContext): Promise<DecideResult> {
    const reopenedOn = body.reopenedOn ?? dayOf(context.now);
    return this.send(disputes, { type: 'ReopenDispute', disputeId: id, reopenedOn, reason: body.reason }, context);
  }

  referToCafcass({ id }: DisputeIdParam, body: CafcassReferralDto, context: CommandContext): Promise<DecideResult> {
    const referredOn = body.referredOn ?? dayOf(context.now);
    return this.send(disputes, { type: 'ReferDisputeToCafcass', disputeId: id, referredOn, reason: body.reason }, context);
  }

  stats(params: StatsParams, visible: VisibleRecords | null): Promise<DisputeStats> {
    const to = params.to ?? today();
    const from = params.from ?? `${financialYearStart(to)}-04-01`;
    return this.queries.execute(new DisputeStatsQuery(from, to, params.teamId, visible));
  }

  list(params: ListDisputesParams, visible: VisibleRecords | null): Promise<DisputeSummaryView[]> {
    const overdue = params.overdue === undefined ? undefined : params.overdue === 'true';
    const filter = { teamId: params.teamId, status: params.status, overdue, on: params.on ?? today() };
    return this.queries.execute(new ListDisputesQuery(filter, visible));
  }

  get({ id }: DisputeIdParam, { on }: OnParams, visible: VisibleRecords | null): Promise<DisputeView> {
    return this.queries.execute(new GetDisputeQuery(id, on ?? today(), visible));
  }

  /** A team's open DRs on `on`, with stage, due date and overdue flag. */
  openForTeam({ teamId }: TeamIdParam, { on }: OnParams, visible: VisibleRecords | null): Promise<DisputeSummaryView[]> {
    return this.queries.execute(new ListDisputesQuery({ teamId, status: 'open', on: on ?? today() }, visible));
  }
}

/** Good-practice alerts: praise for a team's work on a child's case. */
@Injectable()
export class GoodPracticeAlertUseCases extends ContextUseCases {
  async raise(body: RaiseGoodPracticeAlertDto, context: CommandContext): Promise<DecideResult & { alertId: string }> {
    await assertOpenTeam(this.queries, body.teamId);
    const alertId = newIdFor(context, 'good-practice-alert');
    const result = await this.send(
      alerts,
      {
        type: 'RaiseGoodPracticeAlert',
        alertId,
        childRef: body.childRef,
        teamId: body.teamId,
        raisedBy: context.actorId,
        raisedOn: body.raisedOn ?? dayOf(context.now),
        summary: body.summary,
      },
      context,
    );
    return { alertId, ...result };
  }

  list({ teamId }: ListGoodPracticeAlertsParams, visible: VisibleRecords | null): Promise<GoodPracticeAlertRow[]> {
    return this.queries.execute(new ListGoodPracticeAlertsQuery(teamId, visible));
  }
}
