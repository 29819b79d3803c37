import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  type ValidationArguments,
} from 'class-validator';
import { ROLES, type Role } from '../shared';
import { ChoiceField, IsText, Required, TextField, trim } from '../core';
import { TEAM_ID, teamIdMessage } from '../teams';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password';

export class RegisterUserDto {
  @ApiProperty({ example: 'Jo Smith', maxLength: 100, description: 'A member of staff (never a child or family member).' })
  @Transform(trim)
  @Required('Enter the person’s name')
  @IsText('Name', 100)
  name!: string;

  @ChoiceField(ROLES, 'Choose a role')
  role!: Role;

  @ApiPropertyOptional({ type: [String], example: ['cin-north'] })
  @IsOptional()
  @IsArray({ message: 'Teams must be a list of team codes' })
  @ArrayMaxSize(50, { message: 'Choose 50 teams or fewer' })
  @Matches(TEAM_ID, { each: true, message: teamIdMessage('Each team') })
  teamIds?: string[];
}

export class ChangeUserTeamsDto {
  @ApiProperty({ type: [String], example: ['cin-north', 'cp-east'] })
  @Required('Choose the teams', { emptyAllowed: true })
  @IsArray({ message: 'Teams must be a list of team codes' })
  @ArrayMaxSize(50, { message: 'Choose 50 teams or fewer' })
  @Matches(TEAM_ID, { each: true, message: teamIdMessage('Each team') })
  teamIds!: string[];
}

export class IssueTokenDto {
  @ApiPropertyOptional({ example: 'office laptop', maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsText('Name', 100)
  label?: string;

  @ApiPropertyOptional({ example: 90, minimum: 1, maximum: 3650, description: 'Defaults to TOKEN_TTL_DAYS.' })
  @IsOptional()
  @IsInt({ message: 'Days until it expires must be a whole number' })
  @Min(1, { message: 'Days until it expires must be 1 or more' })
  @Max(3650, { message: 'Days until it expires must be 3650 or fewer' })
  expiresInDays?: number;
}

export class ReasonDto {
  @TextField('Laptop lost', { name: 'Reason', enter: 'Enter a reason' }, 500)
  reason!: string;
}

export class UserIdParam {
  @IsUUID('all', { message: 'User id must be the id of a person (a UUID) in this service' })
  id!: string;
}

export class UserTokenParams extends UserIdParam {
  @IsUUID('all', { message: 'Token id must be the id of a token (a UUID) in this service' })
  tokenId!: string;
}

/** Web sign-in details. Usernames are kept lower case. */
export class SetPasswordDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Required('Enter a username')
  @IsString({ message: 'Username must be text' })
  @Matches(/^[a-z0-9][a-z0-9._@-]{2,59}$/, {
    message: 'Username must be 3 to 60 characters: letters, numbers or . _ @ - (starting with a letter or number)',
  })
  username!: string;

  @Required('Enter a password')
  @IsString({ message: 'Password must be text' })
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
    message: ({ value }: ValidationArguments) =>
      typeof value === 'string' && value.length > PASSWORD_MAX_LENGTH
        ? `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`
        : `Password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  })
  password!: string;
}
