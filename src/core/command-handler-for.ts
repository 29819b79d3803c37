import type { CommandBus } from '@nestjs/cqrs';
import type { Decider, DomainEvent } from '@casetrail/kernel';
import type { CommandContext } from './command-context';
import { DecideCommand, deterministicUuid, type DecideResult } from './decide.command';

/** A decider bound to its stream naming: what a use case sends its commands through. */
export interface CommandHandlerFor<C extends { type: string; now: string }> {
  readonly decider: Decider<C, DomainEvent, unknown>;
  /** The stream a command is decided on, named from the command itself (`audit-<auditId>`). */
  readonly streamIdOf: (command: C) => string;
  /**
   * Runs the command through the one generic handler (DecideCommandHandler): read the stream, fold,
   * decide, append with the expected revision. A retry under the same command id appends nothing.
   */
  send(commands: CommandBus, command: C, context: CommandContext): Promise<DecideResult>;
}

/**
 * Binds a decider to its stream naming once, so no use case can send a command to another
 * aggregate's stream: `const audits = commandHandlerFor(auditDecider, (c) => auditStreamId(c.auditId))`,
 * then `audits.send(this.commands, command, context)`. The command type comes from the decider.
 */
export function commandHandlerFor<C extends { type: string; now: string }, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  streamIdOf: (command: C) => string,
): CommandHandlerFor<C> {
  const bound = decider as unknown as Decider<C, DomainEvent, unknown>;
  return {
    decider: bound,
    streamIdOf,
    send: (commands, command, context) =>
      commands.execute<DecideCommand<C>, DecideResult>(new DecideCommand(bound, streamIdOf(command), command, context)),
  };
}

/**
 * The one way to make a new id (a record, an action, an event): derived from the command id and
 * what it names, so a retried request (same Idempotency-Key) names the same thing and appends nothing.
 */
export const newIdFor = (context: Pick<CommandContext, 'commandId'>, kind: string): string =>
  deterministicUuid(context.commandId, kind);
