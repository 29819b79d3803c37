import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDay, trim } from '../core';
import { IsIn, IsNotEmpty, IsOptional, IsString, Length, Matches } from 'class-validator';

export const TEAM_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
export const TEAM_ID_MESSAGE = 'teamId must be 2-40 lower-case letters, digits or hyphens, starting with a letter or digit';

export class RegisterTeamDto {
  @ApiProperty({ example: 'cin-north', description: 'Stable id: 2-40 lower-case letters, digits or hyphens.' })
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId!: string;

  @ApiProperty({ example: 'Children in Need North', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: 'Children in need', maxLength: 100, description: 'The service the team belongs to.' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  service!: string;
}

export class RenameTeamDto {
  @ApiProperty({ example: 'Children in Need North and East', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class CloseTeamDto {
  @ApiProperty({ example: 'Merged into CIN East', maxLength: 500 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @Length(1, 500)
  reason!: string;

  @ApiPropertyOptional({ example: '2026-05-01', description: 'Day the team closed (YYYY-MM-DD); defaults to today.' })
  @IsOptional()
  @IsDay('closedOn')
  closedOn?: string;
}

export class TeamIdParam {
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  id!: string;
}

export class ListTeamsParams {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Include closed teams (default false).' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeClosed?: 'true' | 'false';
}

/** A route naming a team as `:teamId`: the contexts that answer for one team (its audits, DRs, actions) share it. */
export class TeamRouteParam {
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId!: string;
}
