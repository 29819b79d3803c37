import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID, Matches } from 'class-validator';
import {
  ChoiceField,
  IsSubjectRef,
  IsText,
  NestedListField,
  OptionalDay,
  Required,
  TextField,
  trim,
  OptionalChoice,
  WholeNumberField,
} from '../core';
import { TeamField, TeamFilter } from '../teams';
import { DISPUTE_CATEGORIES, DISPUTE_OUTCOMES, type DisputeCategory, type DisputeOutcome } from './disputes.events';

export const STAGE_KEY = /^[a-z0-9][a-z0-9-]{0,29}$/;
const STAGE_KEY_MESSAGE = (name: string): string =>
  `${name} must be a stage key such as stage-1: 30 characters or fewer, lower-case letters, numbers and hyphens`;

export class RaiseDisputeDto {
  @ApiProperty({ example: 'C-1001', description: "The child's reference in the case-management system (never a name)." })
  @Required('Enter the child’s reference')
  @IsSubjectRef('Child reference')
  childRef!: string;

  @TeamField('lac-1')
  teamId!: string;

  @ChoiceField(DISPUTE_CATEGORIES, 'Choose what it is about')
  category!: DisputeCategory;

  @TextField('Long-term match with the foster carers has drifted for 14 months.', {
    name: 'What the problem is',
    enter: 'Enter what the problem is',
  })
  summary!: string;

  @TextField('Matching assessment to fostering panel before the next review.', {
    name: 'What should happen',
    enter: 'Enter what should happen',
  })
  desiredOutcome!: string;

  @ApiPropertyOptional({ example: 'informal', description: 'Stage it starts at: informal (default) or a formal stage.' })
  @IsOptional()
  @Matches(STAGE_KEY, { message: STAGE_KEY_MESSAGE('Stage') })
  stage?: string;

  @OptionalDay('Date raised', 'Day the DR was raised (YYYY-MM-DD); defaults to today.')
  raisedOn?: string;
}

export class EscalateDisputeDto {
  @ApiProperty({ example: 'stage-1', description: 'A higher stage; stages in between are recorded as bypassed.' })
  @Required('Choose the stage to escalate to')
  @Matches(STAGE_KEY, { message: STAGE_KEY_MESSAGE('Stage to escalate to') })
  toStage!: string;

  @TextField('No response within 5 working days.', { name: 'Reason', enter: 'Enter why it is escalated' })
  reason!: string;

  @OptionalDay('Date escalated', 'Day it was escalated (YYYY-MM-DD); defaults to today.')
  escalatedOn?: string;
}

export class RecordDisputeResponseDto {
  @ApiPropertyOptional({ example: 'stage-1', description: 'The stage answered; defaults to the stage the DR is at.' })
  @IsOptional()
  @Matches(STAGE_KEY, { message: STAGE_KEY_MESSAGE('Stage') })
  stage?: string;

  @ApiPropertyOptional({ example: 'J. Patel, team manager', maxLength: 100, description: 'Who answered, when not you.' })
  @IsOptional()
  @Transform(trim)
  @IsText('Who answered', 100)
  respondentName?: string;

  @TextField('Matching assessment allocated; panel date 1 July.', { name: 'Response', enter: 'Enter the response' }, 4000)
  response!: string;

  @ApiPropertyOptional({ description: 'Whether the IRO finds the answer satisfactory.' })
  @IsOptional()
  @IsBoolean({ message: 'Choose yes or no for whether the response is satisfactory' })
  satisfactory?: boolean;

  @OptionalDay('Date of the response', 'Day of the response (YYYY-MM-DD); defaults to today.')
  respondedOn?: string;
}

export class ResolveDisputeDto {
  @ChoiceField(DISPUTE_OUTCOMES, 'Choose the outcome')
  outcome!: DisputeOutcome;

  @TextField('Match approved at fostering panel.', { name: 'Note', enter: 'Enter a note of how it was resolved' })
  note!: string;

  @OptionalDay('Date resolved', 'Day it was resolved (YYYY-MM-DD); defaults to today.')
  resolvedOn?: string;
}

export class ReopenDisputeDto {
  @TextField('The agreed panel date was cancelled.', { name: 'Why it is reopened', enter: 'Enter why it is reopened' })
  reason!: string;

  @OptionalDay('Date reopened', 'Day it was reopened (YYYY-MM-DD); defaults to today.')
  reopenedOn?: string;
}

export class CafcassReferralDto {
  @TextField('Drift is harming the child; the local process is not resolving it.', {
    name: 'Why you are referring',
    enter: 'Enter why you are referring it to Cafcass',
  })
  reason!: string;

  @OptionalDay('Date of the referral', 'Day of the referral (YYYY-MM-DD); defaults to today.')
  referredOn?: string;
}

export class RaiseGoodPracticeAlertDto {
  @ApiProperty({ example: 'C-1002' })
  @Required('Enter the child’s reference')
  @IsSubjectRef('Child reference')
  childRef!: string;

  @TeamField('lac-1')
  teamId!: string;

  @TextField('Life-story work begun at the first review; the child chose the photos.', {
    name: 'What was good',
    enter: 'Enter what was good',
  })
  summary!: string;

  @OptionalDay('Date', 'Day the alert was raised (YYYY-MM-DD); defaults to today.')
  raisedOn?: string;
}

export class DisputeStageDto {
  @ApiProperty({ example: 'stage-1' })
  @Required('Enter each stage’s key')
  @Matches(STAGE_KEY, { message: STAGE_KEY_MESSAGE('Stage key') })
  key!: string;

  @TextField('Stage 1', { name: 'Stage title', enter: 'Enter each stage’s title' }, 100)
  title!: string;

  @TextField('team manager', { name: 'Who answers', enter: 'Enter who answers at each stage' }, 100)
  respondentRole!: string;

  @WholeNumberField(5, [1, 60], { name: 'Working days to answer', enter: 'Enter the working days to answer at each stage' })
  responseWorkingDays!: number;
}

export class PublishDisputeProtocolDto {
  @NestedListField(DisputeStageDto, [2, 10], {
    enter: 'Add the stages',
    list: 'Stages must be a list',
    tooFew: 'Add at least two stages: the informal stage and a formal one',
    tooMany: 'Add 10 stages or fewer',
    each: 'Each stage must have a key, a title, who answers and the working days',
    description: 'In order of seniority; the first is the informal stage.',
  })
  stages!: DisputeStageDto[];

  @WholeNumberField(20, [1, 250], {
    name: 'Target for the formal stages',
    enter: 'Enter the target in working days for the formal stages',
    unit: { one: 'working day', many: 'working days' },
  })
  formalTargetWorkingDays!: number;
}

export class DisputeIdParam {
  @IsUUID('all', { message: 'Dispute id must be the id of a dispute (a UUID) in this service' })
  id!: string;
}

/** The route's team (the teams context's one route parameter for it). */
export { TeamRouteParam as TeamIdParam } from '../teams';

export class OnParams {
  @OptionalDay('As on', 'Answer as at this day (YYYY-MM-DD); defaults to today.', '2020-05-13')
  on?: string;
}

export class ListDisputesParams extends OnParams {
  @TeamFilter({ example: 'lac-1' })
  teamId?: string;

  @OptionalChoice(['open', 'resolved'], 'Status must be open or resolved', { description: 'Status on the day `on`.' })
  status?: 'open' | 'resolved';

  @OptionalChoice(['true', 'false'], 'Overdue must be true or false', {
    description: 'Only DRs whose current stage is overdue on `on` (true) or not (false).',
  })
  overdue?: 'true' | 'false';
}

export class StatsParams {
  @OptionalDay('From', 'Defaults to the start of the current financial year.', '2020-04-01')
  from?: string;

  @OptionalDay('To', 'Defaults to today.', '2021-03-31')
  to?: string;

  @TeamFilter({ example: 'lac-1', description: 'One team only.' })
  teamId?: string;
}

export class ListGoodPracticeAlertsParams {
  @TeamFilter({ example: 'lac-1' })
  teamId?: string;
}
