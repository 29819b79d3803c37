import { applyDecorators } from '@nestjs/common';
import { DEFAULT_REFERENCE_PATTERN } from '../config';
import { buildMessage, IsISO8601, Matches, registerDecorator, ValidateBy, type ValidationOptions } from 'class-validator';

/** class-transformer helper shared by the DTOs: surrounding spaces never count as content. */
export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day `YYYY-MM-DD` that exists (2026-02-30 is refused). */
export const IsDay = (field: string): PropertyDecorator =>
  applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }, { message: `${field} must be a date like 2026-05-01` }),
    Matches(DAY, { message: `${field} must be a date like 2026-05-01` }),
  );

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

/** An instant (see parseInstant), with a plain message naming the field. */
export const IsInstant = (field: string): PropertyDecorator =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => parseInstant(value) !== null,
      defaultMessage: () => `${field} must be an ISO 8601 instant, e.g. 2020-06-30T23:59:59Z`,
    },
  });

/** class-transformer helper: a valid instant in UTC with milliseconds (as stored); anything else is left for the validator to refuse. */
export const toUtcInstant = ({ value }: { value: unknown }): unknown => parseInstant(value)?.toISOString() ?? value;

/** Default pattern of case and child references: the case-management system's id, never a name. */
let referencePattern = new RegExp(DEFAULT_REFERENCE_PATTERN);

/** Set once at start-up from REFERENCE_PATTERN. */
export function configureReferencePattern(pattern: string): void {
  referencePattern = new RegExp(pattern);
}

/** A case or child reference (caseRef, childRef) matching the configured REFERENCE_PATTERN. */
export function IsSubjectRef(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSubjectRef',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} must be the case-management system's reference (pattern ${referencePattern.source}), never a name`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && referencePattern.test(value) },
    });
}

/**
 * A finite number with at most `places` decimal places. Replaces class-validator's
 * IsNumber({ maxDecimalPlaces }), which throws (a 500) on numbers JavaScript writes with an
 * exponent, such as 1e-7 or 2e-323.
 */
export const IsDecimal = (places: number, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDecimal',
      constraints: [places],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a number with at most ${places} decimal places`,
          options,
        ),
      },
    },
    options,
  );
