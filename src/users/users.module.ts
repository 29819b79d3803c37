import { Module } from '@nestjs/common';
import { UsersController } from './users.http';
import {
  CountUsersHandler,
  FindCredentialHandler,
  FindPrincipalByTokenHandler,
  FindTeamManagersHandler,
  GetUserHandler,
  ListUsersHandler,
} from './users.queries';
import { UserUseCases } from './users.use-cases';

@Module({
  controllers: [UsersController],
  providers: [
    UserUseCases,
    FindPrincipalByTokenHandler,
    ListUsersHandler,
    GetUserHandler,
    CountUsersHandler,
    FindCredentialHandler,
    FindTeamManagersHandler,
  ],
  exports: [UserUseCases],
})
export class UsersModule {}
