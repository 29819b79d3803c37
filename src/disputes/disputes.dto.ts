import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDay, IsSubjectRef, trim } from '../core';
import { TEAM_ID, TEAM_ID_MESSAGE } from '../teams';
import { DISPUTE_CATEGORIES, DISPUTE_OUTCOMES, type DisputeCategory, type DisputeOutcome } from './disputes.events';

export const STAGE_KEY = /^[a-z0-9][a-z0-9-]{0,29}$/;
const STAGE_KEY_MESSAGE = 'must be a stage key: 1-30 lower-case letters, digits or hyphens, e.g. stage-1';
const TEXT = 2000;

/** Required free text, trimmed, 1..max characters. */
const TextField = (example: string, max = TEXT): PropertyDecorator =>
  applyDecorators(ApiProperty({ example, maxLength: max }), Transform(trim), IsString(), Length(1, max));

/** An optional business date; the controller fills in today. */
const OptionalDay = (field: string, what: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ example: '2020-05-04', description: `${what} (YYYY-MM-DD); defaults to today.` }),
    IsOptional(),
    IsDay(field),
  );

export class RaiseDisputeDto {
  @ApiProperty({ example: 'C-1001', description: "The child's reference in the case-management system (never a name)." })
  @IsSubjectRef()
  childRef!: string;

  @ApiProperty({ example: 'lac-1' })
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId!: string;

  @ApiProperty({ enum: DISPUTE_CATEGORIES })
  @IsIn(DISPUTE_CATEGORIES, { message: `category must be one of: ${DISPUTE_CATEGORIES.join(', ')}` })
  category!: DisputeCategory;

  @TextField('Long-term match with the foster carers has drifted for 14 months.')
  summary!: string;

  @TextField('Matching assessment to fostering panel before the next review.')
  desiredOutcome!: string;

  @ApiPropertyOptional({ example: 'informal', description: 'Stage it starts at: informal (default) or a formal stage.' })
  @IsOptional()
  @Matches(STAGE_KEY, { message: `stage ${STAGE_KEY_MESSAGE}` })
  stage?: string;

  @OptionalDay('raisedOn', 'Day the DR was raised')
  raisedOn?: string;
}

export class EscalateDisputeDto {
  @ApiProperty({ example: 'stage-1', description: 'A higher stage; stages in between are recorded as bypassed.' })
  @Matches(STAGE_KEY, { message: `toStage ${STAGE_KEY_MESSAGE}` })
  toStage!: string;

  @TextField('No response within 5 working days.')
  reason!: string;

  @OptionalDay('escalatedOn', 'Day it was escalated')
  escalatedOn?: string;
}

export class RecordDisputeResponseDto {
  @ApiPropertyOptional({ example: 'stage-1', description: 'The stage answered; defaults to the stage the DR is at.' })
  @IsOptional()
  @Matches(STAGE_KEY, { message: `stage ${STAGE_KEY_MESSAGE}` })
  stage?: string;

  @ApiPropertyOptional({ example: 'J. Patel, team manager', maxLength: 100, description: 'Who answered, when not you.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  respondentName?: string;

  @TextField('Matching assessment allocated; panel date 1 July.', 4000)
  response!: string;

  @ApiPropertyOptional({ description: 'Whether the IRO finds the answer satisfactory.' })
  @IsOptional()
  @IsBoolean()
  satisfactory?: boolean;

  @OptionalDay('respondedOn', 'Day of the response')
  respondedOn?: string;
}

export class ResolveDisputeDto {
  @ApiProperty({ enum: DISPUTE_OUTCOMES })
  @IsIn(DISPUTE_OUTCOMES, { message: `outcome must be one of: ${DISPUTE_OUTCOMES.join(', ')}` })
  outcome!: DisputeOutcome;

  @TextField('Match approved at fostering panel.')
  note!: string;

  @OptionalDay('resolvedOn', 'Day it was resolved')
  resolvedOn?: string;
}

export class ReopenDisputeDto {
  @TextField('The agreed panel date was cancelled.')
  reason!: string;

  @OptionalDay('reopenedOn', 'Day it was reopened')
  reopenedOn?: string;
}

export class CafcassReferralDto {
  @TextField('Drift is harming the child; the local process is not resolving it.')
  reason!: string;

  @OptionalDay('referredOn', 'Day of the referral')
  referredOn?: string;
}

export class RaiseGoodPracticeAlertDto {
  @ApiProperty({ example: 'C-1002' })
  @IsSubjectRef()
  childRef!: string;

  @ApiProperty({ example: 'lac-1' })
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId!: string;

  @TextField('Life-story work begun at the first review; the child chose the photos.')
  summary!: string;

  @OptionalDay('raisedOn', 'Day the alert was raised')
  raisedOn?: string;
}

export class DisputeStageDto {
  @ApiProperty({ example: 'stage-1' })
  @Matches(STAGE_KEY, { message: `key ${STAGE_KEY_MESSAGE}` })
  key!: string;

  @TextField('Stage 1', 100)
  title!: string;

  @TextField('team manager', 100)
  respondentRole!: string;

  @ApiProperty({ example: 5, minimum: 1, maximum: 60 })
  @IsInt()
  @Min(1)
  @Max(60)
  responseWorkingDays!: number;
}

export class PublishDisputeProtocolDto {
  @ApiProperty({ type: [DisputeStageDto], description: 'In order of seniority; the first is the informal stage.' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => DisputeStageDto)
  stages!: DisputeStageDto[];

  @ApiProperty({ example: 20, minimum: 1, maximum: 250 })
  @IsInt()
  @Min(1)
  @Max(250)
  formalTargetWorkingDays!: number;
}

export class DisputeIdParam {
  @IsUUID('all', { message: 'id must be a dispute id (a UUID)' })
  id!: string;
}

/** The route's team (the teams context's one route parameter for it). */
export { TeamRouteParam as TeamIdParam } from '../teams';

export class OnParams {
  @ApiPropertyOptional({ example: '2020-05-13', description: 'Answer as at this day (YYYY-MM-DD); defaults to today.' })
  @IsOptional()
  @IsDay('on')
  on?: string;
}

export class ListDisputesParams extends OnParams {
  @ApiPropertyOptional({ example: 'lac-1' })
  @IsOptional()
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId?: string;

  @ApiPropertyOptional({ enum: ['open', 'resolved'], description: 'Status on the day `on`.' })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: 'open' | 'resolved';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only DRs whose current stage is overdue on `on` (true) or not (false).',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}

export class StatsParams {
  @ApiPropertyOptional({ example: '2020-04-01', description: 'Defaults to the start of the current financial year.' })
  @IsOptional()
  @IsDay('from')
  from?: string;

  @ApiPropertyOptional({ example: '2021-03-31', description: 'Defaults to today.' })
  @IsOptional()
  @IsDay('to')
  to?: string;

  @ApiPropertyOptional({ example: 'lac-1', description: 'One team only.' })
  @IsOptional()
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId?: string;
}

export class ListGoodPracticeAlertsParams {
  @ApiPropertyOptional({ example: 'lac-1' })
  @IsOptional()
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId?: string;
}
