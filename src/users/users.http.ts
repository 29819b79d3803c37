import { Body, Param, Req } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ApiController, Ctx, type CommandContext, type DecideResult, CommandRoute, ChangeRoute, QueryRoute } from '../core';
import type { SignedInRequest } from '../auth';
import { ChangeUserTeamsDto, IssueTokenDto, ReasonDto, RegisterUserDto, UserIdParam, UserTokenParams } from './users.dto';
import { UserUseCases, type IssuedToken } from './users.use-cases';
import { UserRow, UserTokenRow } from './projections/user.projection';

class IssuedTokenView {
  @ApiProperty() userId!: string;
  @ApiProperty() tokenId!: string;
  @ApiProperty({ description: 'Shown once: keep it safe. Send it as "Authorization: Bearer <token>".' }) token!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty() position!: string;
}

class UserWithTokensView extends UserRow {
  @ApiProperty({ type: [UserTokenRow], description: 'Token hashes are never shown.' }) tokens!: UserTokenRow[];
}

@ApiController('users', 'api/v1/users')
export class UsersController {
  constructor(private readonly users: UserUseCases) {}

  @CommandRoute({
    type: IssuedTokenView,
    description: 'The new user and their first token.',
    unprocessable: 'A team is not registered.',
  })
  register(@Body() body: RegisterUserDto, @Ctx() context: CommandContext): Promise<IssuedToken> {
    return this.users.registerWithToken(body, context);
  }

  @QueryRoute({ type: [UserRow] })
  list(): Promise<UserRow[]> {
    return this.users.list();
  }

  @QueryRoute('me', { type: UserWithTokensView })
  me(@Req() request: SignedInRequest): Promise<UserRow & { tokens: UserTokenRow[] }> {
    return this.users.me(request);
  }

  @QueryRoute(':id', { type: UserWithTokensView, notFound: 'No such user.' })
  get(@Param() route: UserIdParam): Promise<UserRow & { tokens: UserTokenRow[] }> {
    return this.users.get(route);
  }

  @ChangeRoute(':id/teams', { method: 'put' })
  changeTeams(
    @Param() route: UserIdParam,
    @Body() body: ChangeUserTeamsDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.users.changeTeams(route, body, context);
  }

  @CommandRoute(':id/tokens', { type: IssuedTokenView, conflict: 'The user is deactivated.' })
  issueToken(@Param() route: UserIdParam, @Body() body: IssueTokenDto, @Ctx() context: CommandContext): Promise<IssuedToken> {
    return this.users.issueToken(route, body, context);
  }

  /** Admins revoke anyone's token; anyone may revoke their own (a lost laptop cannot wait for an admin). */
  @ChangeRoute(':id/tokens/:tokenId/revoke')
  revokeToken(@Param() route: UserTokenParams, @Body() body: ReasonDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.users.revokeToken(route, body, context);
  }

  @ChangeRoute(':id/deactivate')
  deactivate(@Param() route: UserIdParam, @Body() body: ReasonDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.users.deactivate(route, body, context);
  }
}
