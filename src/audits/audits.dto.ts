import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { IsDay, IsSubjectRef, trim } from '../core';
import { TEAM_ID, TEAM_ID_MESSAGE } from '../teams';
import { AUDIT_STATUSES, type AuditStatus } from './audit.decider';
import { GRADES, OVERALL, PROGRAMME_KINDS, type Grade, type ProgrammeKind } from './audits.events';

/** Ids of audits, programmes, frameworks and actions: letters, digits and hyphens (a uuid fits). */
export const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/;
const RECORD_ID_MESSAGE = (field: string): string => `${field} must be 1-40 letters, digits or hyphens`;
/** Framework domain keys: lower-case words joined by hyphens, e.g. voice-of-child. */
export const DOMAIN_KEY = /^[a-z0-9][a-z0-9-]{0,39}$/;
const DOMAIN_MESSAGE = 'domain must be a domain key such as voice-of-child (1-40 lower-case letters, digits or hyphens)';
const USER_ID = /^[A-Za-z0-9-]{1,36}$/;
const USER_ID_MESSAGE = (field: string): string => `${field} must be a user id`;

/** Each element trimmed; non-strings are left for the validators to refuse. */
const trimEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value;

/** { <domain key>: <grade> }, for a moderator's domain grades. */
function IsDomainGradeMap(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDomainGradeMap',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must map domain keys to grades (${GRADES.join(', ')}), at most 50`,
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
  @ApiPropertyOptional({ example: 'a7c1e2f0-1b2c-4d5e-8f90-123456789abc', description: 'Defaults to a new uuid.' })
  @IsOptional()
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('auditId') })
  auditId?: string;

  @ApiProperty({ example: 'CASE-40213', description: "The case-management system's id: never a name." })
  @IsString()
  @MaxLength(100)
  @IsSubjectRef()
  caseRef!: string;

  @ApiProperty({ example: 'cin-north' })
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId!: string;

  @ApiProperty({ example: '2026-05-04', description: 'Day the case file was audited (YYYY-MM-DD); not in the future.' })
  @IsDay('auditedOn')
  auditedOn!: string;

  @ApiPropertyOptional({ example: 'pre-birth-2026' })
  @IsOptional()
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('programmeId') })
  programmeId?: string;

  @ApiPropertyOptional({
    example: 'default',
    description: "Framework to grade against (its current version); default 'default'.",
  })
  @IsOptional()
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('frameworkId') })
  frameworkId?: string;
}

export class GradeDomainDto {
  @ApiProperty({ example: 'voice-of-child' })
  @Matches(DOMAIN_KEY, { message: DOMAIN_MESSAGE })
  domain!: string;

  @ApiProperty({ enum: GRADES })
  @IsIn(GRADES)
  grade!: Grade;

  @ApiPropertyOptional({ example: 'Child seen alone on each visit; wishes recorded in their own words.', maxLength: 4000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(4000)
  evidence?: string;
}

export class SubmitAuditDto {
  @ApiProperty({ enum: GRADES, description: 'On the four-point scale: "not-applicable" is refused (422).' })
  @IsIn(GRADES)
  overallGrade!: Grade;

  @ApiPropertyOptional({ type: [String], example: ['Clear management oversight'] })
  @IsOptional()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 1000, { each: true })
  strengths?: string[];

  @ApiPropertyOptional({ type: [String], example: ['Use the Graded Care Profile 2'] })
  @IsOptional()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 1000, { each: true })
  areasForDevelopment?: string[];

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 4000)
  childAndFamilyFeedback?: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description:
      'Needed when a limiting domain is inadequate but the overall grade is not, or when the overall grade is more than one grade better than the worst domain.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  overallGradeReason?: string;

  @ApiPropertyOptional({ example: '2026-05-08', description: 'Defaults to today; not in the future.' })
  @IsOptional()
  @IsDay('submittedOn')
  submittedOn?: string;
}

export class CorrectGradeDto {
  @ApiProperty({ example: 'planning', description: `A domain key, or "${OVERALL}" for the overall grade.` })
  @Matches(DOMAIN_KEY, { message: DOMAIN_MESSAGE })
  domain!: string;

  @ApiProperty({ enum: GRADES })
  @IsIn(GRADES)
  to!: Grade;

  @ApiProperty({ example: 'The plan was reviewed at the core group after the audit date.', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

/** The third decision on a disagreement between auditor and moderator (ModerationDisagreementResolved). */
export class ResolveDisagreementDto {
  @ApiProperty({ enum: GRADES, description: 'The overall grade decided; it counts for the case from now on.' })
  @IsIn(GRADES)
  overallGrade!: Grade;

  @ApiProperty({ example: 'The risks were analysed in the strategy discussion notes.', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  rationale!: string;
}

export class RequestModerationDto {
  @ApiProperty({ description: 'The second auditor (a user id); never the auditor.' })
  @Matches(USER_ID, { message: USER_ID_MESSAGE('moderatorId') })
  moderatorId!: string;
}

export class ModerateAuditDto {
  @ApiProperty({ enum: GRADES })
  @IsIn(GRADES)
  overallGrade!: Grade;

  @ApiPropertyOptional({ type: Object, example: { planning: 'requires-improvement' } })
  @IsOptional()
  @IsDomainGradeMap()
  domainGrades?: Record<string, Grade>;

  @ApiProperty({ description: "Whether the moderator agrees with the auditor's judgement." })
  @IsBoolean()
  agreed!: boolean;

  @ApiProperty({ maxLength: 4000 })
  @Transform(trim)
  @IsString()
  @Length(1, 4000)
  rationale!: string;
}

export class RaiseAuditActionDto {
  @ApiProperty({ example: 'Update the chronology and share it with the core group', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  description!: string;

  @ApiProperty({ description: 'The user who owns the action.' })
  @Matches(USER_ID, { message: USER_ID_MESSAGE('ownerId') })
  ownerId!: string;

  @ApiPropertyOptional({ example: '2026-06-05', description: 'Defaults to 20 working days after raisedOn.' })
  @IsOptional()
  @IsDay('dueOn')
  dueOn?: string;

  @ApiPropertyOptional({ example: '2026-05-08', description: 'Defaults to today; not in the future.' })
  @IsOptional()
  @IsDay('raisedOn')
  raisedOn?: string;
}

export class CompleteAuditActionDto {
  @ApiPropertyOptional({
    description:
      'For an immediate review (required there): was immediate safeguarding action needed? The evidence says what was done.',
  })
  @IsOptional()
  @IsBoolean()
  safeguardingActionNeeded?: boolean;

  @ApiProperty({ example: 'Chronology updated and discussed in supervision on 2 June', maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  evidence!: string;

  @ApiPropertyOptional({ example: '2026-06-02', description: 'Defaults to today; not in the future.' })
  @IsOptional()
  @IsDay('completedOn')
  completedOn?: string;
}

export class CancelAuditActionDto {
  @ApiProperty({ example: 'Case closed: the child moved out of the area', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiPropertyOptional({ example: '2026-06-02', description: 'Defaults to today; not in the future.' })
  @IsOptional()
  @IsDay('cancelledOn')
  cancelledOn?: string;
}

export class AuditIdParam {
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('id') })
  id!: string;
}

export class AuditActionParams extends AuditIdParam {
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('actionId') })
  actionId!: string;
}

export class ListAuditsParams {
  @ApiPropertyOptional() @IsOptional() @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE }) teamId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('programmeId') }) programmeId?: string;
  @ApiPropertyOptional({ description: 'auditedOn on or after (YYYY-MM-DD)' }) @IsOptional() @IsDay('from') from?: string;
  @ApiPropertyOptional({ description: 'auditedOn on or before (YYYY-MM-DD)' }) @IsOptional() @IsDay('to') to?: string;
  @ApiPropertyOptional({ enum: AUDIT_STATUSES }) @IsOptional() @IsIn(AUDIT_STATUSES) status?: AuditStatus;
}

// ---- Programmes and frameworks -----------------------------------------------------------------------
export class CreateAuditProgrammeDto {
  @ApiPropertyOptional({ example: 'pre-birth-2026', description: 'Defaults to a new uuid.' })
  @IsOptional()
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('programmeId') })
  programmeId?: string;

  @ApiProperty({ example: 'Pre-birth assessments', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ enum: PROGRAMME_KINDS })
  @IsIn(PROGRAMME_KINDS)
  kind!: ProgrammeKind;

  @ApiPropertyOptional({ example: 'Pre-birth assessment', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  theme?: string;

  @ApiProperty({ example: '2026-04-01' }) @IsDay('from') from!: string;
  @ApiProperty({ example: '2026-04-30' }) @IsDay('to') to!: string;

  @ApiProperty({ type: [String], example: ['assessment-1'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(TEAM_ID, { each: true, message: TEAM_ID_MESSAGE })
  teamIds!: string[];

  @ApiPropertyOptional({ description: 'For a re-audit: the programme it re-audits.' })
  @IsOptional()
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('reAuditOf') })
  reAuditOf?: string;
}

export class ProgrammeIdParam {
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('id') })
  id!: string;
}

export class FrameworkDomainDto {
  @ApiProperty({ example: 'voice-of-child' }) @Matches(DOMAIN_KEY, { message: DOMAIN_MESSAGE }) key!: string;
  @ApiProperty({ example: 'Voice of the child', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  title!: string;
  @ApiProperty({ maxLength: 1000 }) @Transform(trim) @IsString() @MaxLength(1000) guidance!: string;
  @ApiPropertyOptional({
    description: 'A limiting domain: graded inadequate, the case is inadequate overall unless a reason is recorded.',
  })
  @IsOptional()
  @IsBoolean()
  limiting?: boolean;
}

export class PublishAuditFrameworkDto {
  @ApiPropertyOptional({ example: 'default', description: "Defaults to 'default'." })
  @IsOptional()
  @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('frameworkId') })
  frameworkId?: string;

  @ApiProperty({ type: [FrameworkDomainDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FrameworkDomainDto)
  domains!: FrameworkDomainDto[];
}

// ---- Reports -----------------------------------------------------------------------------------------
/** The route's team (the teams context's one route parameter for it). */
export { TeamRouteParam as TeamIdRouteParam } from '../teams';

export class RatingsParams {
  @ApiPropertyOptional({ description: 'auditedOn on or after (YYYY-MM-DD)' }) @IsOptional() @IsDay('from') from?: string;
  @ApiPropertyOptional({ description: 'auditedOn on or before (YYYY-MM-DD)' }) @IsOptional() @IsDay('to') to?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(RECORD_ID, { message: RECORD_ID_MESSAGE('programmeId') }) programmeId?: string;
}

export class TeamAuditActionsParams {
  @ApiPropertyOptional({
    enum: ['open', 'overdue', 'completed'],
    description: 'open = not yet due, overdue = past due; omitted = every outstanding action (open and overdue).',
  })
  @IsOptional()
  @IsIn(['open', 'overdue', 'completed'])
  status?: 'open' | 'overdue' | 'completed';

  @ApiPropertyOptional({ description: 'The day to judge "overdue" on (YYYY-MM-DD); defaults to today.' })
  @IsOptional()
  @IsDay('on')
  on?: string;
}

export class AgreementParams {
  @ApiPropertyOptional({ description: 'auditedOn on or after (YYYY-MM-DD)' }) @IsOptional() @IsDay('from') from?: string;
  @ApiPropertyOptional({ description: 'auditedOn on or before (YYYY-MM-DD)' }) @IsOptional() @IsDay('to') to?: string;
}
