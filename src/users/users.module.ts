import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
import {
  CountUsersHandler,
  FindCredentialHandler,
  FindPrincipalByTokenHandler,
  FindTeamManagersHandler,
  GetUserHandler,
  ListUsersHandler,
} from './users.queries';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [
    UsersService,
    FindPrincipalByTokenHandler,
    ListUsersHandler,
    GetUserHandler,
    CountUsersHandler,
    FindCredentialHandler,
    FindTeamManagersHandler,
  ],
  exports: [UsersService],
})
export class UsersModule {}
