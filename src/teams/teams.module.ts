import { Module } from '@nestjs/common';
import { TeamsController } from './teams.controller';
import { FindTeamsHandler, GetTeamHandler, ListTeamsHandler } from './teams.queries';

@Module({
  controllers: [TeamsController],
  providers: [ListTeamsHandler, GetTeamHandler, FindTeamsHandler],
})
export class TeamsModule {}
