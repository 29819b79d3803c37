import { ProjectionHarness } from '@casetrail/testing';
import type { TeamEvent } from '../teams.events';
import { TeamRow, teamsProjection } from './team.projection';

describe('teams projection', () => {
  const h = ProjectionHarness.perTest(teamsProjection);

  const history: [string, TeamEvent[]][] = [
    [
      'team-cin-north',
      [{ type: 'TeamRegistered', data: { teamId: 'cin-north', name: 'CIN North', service: 'Children in need' } }],
    ],
    [
      'team-cp-east',
      [
        { type: 'TeamRegistered', data: { teamId: 'cp-east', name: 'CP East', service: 'Child protection' } },
        { type: 'TeamRenamed', data: { teamId: 'cp-east', name: 'CP East and Coast', previousName: 'CP East' } },
        { type: 'TeamClosed', data: { teamId: 'cp-east', closedOn: '2026-03-31', reason: 'Merged' } },
      ],
    ],
  ];

  it('keeps one row per team with its current name, service and status', async () => {
    for (const [stream, events] of history) await h.record(stream, events);
    await h.project();
    const rows = await h.rows(TeamRow, 'teamId');
    expect(rows.map((r) => [r.teamId, r.name, r.status, r.closedOn, r.closedReason, r.revision])).toEqual([
      ['cin-north', 'CIN North', 'open', null, null, '0'],
      ['cp-east', 'CP East and Coast', 'closed', '2026-03-31', 'Merged', '2'],
    ]);
    expect(rows[0]).toMatchObject({ registeredAt: '2026-04-01T09:00:00.000Z', registeredBy: 'user-test' });
  });

  it('replaying the same events gives the same rows', async () => {
    for (const [stream, events] of history) await h.record(stream, events);
    await h.project();
    await h.expectRebuildKeeps(() => h.rows(TeamRow, 'teamId'));
  });
});
