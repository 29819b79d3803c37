import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
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
import { IsDay, IsDecimal, trim } from '../core';
import { TEAM_ID, TEAM_ID_MESSAGE } from '../teams';

/** Indicator codes (plans name indicators by them too). */
export const INDICATOR_CODE = /^[a-z0-9][a-z0-9-]{1,39}$/;
export const INDICATOR_CODE_MESSAGE = 'must be 2-40 lower-case letters, digits or hyphens, starting with a letter or digit';

/** Any of the three period shapes; whether it fits the indicator's frequency is a rule (422). */
const PERIOD_SHAPE = /^(\d{4}-\d{2}|\d{4}\/\d{2} Q\d|\d{4}-W\d{2})$/;
const PERIOD_MESSAGE = 'period must look like 2020-06 (month), 2020/21 Q1 (financial quarter) or 2020-W23 (ISO week)';

export class DefineIndicatorDto {
  @ApiProperty({ example: 'contacts-24h' })
  @Matches(INDICATOR_CODE, { message: `code ${INDICATOR_CODE_MESSAGE}` })
  code!: string;

  @ApiProperty({ example: 'Contacts completed within 24 hours', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: INDICATOR_UNITS })
  @IsIn(INDICATOR_UNITS)
  unit!: IndicatorUnit;

  @ApiProperty({ enum: POLARITIES })
  @IsIn(POLARITIES)
  polarity!: Polarity;

  @ApiProperty({ example: 95 })
  @IsDecimal(4)
  @Min(0)
  @Max(1_000_000)
  target!: number;

  @ApiProperty({ example: 5, description: 'How far short of the target is still amber.' })
  @IsDecimal(4)
  @Min(0)
  @Max(1_000_000)
  tolerance!: number;

  @ApiProperty({ enum: FREQUENCIES })
  @IsIn(FREQUENCIES)
  frequency!: Frequency;

  @ApiPropertyOptional({
    enum: AGGREGATIONS,
    description: 'How monthly values add up over a year: sum, mean or last value. Default: mean for % and days, else last.',
  })
  @IsOptional()
  @IsIn(AGGREGATIONS)
  aggregation?: Aggregation;
}

export class ChangeAggregationDto {
  @ApiProperty({ enum: AGGREGATIONS, description: 'A percentage or a rate cannot be summed.' })
  @IsIn(AGGREGATIONS)
  aggregation!: Aggregation;
}

export class RecordComparatorDto {
  @ApiProperty({ enum: COMPARATORS })
  @IsIn(COMPARATORS)
  comparator!: Comparator;

  @ApiProperty({ example: '2019/20', description: 'The financial year the published figure is for.' })
  @Matches(/^\d{4}\/\d{2}$/, { message: 'year must look like 2019/20' })
  year!: string;

  @ApiProperty({ example: 64 })
  @IsDecimal(4)
  @Min(0)
  @Max(1_000_000_000)
  value!: number;

  @ApiPropertyOptional({ example: 'DfE children looked after statistics, 2020', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  source?: string;
}

export class ChangeTargetDto {
  @ApiProperty({ example: 90 })
  @IsDecimal(4)
  @Min(0)
  @Max(1_000_000)
  target!: number;

  @ApiProperty({ example: 5 })
  @IsDecimal(4)
  @Min(0)
  @Max(1_000_000)
  tolerance!: number;

  @ApiProperty({ example: '2020-10-01', description: 'The new target applies to periods ending on or after this day.' })
  @IsDay('from')
  from!: string;
}

/** A team's own target: the same fields as a change of the indicator's target, for one team. */
export class SetTeamTargetDto extends ChangeTargetDto {
  @ApiProperty({ example: 'mash' })
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId!: string;
}

class MeasurementFields {
  @ApiPropertyOptional({ example: 'mash', description: 'Leave out for a council-wide figure.' })
  @IsOptional()
  @Matches(TEAM_ID, { message: TEAM_ID_MESSAGE })
  teamId?: string;

  @ApiProperty({ example: '2020-06' })
  @Matches(PERIOD_SHAPE, { message: PERIOD_MESSAGE })
  period!: string;

  @ApiProperty({ example: 68.1 })
  @IsDecimal(4)
  @Min(0)
  @Max(1_000_000_000)
  value!: number;

  @ApiPropertyOptional({ example: 1318 })
  @IsOptional()
  @IsDecimal(4)
  @Min(0)
  @Max(1_000_000_000)
  numerator?: number;

  @ApiPropertyOptional({ example: 1938 })
  @IsOptional()
  @IsDecimal(4)
  @Min(0)
  @Max(1_000_000_000)
  denominator?: number;
}

export class RecordMeasurementDto extends MeasurementFields {
  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class CorrectMeasurementDto extends MeasurementFields {
  @ApiProperty({ example: 'Late recording of 21 contacts completed on time', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class CodeParam {
  @Matches(INDICATOR_CODE, { message: `code ${INDICATOR_CODE_MESSAGE}` })
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
