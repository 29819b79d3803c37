import { Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';

/** The base of a context's use cases: what they send their commands and queries through. */
export abstract class ContextUseCases {
  @Inject(CommandBus) protected readonly commands!: CommandBus;
  @Inject(QueryBus) protected readonly queries!: QueryBus;
}
