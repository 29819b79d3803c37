import type { CommandBus } from '@nestjs/cqrs';
import { oneEventDecider } from '@casetrail/testing';
import { type CommandContext, systemContext } from './command-context';
import { commandHandlerFor } from './command-handler-for';
import { ContextUseCases } from './context-use-cases';
import { DecideCommand } from './decide.command';

type Rename = { type: 'RenameTeam'; now: string; teamId: string; name: string };
const teamDecider = oneEventDecider('team', 'TeamRenamed', ({ teamId, name }: Rename) => ({ teamId, name }));
const teams = commandHandlerFor(teamDecider, (c) => `team-${c.teamId}`);

class TeamUseCases extends ContextUseCases {
  constructor(bus: CommandBus) {
    super();
    Object.assign(this, { commands: bus });
  }
  rename(teamId: string, name: string, context: CommandContext) {
    return this.send(teams, { type: 'RenameTeam', teamId, name }, context);
  }
}

describe('ContextUseCases.send', () => {
  it('sends the command through its bound handler, issued at the context instant, with type and now first', async () => {
    const sent: DecideCommand[] = [];
    const bus = { execute: (c: DecideCommand) => (sent.push(c), Promise.resolve('result')) } as unknown as CommandBus;
    const context = { ...systemContext('test'), now: '2026-12-06T08:00:00.000Z' };

    await expect(new TeamUseCases(bus).rename('cin-north', 'CIN North', context)).resolves.toBe('result');

    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(DecideCommand);
    expect(sent[0]).toMatchObject({ decider: teamDecider, streamId: 'team-cin-north', context });
    expect(Object.entries(sent[0].command)).toEqual([
      ['type', 'RenameTeam'],
      ['now', '2026-12-06T08:00:00.000Z'],
      ['teamId', 'cin-north'],
      ['name', 'CIN North'],
    ]);
  });
});
