import type { CommandBus } from '@nestjs/cqrs';
import { oneEventDecider } from '@casetrail/testing';
import { systemContext } from './command-context';
import { commandHandlerFor, newIdFor } from './command-handler-for';
import { DecideCommand } from './decide.command';

type Rename = { type: 'RenameTeam'; now: string; teamId: string; name: string };
const teamDecider = oneEventDecider('team', 'TeamRenamed', ({ teamId, name }: Rename) => ({ teamId, name }));
const teamStreamId = (teamId: string): string => `team-${teamId}`;

describe('commandHandlerFor', () => {
  it('sends the command to the one generic handler, on the stream the binding names from the command', async () => {
    const sent: unknown[] = [];
    const bus = { execute: (command: unknown) => (sent.push(command), Promise.resolve('result')) } as unknown as CommandBus;
    const teams = commandHandlerFor(teamDecider, (c) => teamStreamId(c.teamId));
    const context = systemContext('test');
    const command = { type: 'RenameTeam' as const, now: context.now, teamId: 'cin-north', name: 'Children in need (north)' };

    await expect(teams.send(bus, command, context)).resolves.toBe('result');

    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(DecideCommand);
    expect(sent[0]).toMatchObject({ decider: teamDecider, streamId: 'team-cin-north', command, context });
  });
});

describe('newIdFor', () => {
  it('a retried command (same command id) names the same record; another kind or another command, another one', () => {
    const first = newIdFor({ commandId: 'user-1:key-1' }, 'audit');
    expect(newIdFor({ commandId: 'user-1:key-1' }, 'audit')).toBe(first);
    expect(newIdFor({ commandId: 'user-1:key-1' }, 'audit-action')).not.toBe(first);
    expect(newIdFor({ commandId: 'user-1:key-2' }, 'audit')).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('commandHandlerFor check', () => {
  it('sends the same command as a check only, after the events given, and answers the events it would append', async () => {
    const sent: DecideCommand[] = [];
    const bus = {
      execute: (command: DecideCommand) => {
        sent.push(command);
        return Promise.resolve({ events: [{ eventId: '', type: 'TeamRenamed', data: { teamId: 'cin-north', name: 'N' } }] });
      },
    } as unknown as CommandBus;
    const teams = commandHandlerFor(teamDecider, (c) => teamStreamId(c.teamId));
    const context = systemContext('test');
    const command = { type: 'RenameTeam' as const, now: context.now, teamId: 'cin-north', name: 'N' };
    const after = [{ type: 'TeamRenamed', data: { teamId: 'cin-north', name: 'M' } }];

    await expect(teams.check(bus, command, context, after)).resolves.toEqual([
      { type: 'TeamRenamed', data: { teamId: 'cin-north', name: 'N' } },
    ]);
    expect(sent[0]).toMatchObject({ streamId: 'team-cin-north', command, context, checkOnly: { after } });
  });
});
