import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { DEFAULT_REFERENCE_PATTERN } from '../config';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  IsString,
  Length,
  registerDecorator,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/** class-transformer helper shared by the DTOs: surrounding spaces never count as content. */
export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/*
 * Messages are written for a person, the GOV.UK way, and named after the field as people know it
 * ("Enter a due date", "Due date must be a real date", "Team name must be 100 characters or fewer"),
 * never class-validator's defaults. test/architecture/dto-messages.unit.spec.ts checks every DTO.
 */

/** Nothing there: undefined, null, a blank string or an empty list. */
export const isMissing = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/**
 * A field that must be given, and what to say when it is left empty ("Enter a team name",
 * "Choose a team"). When it fails it is the field's only message (fieldProblems drops the rest,
 * which fail only because nothing is there).
 */
export const Required = (message: string, options: { emptyAllowed?: boolean } = {}): PropertyDecorator =>
  ValidateBy(
    {
      name: REQUIRED,
      validator: {
        validate: (value: unknown) => (options.emptyAllowed ? value !== undefined && value !== null : !isMissing(value)),
      },
    },
    { message },
  );
export const REQUIRED = 'required';

/** "must be 100 characters or fewer", "must be 3 characters or more", "must not be blank". */
const lengthWords = (name: string, min: number, max: number, value: unknown): string => {
  if (typeof value === 'string' && value.trim() === '') return `${name} must not be blank`;
  if (typeof value === 'string' && value.length > max) return `${name} must be ${max} characters or fewer`;
  if (typeof value === 'string' && min > 1) return `${name} must be ${min} characters or more`;
  return min > 1 ? `${name} must be between ${min} and ${max} characters` : `${name} must be ${max} characters or fewer`;
};

/** Text of `min` (default 1) to `max` characters; `each` for every item of a list ("Each strength ..."). */
export const IsText = (name: string, max: number, options: { min?: number; each?: boolean } = {}): PropertyDecorator => {
  const { min = 1, each = false } = options;
  return applyDecorators(
    IsString({ each, message: `${name} must be text` }),
    Length(min, max, { each, message: (args: ValidationArguments) => lengthWords(name, min, max, args.value) }),
  );
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PARTS = ['year', 'month', 'day'] as const;

/** "Due date must include a month", "... must be a real date" (GOV.UK date input wording). */
const dayWords = (name: string, value: unknown): string => {
  if (typeof value === 'string') {
    // The page's day, month and year boxes arrive as "year-month-day", a box left empty as nothing between hyphens.
    const parts = value.split('-');
    if (parts.length === 3 && parts.some((part) => part.trim() === '')) {
      const missing = ['day', 'month', 'year'].filter(
        (part) => parts[PARTS.indexOf(part as (typeof PARTS)[number])].trim() === '',
      );
      return `${name} must include a ${missing.join(' and ')}`;
    }
    if (parts.length === 3) return `${name} must be a real date`;
  }
  return `${name} must be a real date, written like 2026-05-01`;
};

/** A day that exists, written `YYYY-MM-DD` (2026-02-30 is refused); `name` as people know the field ("Due date"). */
export const IsDay = (name: string): PropertyDecorator =>
  ValidateBy(
    { name: 'isDay', validator: { validate: (value: unknown) => typeof value === 'string' && isRealDay(value) } },
    { message: (args: ValidationArguments) => dayWords(name, args.value) },
  );

const isRealDay = (value: string): boolean => {
  if (!DAY.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** An instant with a date, a time and a zone: `2020-06-30T23:59:59Z`, `2020-06-30T23:59:59.500+01:00`. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant, or null unless it is written exactly so (ISO 8601 with a date, a time and a zone)
 * and names a real day and time (no 31 June, no hour 24). Never Date.parse on its own: that
 * reads "1", "May 2099" and "2020-06-31T00:00:00Z" as some instant or other.
 */
export const parseInstant = (value: unknown): Date | null => {
  if (typeof value !== 'string' || !INSTANT.test(value)) return null;
  const [year, month, day, hour, minute, second = 0] = value.split(/[-T:.Z+]/, 6).map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const real =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day &&
    calendar.getUTCHours() === hour &&
    calendar.getUTCMinutes() === minute &&
    calendar.getUTCSeconds() === second;
  const zone = /(Z|[+-](\d{2}):(\d{2}))$/.exec(value);
  const zoneReal = zone !== null && (zone[1] === 'Z' || (Number(zone[2]) <= 23 && Number(zone[3]) <= 59));
  const instant = new Date(value);
  return real && zoneReal && !Number.isNaN(instant.getTime()) ? instant : null;
};

/** An instant (see parseInstant), with a plain message naming the field ("As at"). */
export const IsInstant = (name: string): PropertyDecorator =>
  ValidateBy(
    { name: 'isInstant', validator: { validate: (value: unknown) => parseInstant(value) !== null } },
    { message: `${name} must be a real date and time, written like 2020-06-30T23:59:59Z` },
  );

/** class-transformer helper: a valid instant in UTC with milliseconds (as stored); anything else is left for the validator to refuse. */
export const toUtcInstant = ({ value }: { value: unknown }): unknown => parseInstant(value)?.toISOString() ?? value;

/** Default pattern of case and child references: the case-management system's id, never a name. */
let referencePattern = new RegExp(DEFAULT_REFERENCE_PATTERN);

/** Set once at start-up from REFERENCE_PATTERN. */
export function configureReferencePattern(pattern: string): void {
  referencePattern = new RegExp(pattern);
}

/** What a reference must look like, in words (the default pattern), or that it is the system's reference (a pattern set locally). */
const referenceWords = (name: string): string =>
  referencePattern.source === DEFAULT_REFERENCE_PATTERN
    ? `${name} must be 20 characters or fewer and use only letters, numbers and hyphens`
    : `${name} must be the case-management system's reference, never a name`;

/** A case or child reference (caseRef, childRef) matching the configured REFERENCE_PATTERN; `name` as people know it ("Case reference"). */
export function IsSubjectRef(name: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSubjectRef',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: () => referenceWords(name), ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && referencePattern.test(value) },
    });
}

/**
 * A finite number with at most `places` decimal places. Replaces class-validator's
 * IsNumber({ maxDecimalPlaces }), which throws (a 500) on numbers JavaScript writes with an
 * exponent, such as 1e-7 or 2e-323.
 */
export const IsDecimal = (name: string, places: number, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDecimal',
      constraints: [places],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value,
      },
    },
    {
      message: `${name} must be a number${places === 0 ? ' with no decimal places' : ` with at most ${places === 1 ? 'one decimal place' : `${places} decimal places`}`}`,
      ...options,
    },
  );

/** Only a description that is there: the API documentation shows no empty one. */
const described = (description?: string): { description?: string } => (description === undefined ? {} : { description });

/**
 * Decorators in the order they would stand one above the other on the field: applied bottom first, as
 * TypeScript does, so that a field's problems are listed in the same order as when they were written out.
 */
export const stacked = (...decorators: PropertyDecorator[]): PropertyDecorator => applyDecorators(...decorators.reverse());

/** A text a person must give: trimmed, "Enter …" (`words.enter`) when empty, at most `max` characters. */
export const TextField = (
  example: string,
  words: { name: string; enter: string },
  max = 2000,
  description?: string,
): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example, maxLength: max, ...described(description) }),
    Transform(trim),
    Required(words.enter),
    IsText(words.name, max),
  );

/**
 * A whole number a person must give, from `min` to `max`: "Enter …" (`words.enter`) when empty; `words.unit`
 * (one, many) names what it counts in the messages ("must be 1 working day or more").
 */
export const WholeNumberField = (
  example: number,
  [min, max]: [number, number],
  words: { name: string; enter: string; unit?: { one: string; many: string } },
): PropertyDecorator => {
  const { name, enter, unit } = words;
  const counted = (n: number): string => (unit ? `${n} ${n === 1 ? unit.one : unit.many}` : `${n}`);
  return stacked(
    ApiProperty({ example, minimum: min, maximum: max }),
    Required(enter),
    IsInt({ message: `${name} must be a whole number${unit ? ` of ${unit.many}` : ''}` }),
    Min(min, { message: `${name} must be ${counted(min)} or more` }),
    Max(max, { message: `${name} must be ${counted(max)} or fewer` }),
  );
};

/** A list of records a person must give, each checked as `type`, `min` to `max` long; the messages are the form's words. */
export const NestedListField = (
  type: new () => object,
  [min, max]: [number, number],
  words: { enter: string; list: string; tooFew: string; tooMany: string; each: string; description?: string },
): PropertyDecorator =>
  stacked(
    ApiProperty({ type: [type], ...described(words.description) }),
    Required(words.enter),
    IsArray({ message: words.list }),
    ArrayMinSize(min, { message: words.tooFew }),
    ArrayMaxSize(max, { message: words.tooMany }),
    ValidateNested({ each: true, message: words.each }),
    Type(() => type),
  );

/** An optional business date (YYYY-MM-DD); what it defaults to is the use case's (the description says it). */
export const OptionalDay = (name: string, description: string, example = '2020-05-04'): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ example, description }), IsOptional(), IsDay(name));

/** One of a list a person must choose: "Choose a grade" when empty, "Choose a grade from the list" otherwise. */
export const ChoiceField = (values: readonly string[], choose: string, description?: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ enum: values, ...described(description) }),
    Required(choose),
    IsIn(values, { message: `${choose} from the list` }),
  );

/** One of a list a person may choose or leave out (a filter, a setting with a default): `message` when off the list. */
export const OptionalChoice = (
  values: readonly string[],
  message: string,
  docs: { default?: string; description?: string } = {},
): PropertyDecorator => applyDecorators(ApiPropertyOptional({ enum: values, ...docs }), IsOptional(), IsIn(values, { message }));
