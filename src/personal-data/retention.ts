/**
 * Retention rules per kind of record, and which subjects are past them on a given day.
 *
 * RETENTION_RULES (JSON) overrides these defaults, e.g.
 *   {"default":{"yearsAfterLastEvent":35},"looked-after-child":{"untilAgeYears":75,"yearsAfterLastEvent":35}}
 * A rule keeps a subject's records until the `untilAgeYears` anniversary of birth when a birth
 * date is recorded, otherwise `yearsAfterLastEvent` years after the last event about them.
 * No event records a birth date today, so the "otherwise" applies to every subject.
 * A subject with records of several kinds is kept as long as the longest rule says.
 */
import { dayOf, type LocalDate } from '@casetrail/kernel';
import type { EventStore } from '@casetrail/event-store';
import { recordKindOf } from './personal-fields';
import type { SubjectKeyStore } from './subject-key-store';

export interface RetentionRule {
  untilAgeYears?: number;
  yearsAfterLastEvent: number;
}
export type RetentionRules = Record<string, RetentionRule> & { default: RetentionRule };

export const DEFAULT_RETENTION_RULES: RetentionRules = {
  default: { yearsAfterLastEvent: 35 },
  'looked-after-child': { untilAgeYears: 75, yearsAfterLastEvent: 35 },
};

export class RetentionRulesError extends Error {
  override readonly name = 'RetentionRulesError';
}

const wholeYears = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) > 0 && (value as number) <= 200;

export function parseRetentionRules(json: string | undefined): RetentionRules {
  if (json === undefined || json.trim() === '') return DEFAULT_RETENTION_RULES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new RetentionRulesError('RETENTION_RULES must be JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RetentionRulesError('RETENTION_RULES must be an object of rules by record kind');
  }
  const rules: Record<string, RetentionRule> = { ...DEFAULT_RETENTION_RULES };
  for (const [kind, rule] of Object.entries(parsed as Record<string, unknown>)) {
    const r = rule as Partial<RetentionRule> | null;
    if (typeof r !== 'object' || r === null || !wholeYears(r.yearsAfterLastEvent)) {
      throw new RetentionRulesError(`RETENTION_RULES.${kind}.yearsAfterLastEvent must be a whole number of years (1-200)`);
    }
    if (r.untilAgeYears !== undefined && !wholeYears(r.untilAgeYears)) {
      throw new RetentionRulesError(`RETENTION_RULES.${kind}.untilAgeYears must be a whole number of years (1-200)`);
    }
    rules[kind] = { yearsAfterLastEvent: r.yearsAfterLastEvent, ...(r.untilAgeYears ? { untilAgeYears: r.untilAgeYears } : {}) };
  }
  return rules as RetentionRules;
}

/** The same day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(day: LocalDate | string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const dd = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

export interface SubjectFacts {
  subjectRef: string;
  kinds: string[];
  lastEventOn: string;
  birthDate?: string;
}

export interface RetentionDecision extends SubjectFacts {
  retainUntil: string;
  rule: string;
  due: boolean;
}

export function retentionOf(facts: SubjectFacts, rules: RetentionRules, today: string): RetentionDecision {
  let best: { until: string; rule: string } | undefined;
  for (const kind of facts.kinds.length ? facts.kinds : ['default']) {
    const rule = rules[kind] ?? rules.default;
    const until =
      rule.untilAgeYears !== undefined && facts.birthDate
        ? {
            until: addYears(facts.birthDate, rule.untilAgeYears),
            rule: `${kind}: until the ${rule.untilAgeYears}th anniversary of birth`,
          }
        : {
            until: addYears(facts.lastEventOn, rule.yearsAfterLastEvent),
            rule: `${kind}: ${rule.yearsAfterLastEvent} years after the last event`,
          };
    if (!best || until.until > best.until) best = until;
  }
  return { ...facts, retainUntil: best!.until, rule: best!.rule, due: today > best!.until };
}

const BIRTH_DATE_FIELDS = ['dateOfBirth', 'birthDate'];

/** What retention needs to know about each subject not yet erased, read from their streams. */
export async function subjectFacts(store: EventStore, keys: SubjectKeyStore): Promise<SubjectFacts[]> {
  const facts: SubjectFacts[] = [];
  for (const subject of await keys.subjects()) {
    if (subject.erasedAt !== null) continue;
    const kinds = new Set<string>();
    let lastEventOn = '';
    let birthDate: string | undefined;
    for (const streamId of await keys.streamsOf(subject.subjectRef)) {
      kinds.add(recordKindOf(streamId));
      // The stored shape is enough: dates and birth dates are never encrypted.
      for await (const event of store.readStream(streamId, { upcast: false })) {
        const on = dayOf(event.metadata.occurredAt);
        if (on > lastEventOn) lastEventOn = on;
        const data = event.data as Record<string, unknown>;
        for (const field of BIRTH_DATE_FIELDS) if (typeof data?.[field] === 'string') birthDate ??= data[field] as string;
      }
    }
    // A key with no recorded event (its append failed): count from when the key was made.
    if (lastEventOn === '') lastEventOn = dayOf(subject.createdAt ?? new Date());
    facts.push({ subjectRef: subject.subjectRef, kinds: [...kinds].sort(), lastEventOn, ...(birthDate ? { birthDate } : {}) });
  }
  return facts;
}
