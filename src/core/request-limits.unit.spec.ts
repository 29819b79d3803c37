/**
 * Every request DTO bounds what it accepts: each string field has a length or a pattern, each
 * array a maximum size, each nested object a class (so its own fields are checked and unknown
 * ones refused), and no field is named like a person. Read from class-validator's metadata, so a
 * DTO added later is held to the same rules without touching this test.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, type ValidationTypes } from 'class-validator';

interface Meta {
  target: { name: string } | string;
  propertyName: string;
  type: (typeof ValidationTypes)[keyof typeof ValidationTypes] | string;
  name?: string;
  each?: boolean;
  constraints?: unknown[];
}

const SRC = join(__dirname, '..');
const dtoFiles = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(commands|dto)\.ts$/.test(f));
/** The request classes: exported by a DTO file, their parent classes, and the classes of nested fields (added below). */
const requestClasses = new Set<object>();
for (const file of dtoFiles) {
  const exported = require(join(SRC, file)) as Record<string, unknown>; // eslint-disable-line @typescript-eslint/no-require-imports
  for (const value of Object.values(exported)) {
    for (let c = value; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) requestClasses.add(c);
  }
}

// class-transformer's metadata (which class a nested field is): exported at runtime, typed under types/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

/** Checks that bound a string's length or shape. */
const BOUNDED_TEXT = ['isLength', 'maxLength', 'matches', 'isIn', 'isEnum', 'isIso8601', 'isSubjectRef', 'isUUID', 'equals'];
const PERSON_NAME =
  /(firstname|lastname|surname|forename|familyname|givenname|fullname|middlename|childname|dateofbirth|birthdate|^dob$)/i;

function propertiesByClass(): Map<string, { target: object; property: string; checks: Meta[] }> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<object, Meta[]> | Meta[] };
  const all =
    storage.validationMetadatas instanceof Map ? [...storage.validationMetadatas.values()].flat() : storage.validationMetadatas;
  const byProperty = new Map<string, { target: object; property: string; checks: Meta[] }>();
  // Classes of nested fields are request classes too (they need not be exported).
  for (const meta of all) {
    if (typeof meta.target === 'string' || meta.type !== 'nestedValidation' || !requestClasses.has(meta.target)) continue;
    const type = defaultMetadataStorage.findTypeMetadata(meta.target as new () => unknown, meta.propertyName);
    const nested = type?.typeFunction();
    if (typeof nested === 'function') requestClasses.add(nested);
  }
  for (const meta of all) {
    if (typeof meta.target === 'string' || !requestClasses.has(meta.target)) continue;
    const key = `${meta.target.name}.${meta.propertyName}`;
    const entry = byProperty.get(key) ?? { target: meta.target, property: meta.propertyName, checks: [] };
    entry.checks.push(meta);
    byProperty.set(key, entry);
  }
  return byProperty;
}

describe('request DTO limits', () => {
  const properties = propertiesByClass();
  const has = (checks: Meta[], ...names: string[]) => checks.some((c) => c.name !== undefined && names.includes(c.name));

  it('reads the DTOs of every context', () => {
    expect(dtoFiles.length).toBeGreaterThanOrEqual(8);
    expect(properties.size).toBeGreaterThan(100);
  });

  it('every string field has a length limit or a pattern', () => {
    const unbounded = [...properties]
      .filter(([, p]) => has(p.checks, 'isString') && !has(p.checks, ...BOUNDED_TEXT))
      .map(([k]) => k);
    expect(unbounded).toEqual([]);
  });

  it('every array has a maximum size', () => {
    const unbounded = [...properties]
      .filter(([, p]) => has(p.checks, 'isArray') && !has(p.checks, 'arrayMaxSize'))
      .map(([k]) => k);
    expect(unbounded).toEqual([]);
  });

  it('every nested object is validated as its class (so its unknown fields are refused too)', () => {
    const untyped = [...properties]
      .filter(([, p]) => p.checks.some((c) => c.type === 'nestedValidation'))
      .filter(([, p]) => !defaultMetadataStorage.findTypeMetadata(p.target as new () => unknown, p.property))
      .map(([k]) => k);
    expect(untyped).toEqual([]);
  });

  it('every nested object is required or marked optional (ValidateNested alone lets a missing one through, a 500)', () => {
    const unguarded = [...properties]
      .filter(([, p]) => p.checks.some((c) => c.type === 'nestedValidation'))
      .filter(
        ([, p]) =>
          !p.checks.some((c) => c.type === 'isDefined' || c.type === 'conditionalValidation') &&
          !has(p.checks, 'isArray', 'required'),
      )
      .map(([k]) => k);
    expect(unguarded).toEqual([]);
  });

  it("no number field uses IsNumber's maxDecimalPlaces (it throws, a 500, on -5e-324; IsDecimal does not)", () => {
    const throwing = [...properties]
      .filter(([, p]) =>
        p.checks.some(
          (c) => c.name === 'isNumber' && (c.constraints?.[0] as { maxDecimalPlaces?: number })?.maxDecimalPlaces != null,
        ),
      )
      .map(([k]) => k);
    expect(throwing).toEqual([]);
  });

  it('every day or instant field is checked as ISO 8601 (fields named …On, …Date, from, to)', () => {
    // Numbers (tree sizes) and closed enums (CorrectGradeDto.to, a grade) under these names are not dates.
    const dayFields = [...properties].filter(
      ([, p]) => /(On|Date|^from|^to)$/.test(p.property) && !has(p.checks, 'isInt', 'isNumber', 'isDecimal', 'isIn'),
    );
    expect(dayFields.length).toBeGreaterThan(20);
    // isDay and isInstant (src/core/dto.ts) are the strict ISO 8601 checks: a real day YYYY-MM-DD, a date-time with its zone.
    expect(dayFields.filter(([, p]) => !has(p.checks, 'isIso8601', 'isDay', 'isInstant')).map(([k]) => k)).toEqual([]);
  });

  it('no field is named like a person', () => {
    expect([...properties.keys()].filter((k) => PERSON_NAME.test(k.split('.')[1]))).toEqual([]);
  });
});
