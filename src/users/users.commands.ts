import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ROLES, type Role } from '../auth/principal';
import { TEAM_ID } from '../teams/teams.commands';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

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
  @Matches(TEAM_ID, { each: true, message: 'each team id must be 2-40 lower-case letters, digits or hyphens' })
  teamIds?: string[];
}

export class ChangeUserTeamsDto {
  @ApiProperty({ type: [String], example: ['cin-north', 'cp-east'] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(TEAM_ID, { each: true, message: 'each team id must be 2-40 lower-case letters, digits or hyphens' })
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
