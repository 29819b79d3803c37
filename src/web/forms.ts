import type { Type } from '@nestjs/common';
import { DomainError } from '@casetrail/kernel';
import { InvalidInputException, validationPipe } from '../core';
import { lowerWords } from './views';

/** What a form page shows after a failed POST: the error summary, a message beside each field, the input kept. */
export interface FormProblems {
  /** field name -> message shown beside it */
  errors: Record<string, string>;
  /** the summary at the top: each links to its field (or to the form when no field is to blame) */
  errorList: { text: string; href: string }[];
}

export const noProblems = (): FormProblems => ({ errors: {}, errorList: [] });
/** One problem, beside `field` and in the summary (linking to `href`, the field's box by default). */
export const problem = (field: string, text: string, href = `#${field}`): FormProblems => ({
  errors: { [field]: text },
  errorList: [{ text, href }],
});
/** Two sets of problems as one: the first's message wins beside a field; the summary lists both. */
export function mergeProblems(a: FormProblems, b: FormProblems): FormProblems {
  return { errors: { ...b.errors, ...a.errors }, errorList: [...a.errorList, ...b.errorList] };
}

const pipe = validationPipe();

/**
 * Validates a form with the API's own DTO class and validation pipe (the same rules, the same
 * messages): returns the typed DTO, or throws InvalidInputException listing each field's problems.
 */
export async function validated<T extends object>(dto: Type<T>, plain: Record<string, unknown>): Promise<T> {
  return (await pipe.transform(plain, { type: 'body', metatype: dto })) as T;
}

/**
 * A message in the page's words: the DTOs name a field as people know it ("Password must be at least
 * 12 characters"); where the page's label says more ("New password"), the label heads the message. A
 * message that starts with a property name ("caseRef must be ...") gets the label instead.
 */
function plainWords(message: string, field: string, labels: Record<string, string>): string {
  const label = labels[field];
  if (!label) return message;
  if (message.startsWith(`${field} `)) return `${label}${message.slice(field.length)}`;
  const subject = /^(.+?) must /.exec(message)?.[1];
  const widens = subject && subject !== label && label.toLowerCase().endsWith(` ${subject.toLowerCase()}`);
  return widens ? `${label}${message.slice(subject.length)}` : message;
}

/**
 * Turns what went wrong into form problems, or rethrows what is not the user's to fix.
 * `fieldOf` maps a domain error code to the field it is about (otherwise it heads the form).
 */
export interface ProblemOptions {
  labels?: Record<string, string>;
  fieldOf?: Record<string, string>;
  formId?: string;
  /** DTO field -> the page's field, where the page names a box differently (two "reason" boxes on one page). */
  rename?: Record<string, string>;
  /** The page's date fields: a message about one links to its first box, `<name>-day`. */
  days?: readonly string[];
  /** The id a field's message links to, where neither `rename` nor `days` says it. */
  idOf?: (field: string) => string;
}

/** The id of the box a DTO field's message links to: the page's name for the field, a date's first box. */
export const fieldIdOf =
  ({ rename = {}, days = [], idOf }: ProblemOptions) =>
  (field: string): string => {
    if (idOf) return idOf(field);
    const id = rename[field] ?? field;
    return days.includes(id) ? `${id}-day` : id;
  };

export function problemsFrom(error: unknown, options: ProblemOptions = {}): FormProblems {
  const labels = options.labels ?? {};
  const idOf = fieldIdOf(options);
  const problems = noProblems();
  if (error instanceof InvalidInputException) {
    for (const { field, problems: messages } of error.fields) {
      const top = field.split('.')[0];
      const text = plainWords(messages[0], top, labels);
      if (!(top in problems.errors)) {
        problems.errors[top] = text;
        problems.errorList.push({ text, href: `#${idOf(top)}` });
      }
    }
    return problems;
  }
  if (error instanceof DomainError && error.kind !== 'not-found') {
    const field = options.fieldOf?.[error.code];
    if (field) problems.errors[field] = error.message;
    problems.errorList.push({ text: error.message, href: field ? `#${idOf(field)}` : `#${options.formId ?? 'main-content'}` });
    return problems;
  }
  throw error;
}

/** Form posts arrive as strings; an empty box means "not given". */
export function filled(body: Record<string, unknown> | undefined, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = body?.[field];
    if (typeof value === 'string' && value.trim() !== '') out[field] = value;
    else if (Array.isArray(value)) out[field] = value;
  }
  return out;
}

export interface SelectItem {
  value: string;
  text: string;
  selected?: boolean;
}
/** The items of a <select>: the prompt (no value), then each [value, text], the chosen one selected. */
export function selectItems(prompt: string, options: Iterable<readonly [string, string]>, chosen: unknown): SelectItem[] {
  return [{ value: '', text: prompt }, ...Array.from(options, ([value, text]) => ({ value, text, selected: chosen === value }))];
}
/** Teams as a <select>'s options, by name. */
export const teamOptions = (teams: { teamId: string; name: string }[]): [string, string][] =>
  teams.map((t) => [t.teamId, t.name]);
/** The items of a team <select>: a prompt, then every team, the chosen one selected. */
export const teamSelectItems = (teams: { teamId: string; name: string }[], selected: unknown, prompt = 'Choose a team') =>
  selectItems(prompt, teamOptions(teams), selected);
/** People as a <select>'s options: "Jo Bloggs (qa officer)". */
export const personOptions = (users: { userId: string; name: string; role: string }[]): [string, string][] =>
  users.map((u) => [u.userId, `${u.name} (${lowerWords(u.role)})`]);

/** Replaces the validator's wording for a field with the GOV.UK style message, beside the field and in the summary. */
export function reworded(
  problems: FormProblems,
  texts: Record<string, string>,
  idOf: (f: string) => string = (f) => f,
): FormProblems {
  for (const [field, text] of Object.entries(texts)) {
    if (!(field in problems.errors)) continue;
    const old = problems.errors[field];
    problems.errors[field] = text;
    problems.errorList = problems.errorList.map((e) => (e.href === `#${idOf(field)}` && e.text === old ? { ...e, text } : e));
  }
  return problems;
}
