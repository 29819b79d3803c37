import type { DomainEvent } from '@casetrail/kernel';

/** Stream: team-<teamId>. Event type names are stable: never rename one. */
export type TeamRegistered = DomainEvent<'TeamRegistered', { teamId: string; name: string; service: string }>;
export type TeamRenamed = DomainEvent<'TeamRenamed', { teamId: string; name: string; previousName: string }>;
export type TeamClosed = DomainEvent<'TeamClosed', { teamId: string; closedOn: string; reason: string }>;

export type TeamEvent = TeamRegistered | TeamRenamed | TeamClosed;

export const TEAM_EVENT_SCHEMA_VERSIONS: Record<TeamEvent['type'], number> = {
  TeamRegistered: 1,
  TeamRenamed: 1,
  TeamClosed: 1,
};

export const teamStreamId = (teamId: string): string => `team-${teamId}`;
