import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ROLES, type Role } from '../auth/principal';
import { trim } from '../core/dto';
import { TEAM_ID, TEAM_ID_MESSAGE } from '../teams/teams.commands';

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
