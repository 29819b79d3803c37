import { deciderSpec } from '@casetrail/testing';
import {
  ClosingDateInFuture,
  TeamAlreadyClosed,
  TeamAlreadyRegistered,
  TeamNameUnchanged,
  TeamNotFound,
  teamDecider,
} from './team.decider';
import type { TeamEvent } from './teams.events';

const now = '2026-05-11T10:00:00.000Z';
const registered: TeamEvent = {
  type: 'TeamRegistered',
  data: { teamId: 'cin-north', name: 'CIN North', service: 'Children in need' },
};
const closed: TeamEvent = { type: 'TeamClosed', data: { teamId: 'cin-north', closedOn: '2026-05-01', reason: 'Merged' } };
const { given } = deciderSpec(teamDecider);

describe('team decider', () => {
  it('a new team is registered', () =>
    given([])
      .when({ type: 'RegisterTeam', now, teamId: 'cin-north', name: 'CIN North', service: 'Children in need' })
      .then([registered]));

  it('a team id cannot be registered twice', () =>
    given([registered])
      .when({ type: 'RegisterTeam', now, teamId: 'cin-north', name: 'Other', service: 'CP' })
      .thenThrows(TeamAlreadyRegistered, /already registered/));

  it('a renamed team records its previous name', () =>
    given([registered])
      .when({ type: 'RenameTeam', now, teamId: 'cin-north', name: 'CIN North and East' })
      .then([{ type: 'TeamRenamed', data: { teamId: 'cin-north', name: 'CIN North and East', previousName: 'CIN North' } }]));

  it('only a registered team can be renamed', () =>
    given([]).when({ type: 'RenameTeam', now, teamId: 'cin-north', name: 'X' }).thenThrows(TeamNotFound));

  it('renaming to the current name is refused', () =>
    given([registered]).when({ type: 'RenameTeam', now, teamId: 'cin-north', name: 'CIN North' }).thenThrows(TeamNameUnchanged));

  it('a team is closed on a date with a reason', () =>
    given([registered])
      .when({ type: 'CloseTeam', now, teamId: 'cin-north', closedOn: '2026-05-01', reason: 'Merged' })
      .then([closed]));

  it('a team cannot be closed on a future date', () =>
    given([registered])
      .when({ type: 'CloseTeam', now, teamId: 'cin-north', closedOn: '2026-05-12', reason: 'Merging' })
      .thenThrows(ClosingDateInFuture));

  it('only a registered team can be closed', () =>
    given([])
      .when({ type: 'CloseTeam', now, teamId: 'cin-north', closedOn: '2026-05-01', reason: 'x' })
      .thenThrows(TeamNotFound));

  it('a closed team cannot be closed again', () =>
    given([registered, closed])
      .when({ type: 'CloseTeam', now, teamId: 'cin-north', closedOn: '2026-05-02', reason: 'again' })
      .thenThrows(TeamAlreadyClosed, /closed on 1 May 2026/));

  it('a closed team cannot be renamed', () =>
    given([registered, closed])
      .when({ type: 'RenameTeam', now, teamId: 'cin-north', name: 'New' })
      .thenThrows(TeamAlreadyClosed));
});
