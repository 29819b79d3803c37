import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches, Max, Min } from 'class-validator';
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
import { IsDay, IsDecimal, IsText, Required, trim, TextField, ChoiceField, OptionalChoice } from '../../core';
import { TeamField, TeamFilter } from '../../teams';

/** Indicator codes (plans name indicators by them too). */
export const INDICATOR_CODE = /^[a-z0-9][a-z0-9-]{1,39}$/;
export const INDICATOR_CODE_MESSAGE =
  'must be an indicator code: 2 to 40 lower-case letters, numbers or hyphens, like contacts-24h';

/** Any of the three period shapes; whether it fits the indicator's frequency is a rule (422). */
const PERIOD_SHAPE = /^(\d{4}-\d{2}|\d{4}\/\d{2} Q\d|\d{4}-W\d{2})$/;
const PERIOD_MESSAGE = 'Period must be written like 2020-06 (a month), 2020/21 Q1 (a financial quarter) or 2020-W23 (a week)';

/**
 * A figure of at most four decimal places, from 0 to `max` ("Target must be 1,000,000 or less"): required when
 * `enter` says what to enter, else optional. Listed last rule first, as stacked decorators are applied.
 */
const Figure = (name: string, max: number, docs: { example: number; description?: string }, enter?: string): PropertyDecorator =>
  applyDecorators(
    Max(max, { message: `${name} must be ${max.toLocaleString('en-GB')} or less` }),
    Min(0, { message: `${name} must be 0 or more` }),
    IsDecimal(name, 4),
    ...(enter ? [Required(enter), ApiProperty(docs)] : [IsOptional(), ApiPropertyOptional(docs)]),
  );

export class DefineIndicatorDto {
  @ApiProperty({ example: 'contacts-24h' })
  @Required('Enter a code for the indicator')
  @Matches(INDICATOR_CODE, { message: `Code ${INDICATOR_CODE_MESSAGE}` })
  code!: string;

  @TextField('Contacts completed within 24 hours', { name: 'Name', enter: 'Enter the indicator’s name' }, 200)
  name!: string;

  @ChoiceField(INDICATOR_UNITS, 'Choose the unit')
  unit!: IndicatorUnit;

  @ChoiceField(POLARITIES, 'Choose whether higher or lower is better')
  polarity!: Polarity;

  @Figure('Target', 1_000_000, { example: 95 }, 'Enter the target')
  target!: number;

  @Figure(
    'Tolerance',
    1_000_000,
    { example: 5, description: 'How far short of the target is still amber.' },
    'Enter the tolerance',
  )
  tolerance!: number;

  @ChoiceField(FREQUENCIES, 'Choose how often it is measured')
  frequency!: Frequency;

  @OptionalChoice(AGGREGATIONS, 'Choose how values add up over a year from the list', {
    description: 'How monthly values add up over a year: sum, mean or last value. Default: mean for % and days, else last.',
  })
  aggregation?: Aggregation;
}

export class ChangeAggregationDto {
  @ChoiceField(AGGREGATIONS, 'Choose how values add up over a year', 'A percentage or a rate cannot be summed.')
  aggregation!: Aggregation;
}

export class RecordComparatorDto {
  @ChoiceField(COMPARATORS, 'Choose a comparator')
  comparator!: Comparator;

  @ApiProperty({ example: '2019/20', description: 'The financial year the published figure is for.' })
  @Required('Enter the year')
  @Matches(/^\d{4}\/\d{2}$/, { message: 'Year must be a financial year written like 2019/20' })
  year!: string;

  @Figure('Published value', 1_000_000_000, { example: 64 }, 'Enter the published value')
  value!: number;

  @ApiPropertyOptional({ example: 'DfE children looked after statistics, 2020', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsText('Source', 200)
  source?: string;
}

export class ChangeTargetDto {
  @Figure('Target', 1_000_000, { example: 90 }, 'Enter the target')
  target!: number;

  @Figure('Tolerance', 1_000_000, { example: 5 }, 'Enter the tolerance')
  tolerance!: number;

  @ApiProperty({ example: '2020-10-01', description: 'The new target applies to periods ending on or after this day.' })
  @Required('Enter the date the target applies from')
  @IsDay('Applies from')
  from!: string;
}

/** A team's own target: the same fields as a change of the indicator's target, for one team. */
export class SetTeamTargetDto extends ChangeTargetDto {
  @TeamField('mash')
  teamId!: string;
}

class MeasurementFields {
  @TeamFilter({ example: 'mash', description: 'Leave out for a council-wide figure.' })
  teamId?: string;

  @ApiProperty({ example: '2020-06' })
  @Required('Enter the period')
  @Matches(PERIOD_SHAPE, { message: PERIOD_MESSAGE })
  period!: string;

  @Figure('Value', 1_000_000_000, { example: 68.1 }, 'Enter the value')
  value!: number;

  @Figure('Numerator', 1_000_000_000, { example: 1318 })
  numerator?: number;

  @Figure('Denominator', 1_000_000_000, { example: 1938 })
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
  @TextField(
    'Late recording of 21 contacts completed on time',
    { name: 'Reason for the correction', enter: 'Enter the reason for the correction' },
    1000,
  )
  reason!: string;
}

export class CodeParam {
  @Matches(INDICATOR_CODE, { message: `Indicator ${INDICATOR_CODE_MESSAGE}` })
  code!: string;
}

export class ScorecardParams {
  @TeamFilter({ example: 'mash', description: 'A team; leave out for council-wide figures.' })
  teamId?: string;

  @ApiPropertyOptional({ example: '2020/21 Q1', description: 'Latest value in or before this period (default: latest).' })
  @IsOptional()
  @Matches(PERIOD_SHAPE, { message: PERIOD_MESSAGE })
  period?: string;
}
