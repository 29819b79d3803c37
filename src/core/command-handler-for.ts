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
  /**
   * The same, appending nothing: decides on the stream as recorded followed by `after` (what earlier
   * checked commands of the same record would append) and answers the events the command would
   * append; a broken rule throws its typed error, as send does. An import's dry run and first pass.
   * A command already recorded under its command id answers the recorded events, as a retry would.
   */
  check(commands: CommandBus, command: C, context: CommandContext, after?: DomainEvent[]): Promise<DomainEvent[]>;
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
    check: async (commands, command, context, after = []) => {
      const result = await commands.execute<DecideCommand<C>, DecideResult>(
        new DecideCommand(bound, streamIdOf(command), command, context, { after }),
      );
      return result.events.map(({ type, data }) => ({ type, data }) as DomainEvent);
    },
  };
}

/**
 * The one way to make a new id (a record, an action, an event): derived from the command id and
 * what it names, so a retried request (same Idempotency-Key) names the same thing and appends nothing.
 */
export const newIdFor = (context: Pick<CommandContext, 'commandId'>, kind: string): string =>
  deterministicUuid(context.commandId, kind);
