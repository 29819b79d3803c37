import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  Matches,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import {
  ChoiceField,
  IsDay,
  IsSubjectRef,
  IsText,
  NestedListField,
  OptionalDay,
  Required,
  stacked,
  TextField,
  trim,
  OptionalChoice,
} from '../core';
import { TEAM_ID, TEAM_ID_MESSAGE, TeamField, TeamsField } from '../teams';
import { AUDIT_STATUSES, type AuditStatus } from './audit.decider';
import { GRADES, OVERALL, PROGRAMME_KINDS, type Grade, type ProgrammeKind } from './audits.events';

/** Ids of audits, programmes, frameworks and actions: letters, digits and hyphens (a uuid fits). */
export const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;
const RECORD_ID_MESSAGE = (name: string): string =>
  `${name} must be 40 characters or fewer and use only letters, numbers and hyphens`;
/** An optional id of a record (`name` as people know the field, `docs` for the API documentation). */
export const OptionalRecordId = (name: string, docs: { example?: string; description?: string } = {}): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional(docs), IsOptional(), Matches(RECORD_ID, { message: RECORD_ID_MESSAGE(name) }));
/** The id of a record a person must choose: `choose` when it is left out, `message` when it is not an id. */
export const RecordIdField = (
  docs: { example: string; description: string },
  choose: string,
  message: string,
): PropertyDecorator => stacked(ApiProperty(docs), Required(choose), Matches(RECORD_ID, { message }));
/** Framework domain keys: lower-case words joined by hyphens, e.g. voice-of-child. */
export const DOMAIN_KEY = /^[a-z0-9][a-z0-9-]{0,39}$/;
const DOMAIN_MESSAGE =
  'Domain must be a domain key such as voice-of-child: 40 characters or fewer, lower-case letters, numbers and hyphens';
const USER_ID = /^[A-Za-z0-9-]{1,36}$/;
const USER_ID_MESSAGE = (name: string): string => `${name} must be a person who uses Casetrail`;

/** Each element trimmed; non-strings are left for the validators to refuse. */
const trimEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value;

/** An optional list of up to 20 short texts (strengths, areas for development), each trimmed and at most 1,000 characters. */
const OptionalTextList = (example: string, words: { list: string; each: string }): PropertyDecorator =>
  stacked(
    ApiPropertyOptional({ type: [String], example: [example] }),
    IsOptional(),
    Transform(trimEach),
    IsArray({ message: `${words.list} must be a list` }),
    ArrayMaxSize(20, { message: `Give 20 ${words.list.toLowerCase()} or fewer` }),
    IsText(words.each, 1000, { each: true }),
  );

/** { <domain key>: <grade> }, for a moderator's domain grades. */
function IsDomainGradeMap(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDomainGradeMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `Domain grades must give each domain one of the grades ${GRADES.join(', ')} (50 domains at most)`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 50 &&
          Object.entries(value).every(([k, v]) => DOMAIN_KEY.test(k) && GRADES.includes(v as Grade)),
      },
    });
}

// ---- Audits ------------------------------------------------------------------------------------------
export class StartAuditDto {
  @OptionalRecordId('Audit id', { example: 'a7c1e2f0-1b2c-4d5e-8f90-123456789abc', description: 'Defaults to a new uuid.' })
  auditId?: string;

  @ApiProperty({ example: 'CASE-40213', description: "The case-management system's id: never a name." })
  @Required('Enter a case reference')
  @IsSubjectRef('Case reference')
  caseRef!: string;

  @TeamField('cin-north')
  teamId!: string;

  @ApiProperty({ example: '2026-05-04', description: 'Day the case file was audited (YYYY-MM-DD); not in the future.' })
  @Required('Enter the date of the audit')
  @IsDay('Date of the audit')
  auditedOn!: string;

  @OptionalRecordId('Programme', { example: 'pre-birth-2026' })
  programmeId?: string;

  @OptionalRecordId('Framework', {
    example: 'default',
    description: "Framework to grade against (its current version); default 'default'.",
  })
  frameworkId?: string;
}

export class GradeDomainDto {
  @ApiProperty({ example: 'voice-of-child' })
  @Required('Choose a domain')
  @Matches(DOMAIN_KEY, { message: DOMAIN_MESSAGE })
  domain!: string;

  @ChoiceField(GRADES, 'Choose a grade')
  grade!: Grade;

  @ApiPropertyOptional({ example: 'Child seen alone on each visit; wishes recorded in their own words.', maxLength: 4000 })
  @IsOptional()
  @Transform(trim)
  @IsText('Evidence', 4000, { min: 0 })
  evidence?: string;
}

export class SubmitAuditDto {
  @ChoiceField(GRADES, 'Choose the overall grade', 'On the four-point scale: "not-applicable" is refused (422).')
  overallGrade!: Grade;

  @OptionalTextList('Clear management oversight', { list: 'Strengths', each: 'Each strength' })
  strengths?: string[];

  @OptionalTextList('Use the Graded Care Profile 2', { list: 'Areas for development', each: 'Each area for development' })
  areasForDevelopment?: string[];

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @Transform(trim)
  @IsText('Feedback from the child and family', 4000)
  childAndFamilyFeedback?: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description:
      'Needed when a limiting domain is inadequate but the overall grade is not, or when the overall grade is more than one grade better than the worst domain.',
  })
  @IsOptional()
  @Transform(trim)
  @IsText('Reason for the overall grade', 2000)
  overallGradeReason?: string;

  @OptionalDay('Date submitted', 'Defaults to today; not in the future.', '2026-05-08')
  submittedOn?: string;
}

export class CorrectGradeDto {
  @ApiProperty({ example: 'planning', description: `A domain key, or "${OVERALL}" for the overall grade.` })
  @Required('Choose the grade to correct')
  @Matches(DOMAIN_KEY, { message: DOMAIN_MESSAGE })
  domain!: string;

  @ChoiceField(GRADES, 'Choose the new grade')
  to!: Grade;

  @TextField(
    'The plan was reviewed at the core group after the audit date.',
    { name: 'Reason', enter: 'Enter why the grade is corrected' },
    1000,
  )
  reason!: string;
}

/** The third decision on a disagreement between auditor and moderator (ModerationDisagreementResolved). */
export class ResolveDisagreementDto {
  @ApiProperty({ enum: GRADES, description: 'The overall grade decided; it counts for the case from now on.' })
  @Required('Choose the overall grade')
  @IsIn(GRADES, { message: 'Choose the overall grade from the list' })
  overallGrade!: Grade;

  @TextField(
    'The risks were analysed in the strategy discussion notes.',
    { name: 'Reasons', enter: 'Enter the reasons for the decision' },
    1000,
  )
  rationale!: string;
}

export class RequestModerationDto {
  @ApiProperty({ description: 'The second auditor (a user id); never the auditor.' })
  @Required('Choose a moderator')
  @Matches(USER_ID, { message: USER_ID_MESSAGE('Moderator') })
  moderatorId!: string;
}

export class ModerateAuditDto {
  @ChoiceField(GRADES, 'Choose the overall grade')
  overallGrade!: Grade;

  @ApiPropertyOptional({ type: Object, example: { planning: 'requires-improvement' } })
  @IsOptional()
  @IsDomainGradeMap()
  domainGrades?: Record<string, Grade>;

  @ApiPropertyOptional({
    description:
      "Whether the moderator agrees with the auditor's judgement. Left out (a moderator grades blind), it follows from the grades: agreed when the two overall grades are the same.",
  })
  @IsOptional()
  @IsBoolean({ message: 'Agreed must be true or false' })
  agreed?: boolean;

  @ApiProperty({ maxLength: 4000 })
  @Transform(trim)
  @Required('Enter the reasons for your judgement')
  @IsText('Reasons', 4000)
  rationale!: string;
}

export class RaiseAuditActionDto {
  @TextField(
    'Update the chronology and share it with the core group',
    { name: 'Action', enter: 'Enter what needs to be done' },
    1000,
  )
  description!: string;

  @ApiProperty({ description: 'The user who owns the action.' })
  @Required('Choose who owns the action')
  @Matches(USER_ID, { message: USER_ID_MESSAGE('Owner') })
  ownerId!: string;

  @OptionalDay('Due date', 'Defaults to 20 working days after raisedOn.', '2026-06-05')
  dueOn?: string;

  @OptionalDay('Date raised', 'Defaults to today; not in the future.', '2026-05-08')
  raisedOn?: string;
}

export class CompleteAuditActionDto {
  @ApiPropertyOptional({
    description:
      'For an immediate review (required there): was immediate safeguarding action needed? The evidence says what was done.',
  })
  @IsOptional()
  @IsBoolean({ message: 'Choose yes or no for whether immediate safeguarding action was needed' })
  safeguardingActionNeeded?: boolean;

  @TextField('Chronology updated and discussed in supervision on 2 June', {
    name: 'Evidence',
    enter: 'Give the evidence that the action is done',
  })
  evidence!: string;

  @OptionalDay('Date completed', 'Defaults to today; not in the future.', '2026-06-02')
  completedOn?: string;
}

export class CancelAuditActionDto {
  @TextField('Case closed: the child moved out of the area', { name: 'Reason', enter: 'Enter why the action is cancelled' }, 1000)
  reason!: string;

  @OptionalDay('Date cancelled', 'Defaults to today; not in the future.', '2026-06-02')
  cancelledOn?: string;
}

export class AuditIdParam {
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('Id') })
  id!: string;
}

export class AuditActionParams extends AuditIdParam {
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('Action id') })
  actionId!: string;
}

export class ListAuditsParams {
  @ApiPropertyOptional() @IsOptional() @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE }) teamId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('Programme') }) programmeId?: string;
  @ApiPropertyOptional({ description: 'auditedOn on or after (YYYY-MM-DD)' }) @IsOptional() @IsDay('From') from?: string;
  @ApiPropertyOptional({ description: 'auditedOn on or before (YYYY-MM-DD)' }) @IsOptional() @IsDay('To') to?: string;
  @OptionalChoice(AUDIT_STATUSES, 'Choose a status from the list')
  status?: AuditStatus;
}

// ---- Programmes and frameworks -----------------------------------------------------------------------
export class CreateAuditProgrammeDto {
  @OptionalRecordId('Programme', { example: 'pre-birth-2026', description: 'Defaults to a new uuid.' })
  programmeId?: string;

  @TextField('Pre-birth assessments', { name: 'Title', enter: 'Enter a title' }, 200)
  title!: string;

  @ChoiceField(PROGRAMME_KINDS, 'Choose the kind of programme')
  kind!: ProgrammeKind;

  @ApiPropertyOptional({ example: 'Pre-birth assessment', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsText('Theme', 200)
  theme?: string;

  @ApiProperty({ example: '2026-04-01' }) @Required('Enter the start date') @IsDay('Start date') from!: string;
  @ApiProperty({ example: '2026-04-30' }) @Required('Enter the end date') @IsDay('End date') to!: string;

  @TeamsField(['assessment-1'], 100)
  teamIds!: string[];

  @OptionalRecordId('Programme it re-audits', { description: 'For a re-audit: the programme it re-audits.' })
  reAuditOf?: string;
}

export class ProgrammeIdParam {
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('Id') })
  id!: string;
}

export class FrameworkDomainDto {
  @ApiProperty({ example: 'voice-of-child' })
  @Required('Enter each domain’s key')
  @Matches(DOMAIN_KEY, { message: DOMAIN_MESSAGE })
  key!: string;
  @TextField('Voice of the child', { name: 'Domain title', enter: 'Enter each domain’s title' }, 100)
  title!: string;
  @ApiProperty({ maxLength: 1000 })
  @Transform(trim)
  @Required('Enter each domain’s guidance', { emptyAllowed: true })
  @IsText('Guidance', 1000, { min: 0 })
  guidance!: string;
  @ApiPropertyOptional({
    description: 'A limiting domain: graded inadequate, the case is inadequate overall unless a reason is recorded.',
  })
  @IsOptional()
  @IsBoolean({ message: 'Limiting must be true or false' })
  limiting?: boolean;
}

export class PublishAuditFrameworkDto {
  @OptionalRecordId('Framework', { example: 'default', description: "Defaults to 'default'." })
  frameworkId?: string;

  @NestedListField(FrameworkDomainDto, [1, 50], {
    enter: 'Add at least one domain',
    list: 'Domains must be a list',
    tooFew: 'Add at least one domain',
    tooMany: 'Add 50 domains or fewer',
    each: 'Each domain must have a key, a title and guidance',
  })
  domains!: FrameworkDomainDto[];
}

// ---- Reports -----------------------------------------------------------------------------------------
/** The route's team (the teams context's one route parameter for it). */
export { TeamRouteParam as TeamIdRouteParam } from '../teams';

export class RatingsParams {
  @ApiPropertyOptional({ description: 'auditedOn on or after (YYYY-MM-DD)' }) @IsOptional() @IsDay('From') from?: string;
  @ApiPropertyOptional({ description: 'auditedOn on or before (YYYY-MM-DD)' }) @IsOptional() @IsDay('To') to?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('Programme') }) programmeId?: string;
}

export class TeamAuditActionsParams {
  @OptionalChoice(['open', 'overdue', 'completed'], 'Status must be open, overdue or completed', {
    description: 'open = not yet due, overdue = past due; omitted = every outstanding action (open and overdue).',
  })
  status?: 'open' | 'overdue' | 'completed';

  @ApiPropertyOptional({ description: 'The day to judge "overdue" on (YYYY-MM-DD); defaults to today.' })
  @IsOptional()
  @IsDay('Date')
  on?: string;
}

export class AgreementParams {
  @ApiPropertyOptional({ description: 'auditedOn on or after (YYYY-MM-DD)' }) @IsOptional() @IsDay('From') from?: string;
  @ApiPropertyOptional({ description: 'auditedOn on or before (YYYY-MM-DD)' }) @IsOptional() @IsDay('To') to?: string;
}
