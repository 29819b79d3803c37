import { Logger, type FactoryProvider, type Type } from '@nestjs/common';
import { systemContext, type CommandContext } from './command-context';
import type { DecideResult } from './decide.command';
import { APP_MODE, type AppMode } from './tokens';

/** What an installation starts with (the default audit framework, the default dispute protocol). */
export interface StartUpRecord {
  /** Fixed, so every start and every instance sends the same command: the first records it, the rest replay it. */
  commandId: string;
  /** Sends the command through the context's use case. */
  record: (context: CommandContext) => Promise<DecideResult>;
  /** The decider's error for "exactly this is already current" (recorded by hand, an import, a generated log): nothing to do. */
  unchanged: abstract new (...args: never[]) => Error;
  /** Logged once, when it is recorded. */
  recorded: string;
}

/**
 * Records a start-up record when a server starts (not the CLI). Idempotent: the generic handler
 * finds the fixed command id in the stream and appends nothing, and two instances racing are
 * settled by the expected revision (the loser retries and replays).
 */
export async function recordAtStartUp(mode: AppMode, logger: Logger, record: StartUpRecord): Promise<void> {
  if (mode !== 'server') return;
  try {
    const result = await record.record({ ...systemContext('system'), commandId: record.commandId });
    if (!result.replayed) logger.log(record.recorded);
  } catch (error) {
    if (!(error instanceof record.unchanged)) throw error;
  }
}

/**
 * A provider that records `what` when a server starts: `startUpRecord('AuditFrameworks',
 * AuditFrameworkUseCases, (frameworks) => ({ commandId, record: (context) => frameworks.publish(…), … }))`
 * in a module's providers. `name` names its log lines.
 */
export const startUpRecord = <U>(name: string, useCases: Type<U>, what: (useCases: U) => StartUpRecord): FactoryProvider => ({
  provide: `start-up-record:${name}`,
  inject: [useCases, APP_MODE],
  useFactory: (cases: U, mode: AppMode) => ({
    onApplicationBootstrap: () => recordAtStartUp(mode, new Logger(name), what(cases)),
  }),
});
