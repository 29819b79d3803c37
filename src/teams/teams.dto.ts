import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDay, IsText, Required, trim } from '../core';
import { IsIn, IsOptional, Matches } from 'class-validator';

export const TEAM_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
/** What a wrong team code is told, named as the field is ("Team", "Team code"). */
export const teamIdMessage = (name = 'Team'): string =>
  `${name} must be a team code: 2 to 40 lower-case letters, numbers or hyphens, like cin-north`;
export const TEAM_ID_MESSAGE = teamIdMessage();

export class RegisterTeamDto {
  @ApiProperty({ example: 'cin-north', description: 'Stable id: 2-40 lower-case letters, digits or hyphens.' })
  @Required('Enter a team code')
  @Matches(TEAM_ID, { message: teamIdMessage('Team code') })
  teamId!: string;

  @ApiProperty({ example: 'Children in Need North', maxLength: 100 })
  @Transform(trim)
  @Required('Enter a team name')
  @IsText('Team name', 100)
  name!: string;

  @ApiProperty({ example: 'Children in need', maxLength: 100, description: 'The service the team belongs to.' })
  @Transform(trim)
  @Required('Enter the service the team belongs to')
  @IsText('Service', 100)
  service!: string;
}

export class RenameTeamDto {
  @ApiProperty({ example: 'Children in Need North and East', maxLength: 100 })
  @Transform(trim)
  @Required('Enter the new team name')
  @IsText('Team name', 100)
  name!: string;
}

export class CloseTeamDto {
  @ApiProperty({ example: 'Merged into CIN East', maxLength: 500 })
  @Transform(trim)
  @Required('Enter why the team is closing')
  @IsText('Reason', 500)
  reason!: string;

  @ApiPropertyOptional({ example: '2026-05-01', description: 'Day the team closed (YYYY-MM-DD); defaults to today.' })
  @IsOptional()
  @IsDay('Date closed')
  closedOn?: string;
}

export class TeamIdParam {
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  id!: string;
}

export class ListTeamsParams {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Include closed teams (default false).' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'Include closed teams must be true or false' })
  includeClosed?: 'true' | 'false';
}

/** A route naming a team as `:teamId`: the contexts that answer for one team (its audits, DRs, actions) share it. */
export class TeamRouteParam {
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId!: string;
}
