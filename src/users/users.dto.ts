import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ROLES, type Role } from '../shared';
import { trim } from '../core';
import { TEAM_ID, TEAM_ID_MESSAGE } from '../teams';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password';

export class RegisterUserDto {
  @ApiProperty({ example: 'Jo Smith', maxLength: 100, description: 'A member of staff (never a child or family member).' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({ type: [String], example: ['cin-north'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(TEAM_ID, { each: true, message: `each ${TEAM_ID_MESSAGE}` })
  teamIds?: string[];
}

export class ChangeUserTeamsDto {
  @ApiProperty({ type: [String], example: ['cin-north', 'cp-east'] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(TEAM_ID, { each: true, message: `each ${TEAM_ID_MESSAGE}` })
  teamIds!: string[];
}

export class IssueTokenDto {
  @ApiPropertyOptional({ example: 'office laptop', maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  label?: string;

  @ApiPropertyOptional({ example: 90, minimum: 1, maximum: 3650, description: 'Defaults to TOKEN_TTL_DAYS.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

export class ReasonDto {
  @ApiProperty({ example: 'Laptop lost', maxLength: 500 })
  @Transform(trim)
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class UserIdParam {
  @IsUUID('all', { message: 'user id must be a uuid' })
  id!: string;
}

export class UserTokenParams extends UserIdParam {
  @IsUUID('all', { message: 'token id must be a uuid' })
  tokenId!: string;
}

/** Web sign-in details. Usernames are kept lower case. */
export class SetPasswordDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._@-]{2,59}$/, {
    message: 'username must be 3 to 60 letters, digits or . _ @ - (starting with a letter or digit)',
  })
  username!: string;

  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
    message: `password must be at least ${PASSWORD_MIN_LENGTH} characters (and at most ${PASSWORD_MAX_LENGTH})`,
  })
  password!: string;
}
