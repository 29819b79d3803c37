import type { AccessRegistration } from './auth';
import { AUDITS_CONTEXT } from './audits';
import { CALENDAR_CONTEXT } from './calendar';
import { Platform, type ContextRegistration, type PlatformOptions } from './core';
import { DISPUTES_CONTEXT } from './disputes';
import { IMPACT_CONTEXT } from './impact';
import { ALL_MIGRATIONS } from './migrations';
import { openProtectedEventStore, PERSONAL_DATA } from './personal-data';
import { PLANS_CONTEXT } from './improvement';
import { REPORTS_CONTEXT } from './reports';
import { SAMPLING_CONTEXT } from './sampling';
import { TEAMS_CONTEXT } from './teams';
import { TRAIL_CONTEXT } from './trail';
import { USERS_CONTEXT } from './users';

/**
 * The composition root's list of what each context registers (its read models, upcasters, store
 * checks, record kinds, tokens): the platform (core, auth) knows the contexts only through this.
 * Projections run in this order. Add a new context's registration here.
 */
export const CONTEXTS: readonly (ContextRegistration & AccessRegistration)[] = [
  TEAMS_CONTEXT,
  USERS_CONTEXT,
  AUDITS_CONTEXT,
  CALENDAR_CONTEXT,
  DISPUTES_CONTEXT,
  PLANS_CONTEXT,
  IMPACT_CONTEXT,
  REPORTS_CONTEXT,
  SAMPLING_CONTEXT,
  TRAIL_CONTEXT,
  PERSONAL_DATA,
];

export const PLATFORM_OPTIONS: PlatformOptions = {
  contexts: CONTEXTS,
  migrations: ALL_MIGRATIONS,
  openEventStore: openProtectedEventStore,
};

/** Every read model and table of the application, as the running app has them (migrations, benchmarks). */
export const PLATFORM = new Platform(PLATFORM_OPTIONS);
