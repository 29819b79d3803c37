import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '../shared';
import { ApiCommand, ApiSignedIn, Ctx, type CommandContext, type DecideResult, DecideResultView } from '../core';
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

@ApiTags('users')
@ApiSignedIn()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UserUseCases) {}

  @Post()
  @ApiCommand()
  @ApiCreatedResponse({ type: IssuedTokenView, description: 'The new user and their first token.' })
  @ApiUnprocessableEntityResponse({ description: 'A team is not registered.' })
  register(@Body() body: RegisterUserDto, @Ctx() context: CommandContext): Promise<IssuedToken> {
    return this.users.registerWithToken(body, context);
  }

  @Get()
  @ApiOkResponse({ type: [UserRow] })
  list(): Promise<UserRow[]> {
    return this.users.list();
  }

  @Get('me')
  @ApiOkResponse({ type: UserWithTokensView })
  me(@Req() request: Request & { principal: Principal }): Promise<UserRow & { tokens: UserTokenRow[] }> {
    return this.users.me(request);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserWithTokensView })
  @ApiNotFoundResponse({ description: 'No such user.' })
  get(@Param() route: UserIdParam): Promise<UserRow & { tokens: UserTokenRow[] }> {
    return this.users.get(route);
  }

  @Put(':id/teams')
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  changeTeams(
    @Param() route: UserIdParam,
    @Body() body: ChangeUserTeamsDto,
    @Ctx() context: CommandContext,
  ): Promise<DecideResult> {
    return this.users.changeTeams(route, body, context);
  }

  @Post(':id/tokens')
  @ApiCommand()
  @ApiCreatedResponse({ type: IssuedTokenView })
  @ApiConflictResponse({ description: 'The user is deactivated.' })
  issueToken(@Param() route: UserIdParam, @Body() body: IssueTokenDto, @Ctx() context: CommandContext): Promise<IssuedToken> {
    return this.users.issueToken(route, body, context);
  }

  /** Admins revoke anyone's token; anyone may revoke their own (a lost laptop cannot wait for an admin). */
  @Post(':id/tokens/:tokenId/revoke')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  revokeToken(@Param() route: UserTokenParams, @Body() body: ReasonDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.users.revokeToken(route, body, context);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiCommand()
  @ApiOkResponse({ type: DecideResultView })
  deactivate(@Param() route: UserIdParam, @Body() body: ReasonDto, @Ctx() context: CommandContext): Promise<DecideResult> {
    return this.users.deactivate(route, body, context);
  }
}
