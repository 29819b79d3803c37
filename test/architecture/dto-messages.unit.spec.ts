import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { CLASS_VALIDATOR_DEFAULTS } from '../support/validator-defaults';

/**
 * Every input class (the API's, the CLI's and the pages', which validate with the same DTOs) says what
 * is wrong in plain English: each rule carries its own message, a field that must be given says
 * "Enter …" or "Choose …" when it is left empty, and no message is class-validator's default text
 * or starts with a property name ("teamId must …").
 */
const SRC = join(__dirname, '../../src');
/** Not people's input: the configuration (for whoever deploys), and files that only call validate. */
const NOT_INPUT = ['config/app-config.ts', 'cli.ts', 'imports/record-writers.ts', 'core/dto.ts'];

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });

const inputFiles = sourceFiles(SRC).filter(
  (path) =>
    !NOT_INPUT.includes(relative(SRC, path).split('\\').join('/')) && /from 'class-validator'/.test(readFileSync(path, 'utf8')),
);

// eslint-disable-next-line @typescript-eslint/no-require-imports
for (const file of inputFiles) require(file);

/** A class, as class-validator keys its metadata. */
type InputClass = abstract new (...args: never[]) => unknown;
const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<InputClass, ValidationMetadata[]> };
const RULE_TYPES = new Set(['customValidation', 'nestedValidation', 'isDefined']);
const OPTIONAL_TYPES = new Set(['conditionalValidation']);
/** Values a person or a client might send, to read each message a rule can give. */
const SAMPLES: unknown[] = [
  undefined,
  '',
  '  ',
  'x',
  'x'.repeat(5000),
  '2026--05',
  '2026-13-40',
  'not a date',
  42,
  -1,
  1.23456,
  [],
  {},
];

const messagesOf = (m: ValidationMetadata): string[] => {
  if (typeof m.message === 'string') return [m.message];
  if (typeof m.message !== 'function') return [];
  const message = m.message as (args: ValidationArguments) => string;
  return SAMPLES.map((value) =>
    message({ value, constraints: m.constraints, targetName: m.target.toString(), object: {}, property: m.propertyName }),
  );
};

const where = (m: ValidationMetadata) => `${(m.target as InputClass).name}.${m.propertyName} (${m.name ?? m.type})`;
/** AppConfig speaks to whoever deploys, in the names of its environment variables. */
const byClass = [...storage.validationMetadatas.entries()].filter(
  ([target]) => typeof target === 'function' && target.name !== 'AppConfig',
);

describe('every input class speaks plain English (docs/web.md, "Error messages")', () => {
  it('finds the DTO files and their classes', () => {
    expect(inputFiles.length).toBeGreaterThan(10);
    expect(byClass.map(([target]) => target.name)).toEqual(expect.arrayContaining(['RegisterTeamDto', 'StartAuditDto']));
  });

  it('every rule has a message of its own', () => {
    const missing = byClass.flatMap(([, ms]) => ms.filter((m) => RULE_TYPES.has(m.type) && m.message === undefined).map(where));
    expect(missing).toEqual([]);
  });

  it('no message is class-validator default text, names a property, or starts in lower case', () => {
    const wrong = byClass.flatMap(([, ms]) =>
      ms
        .filter((m) => RULE_TYPES.has(m.type))
        .flatMap((m) =>
          messagesOf(m)
            .filter(
              (text) =>
                CLASS_VALIDATOR_DEFAULTS.some((pattern) => pattern.test(text)) ||
                text.startsWith(`${m.propertyName} `) ||
                !/^[A-Z]/.test(text),
            )
            .map((text) => `${where(m)}: ${text}`),
        ),
    );
    expect([...new Set(wrong)]).toEqual([]);
  });

  it('every field that must be given says "Enter …" or "Choose …" (or "Give", "Say", "Add") when it is left empty', () => {
    const problems: string[] = [];
    for (const [target, ms] of byClass) {
      if (/Params?$/.test(target.name)) continue; // route and query parameters: the router or the filters fill them
      const properties = new Set(ms.map((m) => m.propertyName));
      for (const property of properties) {
        const own = ms.filter((m) => m.propertyName === property);
        if (own.some((m) => OPTIONAL_TYPES.has(m.type))) continue;
        const required = own.find((m) => m.name === 'required');
        if (!required) problems.push(`${target.name}.${property}: no Required(...)`);
        else if (!/^(Enter|Choose|Give|Say|Add|Select|Upload|Tick) /.test(String(required.message)))
          problems.push(`${target.name}.${property}: ${String(required.message)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
