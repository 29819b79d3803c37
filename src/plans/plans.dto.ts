import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CONFIDENCES, NO_UPDATE_UNITS, RAG_SETTING_LIMITS, type Confidence, type NoUpdateUnit } from '@casetrail/kernel';
import { IsDay, trim } from '../core';
import { DOMAIN_KEY, RECORD_ID } from '../audits';
import { TEAM_ID, TEAM_ID_MESSAGE } from '../teams';
import { JUDGEMENTS, TIMESCALES, TRIGGER_KINDS, type Judgement, type Timescale, type TriggerKind } from './plans.events';
import { INDICATOR_CODE, INDICATOR_CODE_MESSAGE } from '../indicators';

/** A partner agency's name ("Health trust", "Police", "Safeguarding children partnership"). */
const IsAgencyName = (): PropertyDecorator => (target, key) => {
  Transform(trim)(target, key);
  IsString()(target, key);
  Length(2, 120, { message: `${String(key)} must be the agency's name, 2 to 120 characters` })(target, key);
};

export class AreaJudgementsDto {
  @ApiPropertyOptional({
    enum: JUDGEMENTS,
    description: 'The impact of leaders on social work practice with children and families.',
  })
  @IsOptional()
  @IsIn(JUDGEMENTS)
  impactOfLeaders?: Judgement;

  @ApiPropertyOptional({
    enum: JUDGEMENTS,
    description: 'The experiences and progress of children who need help and protection.',
  })
  @IsOptional()
  @IsIn(JUDGEMENTS)
  helpAndProtection?: Judgement;

  @ApiPropertyOptional({ enum: JUDGEMENTS, description: 'The experiences and progress of children in care.' })
  @IsOptional()
  @IsIn(JUDGEMENTS)
  childrenInCare?: Judgement;

  @ApiPropertyOptional({ enum: JUDGEMENTS, description: 'The experiences and progress of care leavers.' })
  @IsOptional()
  @IsIn(JUDGEMENTS)
  careLeavers?: Judgement;
}

/** Plan, priority, recommendation and action ids: chosen by the caller (e.g. "sip-2020") or generated. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,59}$/;
export const ID_MESSAGE = 'must be 1-60 letters, digits or hyphens, starting with a letter or digit';

const IsId = (field: string): PropertyDecorator => Matches(ID, { message: `${field} ${ID_MESSAGE}` });

export class PlanTriggerDto {
  @ApiProperty({ enum: TRIGGER_KINDS })
  @IsIn(TRIGGER_KINDS)
  kind!: TriggerKind;

  @ApiProperty({ example: '2020-07-03', description: 'Day of the inspection, visit or review; timescales count from it.' })
  @IsDay('trigger.date')
  date!: string;

  @ApiPropertyOptional({ enum: JUDGEMENTS, description: 'Overall effectiveness; only for an Ofsted inspection.' })
  @IsOptional()
  @IsIn(JUDGEMENTS)
  judgement?: Judgement;

  @ApiPropertyOptional({ example: '2020-06-22', description: 'First day of the inspection on site (an Ofsted inspection only).' })
  @IsOptional()
  @IsDay('trigger.startOn')
  startOn?: string;

  @ApiPropertyOptional({ example: '2020-07-03', description: 'Last day of the inspection on site.' })
  @IsOptional()
  @IsDay('trigger.endOn')
  endOn?: string;

  @ApiPropertyOptional({
    example: '2020-08-12',
    description: 'Day the inspection report was published; the action plan is due 70 working days later.',
  })
  @IsOptional()
  @IsDay('trigger.publishedOn')
  publishedOn?: string;

  @ApiPropertyOptional({ type: AreaJudgementsDto, description: 'The judgement of each area (an Ofsted inspection only).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AreaJudgementsDto)
  areaJudgements?: AreaJudgementsDto;
}

export class CreatePlanDto {
  @ApiPropertyOptional({ example: 'sip-2020', description: 'Stable id; generated when left out.' })
  @IsOptional()
  @IsId('planId')
  planId?: string;

  @ApiProperty({ example: 'Safeguarding improvement plan, phase 2', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ type: PlanTriggerDto })
  @IsDefined({ message: 'Choose what prompted the plan' })
  @ValidateNested()
  @Type(() => PlanTriggerDto)
  trigger!: PlanTriggerDto;

  @ApiPropertyOptional({ description: 'User id of the plan owner; defaults to you.' })
  @IsOptional()
  @IsId('ownerId')
  ownerId?: string;
}

export class AddPriorityDto {
  @ApiPropertyOptional({ example: 'frontline-practice' })
  @IsOptional()
  @IsId('priorityId')
  priorityId?: string;

  @ApiProperty({ example: 'Quality and effectiveness of frontline practice', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  title!: string;
}

export class AddRecommendationDto {
  @ApiPropertyOptional({ example: 'rec-1' })
  @IsOptional()
  @IsId('recommendationId')
  recommendationId?: string;

  @ApiProperty({ example: 'Ensure that assessments contain an explicit assessment of risk', maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  text!: string;

  @ApiProperty({
    enum: TIMESCALES,
    description: 'immediately = 5 working days; 3 and 6 months = calendar months from the trigger.',
  })
  @IsIn(TIMESCALES)
  timescale!: Timescale;

  @ApiPropertyOptional({ example: '2020-12-31', description: 'Only (and required) with the timescale "date".' })
  @IsOptional()
  @IsDay('dueOn')
  dueOn?: string;

  @ApiPropertyOptional({ description: 'User id of the lead, if a Casetrail user.' })
  @IsOptional()
  @IsId('ownerId')
  ownerId?: string;

  @ApiPropertyOptional({
    example: 'Safeguarding children partnership',
    description: 'A partner agency leading on it (not a user).',
  })
  @IsOptional()
  @IsAgencyName()
  ownerAgency?: string;
}

export class NoUpdatePeriodDto {
  @ApiProperty({ example: 1 })
  @IsInt({ message: 'noUpdateFor.count must be a whole number' })
  @Min(1)
  @Max(RAG_SETTING_LIMITS.noUpdateFor.days.max)
  count!: number;

  @ApiProperty({ enum: NO_UPDATE_UNITS, example: 'months' })
  @IsIn(NO_UPDATE_UNITS)
  unit!: NoUpdateUnit;
}

export class ChangeRagSettingsDto {
  @ApiProperty({ example: 0, description: 'Red once this many working days overdue; 0 = from the first day after the due date.' })
  @IsInt({ message: 'redFromWorkingDaysOverdue must be a whole number of working days' })
  @Min(RAG_SETTING_LIMITS.redFromWorkingDaysOverdue.min)
  @Max(RAG_SETTING_LIMITS.redFromWorkingDaysOverdue.max)
  redFromWorkingDaysOverdue!: number;

  @ApiProperty({
    type: NoUpdatePeriodDto,
    description: 'Amber after this long without an update (recommended: 1 calendar month).',
  })
  @IsDefined({ message: 'Enter how long without an update turns an action amber' })
  @ValidateNested()
  @Type(() => NoUpdatePeriodDto)
  noUpdateFor!: NoUpdatePeriodDto;

  @ApiProperty({ example: 60, description: 'Flag an action amber every day for more than this many days.' })
  @IsInt({ message: 'escalateAmberAfterDays must be a whole number of days' })
  @Min(RAG_SETTING_LIMITS.escalateAmberAfterDays.min)
  @Max(RAG_SETTING_LIMITS.escalateAmberAfterDays.max)
  escalateAmberAfterDays!: number;

  @ApiProperty({ example: 'Improvement board, 28 August 2020: monthly updates', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class SubmitActionPlanDto {
  @ApiPropertyOptional({ example: '2020-11-13', description: 'Day the action plan was sent to Ofsted; defaults to today.' })
  @IsOptional()
  @IsDay('submittedOn')
  submittedOn?: string;
}

export class RecordReportPublicationDto {
  @ApiProperty({ example: '2020-07-31', description: 'Day the inspection report was published.' })
  @IsDay('publishedOn')
  publishedOn!: string;
}

/** The audit finding an action answers: an audit and one domain of its framework. */
export class FindingDto {
  @ApiProperty({ example: '3f1c2a4e-8d7b-4c1e-9f0a-1b2c3d4e5f60', description: 'The audit whose finding this action answers.' })
  @Matches(RECORD_ID, { message: 'finding.auditId must be 1-40 letters, digits or hyphens' })
  auditId!: string;

  @ApiProperty({ example: 'management-oversight', description: "A domain of the audit's framework." })
  @Matches(DOMAIN_KEY, { message: 'finding.domain must be a domain key such as management-oversight' })
  domain!: string;
}

export class AddActionDto {
  @ApiPropertyOptional({ example: 'risk-analysis-audits' })
  @IsOptional()
  @IsId('actionId')
  actionId?: string;

  @ApiProperty({ example: 'frontline-practice' })
  @IsId('priorityId')
  priorityId!: string;

  @ApiProperty({ type: [String], example: ['rec-1'], description: 'The Ofsted recommendations this action answers.' })
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(ID, { each: true, message: `each recommendationId ${ID_MESSAGE}` })
  recommendationIds!: string[];

  @ApiProperty({ example: 'Team managers check risk analysis in every assessment', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional({ description: 'User id of the owner; or name a partner agency (ownerAgency) instead.' })
  @IsOptional()
  @IsId('ownerId')
  ownerId?: string;

  @ApiPropertyOptional({ example: 'Health trust', description: 'A partner agency owning the action (not a Casetrail user).' })
  @IsOptional()
  @IsAgencyName()
  ownerAgency?: string;

  @ApiProperty({ type: [String], example: ['mash'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(TEAM_ID, { each: true, message: TEAM_ID_MESSAGE })
  teamIds!: string[];

  @ApiProperty({ example: '2020-07-06' })
  @IsDay('startOn')
  startOn!: string;

  @ApiProperty({ example: '2020-09-30' })
  @IsDay('dueOn')
  dueOn!: string;

  @ApiProperty({ example: '95% of assessments include a risk analysis (monthly audit)', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  successMeasure!: string;

  @ApiPropertyOptional({ example: 'cfa-timescale', description: 'The performance indicator that shows impact.' })
  @IsOptional()
  @Matches(INDICATOR_CODE, { message: `indicatorCode ${INDICATOR_CODE_MESSAGE}` })
  indicatorCode?: string;

  @ApiPropertyOptional({
    type: FindingDto,
    description:
      'The audit finding this action answers: a domain graded requires improvement or inadequate, or an audit with areas for development.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FindingDto)
  finding?: FindingDto;
}

export class ReportProgressDto {
  @ApiPropertyOptional({ example: '2020-08-03', description: 'Defaults to today; never more than a day ahead.' })
  @IsOptional()
  @IsDay('reportedOn')
  reportedOn?: string;

  @ApiProperty({ example: 'Audit tool agreed; first 10 assessments checked.', maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  note!: string;

  @ApiProperty({ enum: CONFIDENCES })
  @IsIn(CONFIDENCES)
  confidence!: Confidence;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  evidence?: string;
}

export class ReviseDueDateDto {
  @ApiProperty({ example: '2020-10-30' })
  @IsDay('newDueOn')
  newDueOn!: string;

  @ApiProperty({ example: 'Audit tool redesigned after the DfE review', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiProperty({ example: 'Improvement board, 28 August 2020', maxLength: 200, description: 'Who agreed the new date.' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  approvedBy!: string;

  @ApiPropertyOptional({ example: '2020-08-28', description: 'Day the new date was agreed; defaults to today.' })
  @IsOptional()
  @IsDay('revisedOn')
  revisedOn?: string;
}

export class CompleteActionDto {
  @ApiPropertyOptional({ example: '2020-09-25', description: 'Defaults to today.' })
  @IsOptional()
  @IsDay('completedOn')
  completedOn?: string;

  @ApiProperty({ example: 'September audit: 19 of 20 assessments with a clear risk analysis', maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'evidence is required: say what shows the action is done' })
  @Length(1, 2000)
  evidence!: string;
}

export class VerifyActionDto {
  @ApiPropertyOptional({ example: '2020-09-28', description: 'Day of the board sign-off; defaults to today.' })
  @IsOptional()
  @IsDay('verifiedOn')
  verifiedOn?: string;
}

export class ReopenActionDto {
  @ApiProperty({ example: 'October re-audit: risk analysis missing in 6 of 20', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiPropertyOptional({
    example: '2020-11-02',
    description: 'Day the board reopened it; defaults to today. Until that day the action shows as completed.',
  })
  @IsOptional()
  @IsDay('reopenedOn')
  reopenedOn?: string;
}

export class IdParam {
  @IsId('id')
  id!: string;
}

/** The route's team (the teams context's one route parameter for it). */
export { TeamRouteParam as TeamIdParam } from '../teams';

export class OnDayParams {
  @ApiPropertyOptional({ example: '2020-09-30', description: 'The day to compute RAG for (default today).' })
  @IsOptional()
  @IsDay('on')
  on?: string;
}
