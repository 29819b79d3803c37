/**
 * class-validator's default wording, which a person should never read: the error-wording tests
 * (test/architecture/dto-messages.unit.spec.ts, test/e2e/pages/form-errors.e2e.spec.ts) fail on any of it.
 */
export const CLASS_VALIDATOR_DEFAULTS: RegExp[] = [
  /must be longer than/i,
  /must be shorter than/i,
  /must be a string/i,
  /must be a date\b/i,
  /must be a Date instance/i,
  /must contain at least/i,
  /must contain no more than/i,
  /should not be empty/i,
  /should not be null or undefined/i,
  /\bpattern\b/i,
  /must be one of the following values/i,
  /must be an? UUID/i,
  /must be a number conforming/i,
  /must be an integer number/i,
  /must be a boolean value/i,
  /must not be (less|greater) than/i,
  /must be an array/i,
  /must be a valid ISO 8601/i,
  /must be a date like/i,
  /must match .* regular expression/i,
  /All \w+'s elements must be unique/i,
  /nested property/i,
  /must be either object or array/i,
  /\$property|\$value|\$constraint/,
  /\b[a-z]+[A-Z][A-Za-z]* (must|should)\b/, // a camelCase property name: "teamId must …"
];
