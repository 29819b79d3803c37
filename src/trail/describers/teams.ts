import { day, reason, words, type EventDescriber } from './words';

/** Stream team-<teamId> (src/teams/teams.events.ts). */
export const TEAM_DESCRIBERS: Record<string, EventDescriber> = {
  TeamRegistered: (d, c) => `${c.entity}: registered as "${words(d.name)}" (${words(d.service)}) by ${c.actor}`,
  TeamRenamed: (d, c) => `${c.entity}: renamed from "${words(d.previousName)}" to "${words(d.name)}" by ${c.actor}`,
  TeamClosed: (d, c) => `${c.entity}: closed on ${day(d.closedOn)} by ${c.actor}${reason(d)}`,
};
