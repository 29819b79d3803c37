import { Module } from '@nestjs/common';
import { TeamsController } from './teams.http';
import { FindTeamsHandler, GetTeamHandler, ListTeamsHandler } from './teams.queries';
import { TeamUseCases } from './teams.use-cases';

@Module({
  controllers: [TeamsController],
  providers: [TeamUseCases, ListTeamsHandler, GetTeamHandler, FindTeamsHandler],
  exports: [TeamUseCases],
})
export class TeamsModule {}
