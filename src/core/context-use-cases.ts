import { Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { CommandContext } from './command-context';
import type { CommandHandlerFor } from './command-handler-for';
import type { DecideResult } from './decide.command';

/** A command as a use case writes it: every member of the union without its `now`, which the context gives. */
export type CommandInput<C> = C extends unknown ? Omit<C, 'now'> : never;

/** The base of a context's use cases: what they send their commands and queries through. */
export abstract class ContextUseCases {
  @Inject(CommandBus) protected readonly commands!: CommandBus;
  @Inject(QueryBus) protected readonly queries!: QueryBus;

  /**
   * Sends a command through its bound handler, issued at the request's instant (`context.now`):
   * `this.send(teams, { type: 'RenameTeam', teamId, name }, context)`. The same as
   * `teams.send(this.commands, { type: 'RenameTeam', now: context.now, teamId, name }, context)`.
   */
  protected send<C extends { type: string; now: string }>(
    handler: CommandHandlerFor<C>,
    command: NoInfer<CommandInput<C>>,
    context: CommandContext,
  ): Promise<DecideResult> {
    // `type` and `now` first, as the commands were always written (the key order is kept).
    const { type, ...rest } = command as { type: string };
    return handler.send(this.commands, { type, now: context.now, ...rest } as unknown as C, context);
  }
}
