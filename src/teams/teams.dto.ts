import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OptionalDay, Required, TextField, OptionalChoice } from '../core';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, Matches } from 'class-validator';

export const TEAM_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
/** What a wrong team code is told, named as the field is ("Team", "Team code"). */
export const teamIdMessage = (name = 'Team'): string =>
  `${name} must be a team code: 2 to 40 lower-case letters, numbers or hyphens, like cin-north`;
export const TEAM_ID_MESSAGE = teamIdMessage();

/** An optional team filter: only that team's records (`options`: the docs' example and description). */
export const TeamFilter = (options: { example?: string; description?: string } = {}): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional(options), IsOptional(), Matches(TEAM_ID, { message: TEAM_ID_MESSAGE }));

/** The team a record is for, chosen on the form ("Choose a team"). */
export const TeamField = (example: string): PropertyDecorator =>
  applyDecorators(ApiProperty({ example }), Required('Choose a team'), Matches(TEAM_ID, { message: TEAM_ID_MESSAGE }));

/** The teams a record covers, chosen on the form: at least one, at most `max`, each once. */
export const TeamsField = (example: string[], max: number): PropertyDecorator =>
  // Listed bottom-up, so the validators register in the order of the stacked decorators this replaces.
  applyDecorators(
    Matches(TEAM_ID, { each: true, message: teamIdMessage('Each team') }),
    ArrayUnique({ message: 'Choose each team once' }),
    ArrayMaxSize(max, { message: `Choose ${max} teams or fewer` }),
    ArrayMinSize(1, { message: 'Choose at least one team' }),
    IsArray({ message: 'Teams must be a list of team codes' }),
    Required('Choose at least one team'),
    ApiProperty({ type: [String], example }),
  );

export class RegisterTeamDto {
  @ApiProperty({ example: 'cin-north', description: 'Stable id: 2-40 lower-case letters, digits or hyphens.' })
  @Required('Enter a team code')
  @Matches(TEAM_ID, { message: teamIdMessage('Team code') })
  teamId!: string;

  @TextField('Children in Need North', { name: 'Team name', enter: 'Enter a team name' }, 100)
  name!: string;

  @TextField(
    'Children in need',
    { name: 'Service', enter: 'Enter the service the team belongs to' },
    100,
    'The service the team belongs to.',
  )
  service!: string;
}

export class RenameTeamDto {
  @TextField('Children in Need North and East', { name: 'Team name', enter: 'Enter the new team name' }, 100)
  name!: string;
}

export class CloseTeamDto {
  @TextField('Merged into CIN East', { name: 'Reason', enter: 'Enter why the team is closing' }, 500)
  reason!: string;

  @OptionalDay('Date closed', 'Day the team closed (YYYY-MM-DD); defaults to today.', '2026-05-01')
  closedOn?: string;
}

export class TeamIdParam {
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  id!: string;
}

export class ListTeamsParams {
  @OptionalChoice(['true', 'false'], 'Include closed teams must be true or false', {
    description: 'Include closed teams (default false).',
  })
  includeClosed?: 'true' | 'false';
}

/** A route naming a team as `:teamId`: the contexts that answer for one team (its audits, DRs, actions) share it. */
export class TeamRouteParam {
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId!: string;
}
