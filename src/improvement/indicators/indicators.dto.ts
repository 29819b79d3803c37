import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  AGGREGATIONS,
  COMPARATORS,
  FREQUENCIES,
  INDICATOR_UNITS,
  POLARITIES,
  type Aggregation,
  type Comparator,
  type Frequency,
  type IndicatorUnit,
  type Polarity,
} from '@casetrail/kernel';
import { IsDay, IsDecimal, IsText, Required, trim } from '../../core';
import { TEAM_ID, TEAM_ID_MESSAGE } from '../../teams';

/** Indicator codes (plans name indicators by them too). */
export const INDICATOR_CODE = /^[a-z0-9][a-z0-9-]{1,39}$/;
export const INDICATOR_CODE_MESSAGE =
  'must be an indicator code: 2 to 40 lower-case letters, numbers or hyphens, like contacts-24h';

/** Any of the three period shapes; whether it fits the indicator's frequency is a rule (422). */
const PERIOD_SHAPE = /^(\d{4}-\d{2}|\d{4}\/\d{2} Q\d|\d{4}-W\d{2})$/;
const PERIOD_MESSAGE = 'Period must be written like 2020-06 (a month), 2020/21 Q1 (a financial quarter) or 2020-W23 (a week)';

export class DefineIndicatorDto {
  @ApiProperty({ example: 'contacts-24h' })
  @Required('Enter a code for the indicator')
  @Matches(INDICATOR_CODE, { message: `Code ${INDICATOR_CODE_MESSAGE}` })
  code!: string;

  @ApiProperty({ example: 'Contacts completed within 24 hours', maxLength: 200 })
  @Transform(trim)
  @Required('Enter the indicator’s name')
  @IsText('Name', 200)
  name!: string;

  @ApiProperty({ enum: INDICATOR_UNITS })
  @Required('Choose the unit')
  @IsIn(INDICATOR_UNITS, { message: 'Choose the unit from the list' })
  unit!: IndicatorUnit;

  @ApiProperty({ enum: POLARITIES })
  @Required('Choose whether higher or lower is better')
  @IsIn(POLARITIES, { message: 'Choose whether higher or lower is better from the list' })
  polarity!: Polarity;

  @ApiProperty({ example: 95 })
  @Required('Enter the target')
  @IsDecimal('Target', 4)
  @Min(0, { message: 'Target must be 0 or more' })
  @Max(1_000_000, { message: 'Target must be 1,000,000 or less' })
  target!: number;

  @ApiProperty({ example: 5, description: 'How far short of the target is still amber.' })
  @Required('Enter the tolerance')
  @IsDecimal('Tolerance', 4)
  @Min(0, { message: 'Tolerance must be 0 or more' })
  @Max(1_000_000, { message: 'Tolerance must be 1,000,000 or less' })
  tolerance!: number;

  @ApiProperty({ enum: FREQUENCIES })
  @Required('Choose how often it is measured')
  @IsIn(FREQUENCIES, { message: 'Choose how often it is measured from the list' })
  frequency!: Frequency;

  @ApiPropertyOptional({
    enum: AGGREGATIONS,
    description: 'How monthly values add up over a year: sum, mean or last value. Default: mean for % and days, else last.',
  })
  @IsOptional()
  @IsIn(AGGREGATIONS, { message: 'Choose how values add up over a year from the list' })
  aggregation?: Aggregation;
}

export class ChangeAggregationDto {
  @ApiProperty({ enum: AGGREGATIONS, description: 'A percentage or a rate cannot be summed.' })
  @Required('Choose how values add up over a year')
  @IsIn(AGGREGATIONS, { message: 'Choose how values add up over a year from the list' })
  aggregation!: Aggregation;
}

export class RecordComparatorDto {
  @ApiProperty({ enum: COMPARATORS })
  @Required('Choose a comparator')
  @IsIn(COMPARATORS, { message: 'Choose a comparator from the list' })
  comparator!: Comparator;

  @ApiProperty({ example: '2019/20', description: 'The financial year the published figure is for.' })
  @Required('Enter the year')
  @Matches(/^\d{4}\/\d{2}$/, { message: 'Year must be a financial year written like 2019/20' })
  year!: string;

  @ApiProperty({ example: 64 })
  @Required('Enter the published value')
  @IsDecimal('Published value', 4)
  @Min(0, { message: 'Published value must be 0 or more' })
  @Max(1_000_000_000, { message: 'Published value must be 1,000,000,000 or less' })
  value!: number;

  @ApiPropertyOptional({ example: 'DfE children looked after statistics, 2020', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsText('Source', 200)
  source?: string;
}

export class ChangeTargetDto {
  @ApiProperty({ example: 90 })
  @Required('Enter the target')
  @IsDecimal('Target', 4)
  @Min(0, { message: 'Target must be 0 or more' })
  @Max(1_000_000, { message: 'Target must be 1,000,000 or less' })
  target!: number;

  @ApiProperty({ example: 5 })
  @Required('Enter the tolerance')
  @IsDecimal('Tolerance', 4)
  @Min(0, { message: 'Tolerance must be 0 or more' })
  @Max(1_000_000, { message: 'Tolerance must be 1,000,000 or less' })
  tolerance!: number;

  @ApiProperty({ example: '2020-10-01', description: 'The new target applies to periods ending on or after this day.' })
  @Required('Enter the date the target applies from')
  @IsDay('Applies from')
  from!: string;
}

/** A team's own target: the same fields as a change of the indicator's target, for one team. */
export class SetTeamTargetDto extends ChangeTargetDto {
  @ApiProperty({ example: 'mash' })
  @Required('Choose a team')
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId!: string;
}

class MeasurementFields {
  @ApiPropertyOptional({ example: 'mash', description: 'Leave out for a council-wide figure.' })
  @IsOptional()
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId?: string;

  @ApiProperty({ example: '2020-06' })
  @Required('Enter the period')
  @Matches(PERIOD_SHAPE, { message: PERIOD_MESSAGE })
  period!: string;

  @ApiProperty({ example: 68.1 })
  @Required('Enter the value')
  @IsDecimal('Value', 4)
  @Min(0, { message: 'Value must be 0 or more' })
  @Max(1_000_000_000, { message: 'Value must be 1,000,000,000 or less' })
  value!: number;

  @ApiPropertyOptional({ example: 1318 })
  @IsOptional()
  @IsDecimal('Numerator', 4)
  @Min(0, { message: 'Numerator must be 0 or more' })
  @Max(1_000_000_000, { message: 'Numerator must be 1,000,000,000 or less' })
  numerator?: number;

  @ApiPropertyOptional({ example: 1938 })
  @IsOptional()
  @IsDecimal('Denominator', 4)
  @Min(0, { message: 'Denominator must be 0 or more' })
  @Max(1_000_000_000, { message: 'Denominator must be 1,000,000,000 or less' })
  denominator?: number;
}

export class RecordMeasurementDto extends MeasurementFields {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @Transform(trim)
  @IsText('Note', 1000)
  note?: string;
}

export class CorrectMeasurementDto extends MeasurementFields {
  @ApiProperty({ example: 'Late recording of 21 contacts completed on time', maxLength: 1000 })
  @Transform(trim)
  @Required('Enter the reason for the correction')
  @IsText('Reason for the correction', 1000)
  reason!: string;
}

export class CodeParam {
  @Matches(INDICATOR_CODE, { message: `Indicator ${INDICATOR_CODE_MESSAGE}` })
  code!: string;
}

export class ScorecardParams {
  @ApiPropertyOptional({ example: 'mash', description: 'A team; leave out for council-wide figures.' })
  @IsOptional()
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId?: string;

  @ApiPropertyOptional({ example: '2020/21 Q1', description: 'Latest value in or before this period (default: latest).' })
  @IsOptional()
  @Matches(PERIOD_SHAPE, { message: PERIOD_MESSAGE })
  period?: string;
}
