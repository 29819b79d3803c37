import type { AccessRegistration } from './auth/access-registration';
import { AUDITS_CONTEXT } from './audits/audits.registration';
import { CALENDAR_CONTEXT } from './calendar/calendar.registration';
import { Platform, type ContextRegistration, type PlatformOptions } from './core/platform';
import { DISPUTES_CONTEXT } from './disputes/disputes.registration';
import { ALL_MIGRATIONS } from './migrations';
import { openProtectedEventStore } from './personal-data/protected-event-store';
import { PERSONAL_DATA } from './personal-data/personal-data.registration';
import { PLANS_CONTEXT } from './plans/plans.registration';
import { TEAMS_CONTEXT } from './teams/teams.registration';
import { TRAIL_CONTEXT } from './trail/trail.registration';
import { USERS_CONTEXT } from './users/users.registration';

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
