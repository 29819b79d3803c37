import { applyDecorators } from '@nestjs/common';
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

/** Default pattern of case and child references: the case-management system's id, never a name. */
export const DEFAULT_REFERENCE_PATTERN = '^[A-Za-z0-9-]{1,20}$';
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
