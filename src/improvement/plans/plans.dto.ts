import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CONFIDENCES, NO_UPDATE_UNITS, RAG_SETTING_LIMITS, type Confidence, type NoUpdateUnit } from '@casetrail/kernel';
import { IsDay, IsText, Required, trim, TextField, OptionalDay, ChoiceField } from '../../core';
import { DOMAIN_KEY, RecordIdField } from '../../audits';
import { TeamsField } from '../../teams';
import { JUDGEMENTS, TIMESCALES, TRIGGER_KINDS, type Judgement, type Timescale, type TriggerKind } from './plans.events';
import { INDICATOR_CODE, INDICATOR_CODE_MESSAGE } from '../indicators';

/** A partner agency's name ("Health trust", "Police", "Safeguarding children partnership"). */
const IsAgencyName = (): PropertyDecorator => (target, key) => {
  Transform(trim)(target, key);
  IsString({ message: 'Partner agency must be text' })(target, key);
  Length(2, 120, { message: 'Partner agency must be the agency’s name, between 2 and 120 characters' })(target, key);
};

/** An Ofsted judgement, when there is one: "Choose a judgement from the list". */
const OptionalJudgement = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ enum: JUDGEMENTS, description }),
    IsOptional(),
    IsIn(JUDGEMENTS, { message: 'Choose a judgement from the list' }),
  );

export class AreaJudgementsDto {
  @OptionalJudgement('The impact of leaders on social work practice with children and families.')
  impactOfLeaders?: Judgement;

  @OptionalJudgement('The experiences and progress of children who need help and protection.')
  helpAndProtection?: Judgement;

  @OptionalJudgement('The experiences and progress of children in care.')
  childrenInCare?: Judgement;

  @OptionalJudgement('The experiences and progress of care leavers.')
  careLeavers?: Judgement;
}

/** Plan, priority, recommendation and action ids: chosen by the caller (e.g. "sip-2020") or generated. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,59}$/;
export const ID_MESSAGE = 'must be 60 characters or fewer and use only letters, numbers and hyphens';

/** An id, named as people know the field ("Owner", "Priority"). */
const IsId = (name: string): PropertyDecorator => Matches(ID, { message: `${name} ${ID_MESSAGE}` });

export class PlanTriggerDto {
  @ChoiceField(TRIGGER_KINDS, 'Choose what prompted the plan')
  kind!: TriggerKind;

  @ApiProperty({ example: '2020-07-03', description: 'Day of the inspection, visit or review; timescales count from it.' })
  @Required('Enter the date of the inspection, visit, notice or review')
  @IsDay('Date of the inspection, visit, notice or review')
  date!: string;

  @OptionalJudgement('Overall effectiveness; only for an Ofsted inspection.')
  judgement?: Judgement;

  @OptionalDay('First day of the inspection', 'First day of the inspection on site (an Ofsted inspection only).', '2020-06-22')
  startOn?: string;

  @OptionalDay('Last day of the inspection', 'Last day of the inspection on site.', '2020-07-03')
  endOn?: string;

  @OptionalDay(
    'Date the report was published',
    'Day the inspection report was published; the action plan is due 70 working days later.',
    '2020-08-12',
  )
  publishedOn?: string;

  @ApiPropertyOptional({ type: AreaJudgementsDto, description: 'The judgement of each area (an Ofsted inspection only).' })
  @IsOptional()
  @ValidateNested({ message: 'Area judgements must name a judgement for each area' })
  @Type(() => AreaJudgementsDto)
  areaJudgements?: AreaJudgementsDto;
}

export class CreatePlanDto {
  @ApiPropertyOptional({ example: 'sip-2020', description: 'Stable id; generated when left out.' })
  @IsOptional()
  @IsId('Plan id')
  planId?: string;

  @TextField('Safeguarding improvement plan, phase 2', { name: 'Title', enter: 'Enter a title' }, 200)
  title!: string;

  @ApiProperty({ type: PlanTriggerDto })
  @Required('Choose what prompted the plan')
  @ValidateNested({ message: 'Choose what prompted the plan' })
  @Type(() => PlanTriggerDto)
  trigger!: PlanTriggerDto;

  @ApiPropertyOptional({ description: 'User id of the plan owner; defaults to you.' })
  @IsOptional()
  @IsId('Owner')
  ownerId?: string;
}

export class AddPriorityDto {
  @ApiPropertyOptional({ example: 'frontline-practice' })
  @IsOptional()
  @IsId('Priority id')
  priorityId?: string;

  @TextField('Quality and effectiveness of frontline practice', { name: 'Priority', enter: 'Enter the priority' }, 200)
  title!: string;
}

export class AddRecommendationDto {
  @ApiPropertyOptional({ example: 'rec-1' })
  @IsOptional()
  @IsId('Recommendation id')
  recommendationId?: string;

  @TextField('Ensure that assessments contain an explicit assessment of risk', {
    name: 'Recommendation',
    enter: 'Enter the recommendation',
  })
  text!: string;

  @ApiProperty({
    enum: TIMESCALES,
    description: 'immediately = 5 working days; 3 and 6 months = calendar months from the trigger.',
  })
  @Required('Choose the timescale')
  @IsIn(TIMESCALES, { message: 'Choose the timescale from the list' })
  timescale!: Timescale;

  @OptionalDay('Recommendation due date', 'Only (and required) with the timescale "date".', '2020-12-31')
  dueOn?: string;

  @ApiPropertyOptional({ description: 'User id of the lead, if a Casetrail user.' })
  @IsOptional()
  @IsId('Owner')
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
  @Required('Enter how long without an update turns an action amber')
  @IsInt({ message: 'Amber when there is no update for must be a whole number' })
  @Min(1, { message: 'Amber when there is no update for must be 1 or more' })
  @Max(RAG_SETTING_LIMITS.noUpdateFor.days.max, {
    message: `Amber when there is no update for must be ${RAG_SETTING_LIMITS.noUpdateFor.days.max} or fewer`,
  })
  count!: number;

  @ApiProperty({ enum: NO_UPDATE_UNITS, example: 'months' })
  @Required('Choose days, weeks or months')
  @IsIn(NO_UPDATE_UNITS, { message: 'Choose days, weeks or months' })
  unit!: NoUpdateUnit;
}

export class ChangeRagSettingsDto {
  @ApiProperty({ example: 0, description: 'Red once this many working days overdue; 0 = from the first day after the due date.' })
  @Required('Enter from how many working days overdue an action turns red')
  @IsInt({ message: 'Red from how many working days overdue must be a whole number' })
  @Min(RAG_SETTING_LIMITS.redFromWorkingDaysOverdue.min, {
    message: `Red from how many working days overdue must be ${RAG_SETTING_LIMITS.redFromWorkingDaysOverdue.min} or more`,
  })
  @Max(RAG_SETTING_LIMITS.redFromWorkingDaysOverdue.max, {
    message: `Red from how many working days overdue must be ${RAG_SETTING_LIMITS.redFromWorkingDaysOverdue.max} or fewer`,
  })
  redFromWorkingDaysOverdue!: number;

  @ApiProperty({
    type: NoUpdatePeriodDto,
    description: 'Amber after this long without an update (recommended: 1 calendar month).',
  })
  @Required('Enter how long without an update turns an action amber')
  @ValidateNested({ message: 'Enter how long without an update turns an action amber' })
  @Type(() => NoUpdatePeriodDto)
  noUpdateFor!: NoUpdatePeriodDto;

  @ApiProperty({ example: 60, description: 'Flag an action amber every day for more than this many days.' })
  @Required('Enter after how many days an amber action is escalated')
  @IsInt({ message: 'Escalate an action amber for more than must be a whole number of days' })
  @Min(RAG_SETTING_LIMITS.escalateAmberAfterDays.min, {
    message: `Escalate an action amber for more than must be ${RAG_SETTING_LIMITS.escalateAmberAfterDays.min} days or more`,
  })
  @Max(RAG_SETTING_LIMITS.escalateAmberAfterDays.max, {
    message: `Escalate an action amber for more than must be ${RAG_SETTING_LIMITS.escalateAmberAfterDays.max} days or fewer`,
  })
  escalateAmberAfterDays!: number;

  @TextField(
    'Improvement board, 28 August 2020: monthly updates',
    { name: 'Reason for the change', enter: 'Enter the reason for the change' },
    1000,
  )
  reason!: string;
}

export class SubmitActionPlanDto {
  @OptionalDay(
    'Date the action plan was sent to Ofsted',
    'Day the action plan was sent to Ofsted; defaults to today.',
    '2020-11-13',
  )
  submittedOn?: string;
}

export class RecordReportPublicationDto {
  @ApiProperty({ example: '2020-07-31', description: 'Day the inspection report was published.' })
  @Required('Enter the date the inspection report was published')
  @IsDay('Date the inspection report was published')
  publishedOn!: string;
}

/** The audit finding an action answers: an audit and one domain of its framework. */
export class FindingDto {
  @RecordIdField(
    { example: '3f1c2a4e-8d7b-4c1e-9f0a-1b2c3d4e5f60', description: 'The audit whose finding this action answers.' },
    'Choose the audit whose finding this action answers',
    'Audit must be an audit id: 40 characters or fewer, letters, numbers and hyphens',
  )
  auditId!: string;

  @ApiProperty({ example: 'management-oversight', description: "A domain of the audit's framework." })
  @Required('Choose the domain of the finding')
  @Matches(DOMAIN_KEY, { message: 'Domain must be a domain key such as management-oversight' })
  domain!: string;
}

/** `POST /actions/:id/findings`: one more audit finding an existing action answers. */
export class LinkFindingDto extends FindingDto {}

/** The audit page's "Link an existing action" form: the action chosen, and the domain of the audit's finding. */
export class ChooseActionForFindingDto {
  @Required('Choose the improvement action that answers this finding')
  @Matches(ID, { message: 'Choose the improvement action from the list' })
  actionId!: string;

  @Required('Choose the domain of the finding')
  @Matches(DOMAIN_KEY, { message: 'Choose the domain of the finding from the list' })
  domain!: string;
}

export class AddActionDto {
  @ApiPropertyOptional({ example: 'risk-analysis-audits' })
  @IsOptional()
  @IsId('Action id')
  actionId?: string;

  @ApiProperty({ example: 'frontline-practice' })
  @Required('Choose a priority')
  @IsId('Priority')
  priorityId!: string;

  @ApiProperty({ type: [String], example: ['rec-1'], description: 'The Ofsted recommendations this action answers.' })
  @Required('Choose the recommendations it answers', { emptyAllowed: true })
  @IsArray({ message: 'Recommendations must be a list' })
  @ArrayMaxSize(50, { message: 'Choose 50 recommendations or fewer' })
  @ArrayUnique({ message: 'Choose each recommendation once' })
  @Matches(ID, { each: true, message: `Each recommendation ${ID_MESSAGE}` })
  recommendationIds!: string[];

  @TextField('Team managers check risk analysis in every assessment', { name: 'Action', enter: 'Enter the action' }, 200)
  title!: string;

  @ApiPropertyOptional({ description: 'User id of the owner; or name a partner agency (ownerAgency) instead.' })
  @IsOptional()
  @IsId('Owner')
  ownerId?: string;

  @ApiPropertyOptional({ example: 'Health trust', description: 'A partner agency owning the action (not a Casetrail user).' })
  @IsOptional()
  @IsAgencyName()
  ownerAgency?: string;

  @TeamsField(['mash'], 50)
  teamIds!: string[];

  @ApiProperty({ example: '2020-07-06' })
  @Required('Enter the start date')
  @IsDay('Start date')
  startOn!: string;

  @ApiProperty({ example: '2020-09-30' })
  @Required('Enter a due date')
  @IsDay('Due date')
  dueOn!: string;

  @TextField(
    '95% of assessments include a risk analysis (monthly audit)',
    { name: 'Success measure', enter: 'Enter the success measure' },
    1000,
  )
  successMeasure!: string;

  @ApiPropertyOptional({ example: 'cfa-timescale', description: 'The performance indicator that shows impact.' })
  @IsOptional()
  @Matches(INDICATOR_CODE, { message: `Indicator ${INDICATOR_CODE_MESSAGE}` })
  indicatorCode?: string;

  @ApiPropertyOptional({
    type: FindingDto,
    description:
      'The audit finding this action answers: a domain graded requires improvement or inadequate, or an audit with areas for development.',
  })
  @IsOptional()
  @ValidateNested({ message: 'Finding must name an audit and a domain' })
  @Type(() => FindingDto)
  finding?: FindingDto;
}

export class ReportProgressDto {
  @OptionalDay('Date of the update', 'Defaults to today; never more than a day ahead.', '2020-08-03')
  reportedOn?: string;

  @TextField('Audit tool agreed; first 10 assessments checked.', { name: 'Progress', enter: 'Enter the progress made' })
  note!: string;

  @ApiProperty({ enum: CONFIDENCES })
  @Required('Choose how confident you are that it will be done on time')
  @IsIn(CONFIDENCES, { message: 'Choose a confidence from the list' })
  confidence!: Confidence;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Transform(trim)
  @IsText('Evidence', 2000)
  evidence?: string;
}

export class ReviseDueDateDto {
  @ApiProperty({ example: '2020-10-30' })
  @Required('Enter the new due date')
  @IsDay('New due date')
  newDueOn!: string;

  @TextField('Audit tool redesigned after the DfE review', { name: 'Reason', enter: 'Enter why the due date changes' }, 1000)
  reason!: string;

  @TextField(
    'Improvement board, 28 August 2020',
    { name: 'Who agreed it', enter: 'Enter who agreed the new due date' },
    200,
    'Who agreed the new date.',
  )
  approvedBy!: string;

  @OptionalDay('Date the new due date was agreed', 'Day the new date was agreed; defaults to today.', '2020-08-28')
  revisedOn?: string;
}

export class CompleteActionDto {
  @OptionalDay('Date completed', 'Defaults to today.', '2020-09-25')
  completedOn?: string;

  @TextField('September audit: 19 of 20 assessments with a clear risk analysis', {
    name: 'Evidence that it is done',
    enter: 'Give the evidence that the action is done',
  })
  evidence!: string;
}

export class VerifyActionDto {
  @OptionalDay('Date of the sign-off', 'Day of the board sign-off; defaults to today.', '2020-09-28')
  verifiedOn?: string;
}

export class ReopenActionDto {
  @TextField(
    'October re-audit: risk analysis missing in 6 of 20',
    { name: 'Why it is reopened', enter: 'Enter why it is reopened' },
    1000,
  )
  reason!: string;

  @OptionalDay(
    'Date reopened',
    'Day the board reopened it; defaults to today. Until that day the action shows as completed.',
    '2020-11-02',
  )
  reopenedOn?: string;
}

export class IdParam {
  @IsId('Id')
  id!: string;
}

/** The route's team (the teams context's one route parameter for it). */
export { TeamRouteParam as TeamIdParam } from '../../teams';

export class OnDayParams {
  @OptionalDay('The date to show', 'The day to compute RAG for (default today).', '2020-09-30')
  on?: string;
}
