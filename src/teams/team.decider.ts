import { dayOf, recordDeciderOf, existingRecord, notFound, conflict, ruleBroken, dayInWords } from '@casetrail/kernel';
import { TEAM_EVENT_SCHEMA_VERSIONS, type TeamEvent } from './teams.events';

export type TeamCommand =
  | { type: 'RegisterTeam'; now: string; teamId: string; name: string; service: string }
  | { type: 'RenameTeam'; now: string; teamId: string; name: string }
  | { type: 'CloseTeam'; now: string; teamId: string; closedOn: string; reason: string };

export type TeamState =
  { status: 'none' } | { status: 'open' | 'closed'; teamId: string; name: string; service: string; closedOn?: string };

export class TeamAlreadyRegistered extends conflict(
  'TEAM_ALREADY_REGISTERED',
  (teamId: string) => `A team with the id "${teamId}" is already registered.`,
) {}
export class TeamNotFound extends notFound('TEAM_NOT_FOUND', (teamId: string) => `There is no team "${teamId}".`) {}
export class TeamAlreadyClosed extends conflict(
  'TEAM_ALREADY_CLOSED',
  (teamId: string, closedOn: string | undefined) =>
    `Team "${teamId}" was closed on ${closedOn ? dayInWords(closedOn) : 'an earlier date'}; a closed team cannot be changed.`,
) {}
export class TeamNameUnchanged extends ruleBroken(
  'TEAM_NAME_UNCHANGED',
  (name: string) => `The team is already called "${name}".`,
) {}
export class ClosingDateInFuture extends ruleBroken(
  'CLOSING_DATE_IN_FUTURE',
  (closedOn: string) => `A team cannot be recorded as closed on ${dayInWords(closedOn)}, which is in the future.`,
) {}

function openTeam(state: TeamState, teamId: string): Extract<TeamState, { status: 'open' | 'closed' }> {
  const team = existingRecord(state, () => new TeamNotFound(teamId));
  if (team.status === 'closed') throw new TeamAlreadyClosed(teamId, team.closedOn);
  return team;
}

export const teamDecider = recordDeciderOf<TeamCommand, TeamEvent, TeamState>('team', TEAM_EVENT_SCHEMA_VERSIONS, {
  alreadyExists: { RegisterTeam: (command) => new TeamAlreadyRegistered(command.teamId) },

  decide: {
    RegisterTeam(command) {
      const { teamId, name, service } = command;
      return [{ type: 'TeamRegistered', data: { teamId, name, service } }];
    },
    RenameTeam(command, state) {
      const team = openTeam(state, command.teamId);
      if (team.name === command.name) throw new TeamNameUnchanged(command.name);
      return [{ type: 'TeamRenamed', data: { teamId: command.teamId, name: command.name, previousName: team.name } }];
    },
    CloseTeam(command, state) {
      openTeam(state, command.teamId);
      // A business date: today or earlier (recording a closure that already happened is normal).
      if (command.closedOn > dayOf(command.now)) throw new ClosingDateInFuture(command.closedOn);
      const { teamId, closedOn, reason } = command;
      return [{ type: 'TeamClosed', data: { teamId, closedOn, reason } }];
    },
  },

  evolve: {
    TeamRegistered: (_state, event) => ({ status: 'open', ...event.data }),
    TeamRenamed: (state, event) => (state.status === 'none' ? state : { ...state, name: event.data.name }),
    TeamClosed: (state, event) =>
      state.status === 'none' ? state : { ...state, status: 'closed', closedOn: event.data.closedOn },
  },
});
