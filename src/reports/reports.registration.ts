import type { AccessRegistration } from '../auth';
import { stateFolder, type ContextRegistration } from '../core';
import { periodDecider } from './period.decider';
import { PERIOD_STREAM_PREFIX } from './quarters';

/** What the reports context registers with the platform (src/contexts.ts): its quarters' streams. */
export const REPORTS_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'reports',
  streams: { [PERIOD_STREAM_PREFIX]: stateFolder(periodDecider) },
};
