import { startUpRecord } from '../core';
import { DEFAULT_DISPUTE_PROTOCOL, ProtocolUnchanged } from './dispute-protocol.decider';
import { DisputeProtocolUseCases } from './disputes.use-cases';

/** The fixed command id of the default protocol: a restart, or a second instance, appends nothing. */
export const DEFAULT_PROTOCOL_COMMAND_ID = 'dispute-protocol:default:v1';

/** Publishes the default protocol once, ever, when a server starts (see recordAtStartUp). */
export const defaultProtocolAtStartUp = startUpRecord('Disputes', DisputeProtocolUseCases, (protocols) => ({
  commandId: DEFAULT_PROTOCOL_COMMAND_ID,
  record: (context) => protocols.publish(DEFAULT_DISPUTE_PROTOCOL, context),
  // Someone already published the same stages by hand.
  unchanged: ProtocolUnchanged,
  recorded: 'Published the default dispute-resolution protocol (version 1).',
}));
