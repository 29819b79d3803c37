import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_MODE, type AppMode, recordAtStartUp } from '../core';
import { DEFAULT_DISPUTE_PROTOCOL, ProtocolUnchanged } from './dispute-protocol.decider';
import { DisputeProtocolUseCases } from './disputes.use-cases';

/** The fixed command id of the default protocol: a restart, or a second instance, appends nothing. */
export const DEFAULT_PROTOCOL_COMMAND_ID = 'dispute-protocol:default:v1';

/** Publishes the default protocol once, ever, at start-up: the fixed command id makes every later attempt a replay. */
@Injectable()
export class DefaultDisputeProtocolPublisher implements OnApplicationBootstrap {
  private readonly logger = new Logger('Disputes');

  constructor(
    private readonly protocols: DisputeProtocolUseCases,
    @Inject(APP_MODE) private readonly mode: AppMode,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return recordAtStartUp(this.mode, this.logger, {
      commandId: DEFAULT_PROTOCOL_COMMAND_ID,
      record: (context) => this.protocols.publish(DEFAULT_DISPUTE_PROTOCOL, context),
      // Someone already published the same stages by hand.
      unchanged: ProtocolUnchanged,
      recorded: 'Published the default dispute-resolution protocol (version 1).',
    });
  }
}
