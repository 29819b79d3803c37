import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsDecimal, IsText, Required, trim, TextField } from '../../core';

/** A service's stable id, e.g. "mash-assessment" or "looked-after-children". */
export const SERVICE = /^[a-z0-9][a-z0-9-]{1,39}$/;
const SERVICE_MESSAGE = 'Choose a service from the list';

const PARTS = ['whatWeKnow', 'howWeKnow', 'whatNext'] as const;
const SCORE_MESSAGE = 'Score must be a number from 0 to 10, with at most one decimal place (or left out)';

/** The service a self-assessment is for, chosen on the form ("Choose a service"). */
export const ServiceField = (docs: { example: string; description?: string }): PropertyDecorator =>
  applyDecorators(ApiProperty(docs), Required('Choose a service'), Matches(SERVICE, { message: SERVICE_MESSAGE }));

/** The financial quarter a self-assessment is for, written like 2020/21 Q1. */
export const QuarterField = (description: string, example = '2020/21 Q1'): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example, description }),
    Required('Choose a quarter'),
    Matches(/^\d{4}\/\d{2} Q[1-4]$/, { message: 'Quarter must be a financial quarter written like 2020/21 Q1' }),
  );

/** One of the assessment's three parts: the question it answers, up to 10,000 characters. */
const AssessmentPart = (question: string, words: { name: string; enter: string }): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ description: question, maxLength: 10000 }),
    Transform(trim),
    Required(words.enter),
    IsText(words.name, 10000),
  );

/** A figure the assessment rests on, with the link to its record (from a draft). */
export class SelfAssessmentSourceDto {
  @ApiProperty({ enum: PARTS, description: 'The part of the assessment it supports.' })
  @Required('Choose the part of the assessment each source supports')
  @IsIn(PARTS, { message: `Part must be one of ${PARTS.join(', ')}` })
  part!: (typeof PARTS)[number];

  @TextField('Management oversight: 56.25% good (9 of 16)', { name: 'Source label', enter: 'Enter each source’s label' }, 500)
  label!: string;

  @ApiProperty({ example: '/api/v1/impact?actionId=a1&on=2020-09-30', maxLength: 500, description: 'A link inside Casetrail.' })
  @Required('Enter each source’s link')
  @Matches(/^\/[^\s]{0,499}$/, { message: 'Source link must be a link inside Casetrail, starting with /' })
  href!: string;
}

export class RecordSelfAssessmentDto {
  @ServiceField({ example: 'mash-assessment' })
  service!: string;

  @QuarterField('The financial quarter assessed.')
  period!: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10,
    example: 6.5,
    description: '0 = practice has lost its way; 10 = exactly where we want to be. One decimal place at most; may be left out.',
  })
  @IsOptional()
  @Min(0, { message: SCORE_MESSAGE })
  @Max(10, { message: SCORE_MESSAGE })
  // IsDecimal, not IsNumber's maxDecimalPlaces, which throws (a 500) on numbers written with an exponent (-5e-324).
  @IsDecimal('Score', 1, { message: SCORE_MESSAGE })
  // Last, so that its message is the one shown for something that is not a number at all.
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: SCORE_MESSAGE })
  score?: number;

  @AssessmentPart('What do we know about the quality and impact of our practice?', {
    name: 'What we know',
    enter: 'Enter what we know about the quality and impact of our practice',
  })
  whatWeKnow!: string;

  @AssessmentPart('How do we know it?', { name: 'How we know it', enter: 'Enter how we know it' })
  howWeKnow!: string;

  @AssessmentPart('What are we going to do next?', {
    name: 'What we are going to do next',
    enter: 'Enter what we are going to do next',
  })
  whatNext!: string;

  @ApiPropertyOptional({
    type: [SelfAssessmentSourceDto],
    description: 'The sources of a drafted assessment (POST /api/v1/self-assessments/draft), kept with it.',
  })
  @IsOptional()
  @IsArray({ message: 'Sources must be a list' })
  @ArrayMaxSize(100, { message: 'Sources must be 100 or fewer' })
  @ValidateNested({ each: true, message: 'Each source must have a part, a label and a link' })
  @Type(() => SelfAssessmentSourceDto)
  sources?: SelfAssessmentSourceDto[];
}

export class ListSelfAssessmentsParams {
  @ApiPropertyOptional({ example: 'mash-assessment', description: 'One service; every service when left out.' })
  @IsOptional()
  @Matches(SERVICE, { message: SERVICE_MESSAGE })
  service?: string;
}
