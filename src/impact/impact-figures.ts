/**
 * Pure figures for the impact view, the programme comparison and the self-evaluation draft:
 * grade distributions with counts and percentages, and the words for a change of grade. No I/O.
 */
import type { Grade } from '../audits';

/** The grades counted in a distribution (not-applicable is counted apart: it is no judgement of practice). */
export const JUDGED_GRADES = ['outstanding', 'good', 'requires-improvement', 'inadequate'] as const;
export type JudgedGrade = (typeof JUDGED_GRADES)[number];

/** Grade in words, as reports write them. */
export const GRADE_WORDS: Record<Grade, string> = {
  outstanding: 'outstanding',
  good: 'good',
  'requires-improvement': 'requires improvement',
  inadequate: 'inadequate',
  'not-applicable': 'not applicable',
};

export interface Share {
  count: number;
  /** Of the graded (not not-applicable) ones, to two decimal places (3 of 16 is 18.75); null when none were graded. */
  percent: number | null;
}

export interface Distribution {
  /** Audits with a judgement for the domain (not-applicable left out). */
  graded: number;
  notApplicable: number;
  outstanding: Share;
  good: Share;
  requiresImprovement: Share;
  inadequate: Share;
  /** Outstanding and good together ("good or better"). */
  goodOrBetter: Share;
}

/** Percent to two decimal places, rounded half up, computed on integers (3 of 16 is exactly 18.75). */
export const percent2 = (count: number, total: number): number | null =>
  total === 0 ? null : Math.round((count * 10000) / total) / 100;

export function distributionOf(grades: Grade[]): Distribution {
  const graded = grades.filter((g) => g !== 'not-applicable');
  const share = (count: number): Share => ({ count, percent: percent2(count, graded.length) });
  const count = (grade: Grade): number => grades.filter((g) => g === grade).length;
  return {
    graded: graded.length,
    notApplicable: count('not-applicable'),
    outstanding: share(count('outstanding')),
    good: share(count('good')),
    requiresImprovement: share(count('requires-improvement')),
    inadequate: share(count('inadequate')),
    goodOrBetter: share(count('outstanding') + count('good')),
  };
}

/** "18.75%" (a percentage as written in sentences; up to two decimal places, no trailing zeros). */
export const percentText = (value: number | null): string => (value === null ? 'no graded cases' : `${value}%`);

/** "3 of 16 good or better (18.75%)" */
export function goodOrBetterText(d: Distribution): string {
  if (d.graded === 0) return 'no graded cases';
  return `${d.goodOrBetter.count} of ${d.graded} good or better (${percentText(d.goodOrBetter.percent)})`;
}

/** "3 good, 10 requires improvement, 3 inadequate" (grades with no cases left out). */
export function countsText(d: Distribution): string {
  const parts: [number, string][] = [
    [d.outstanding.count, 'outstanding'],
    [d.good.count, 'good'],
    [d.requiresImprovement.count, 'requires improvement'],
    [d.inadequate.count, 'inadequate'],
  ];
  const said = parts.filter(([n]) => n > 0).map(([n, words]) => `${n} ${words}`);
  return said.length ? said.join(', ') : 'none graded';
}

/** Better grades first: a lower rank is better (for "improved" and "declined"). */
const RANK: Record<JudgedGrade, number> = { outstanding: 0, good: 1, 'requires-improvement': 2, inadequate: 3 };

export type Change = 'improved' | 'declined' | 'unchanged' | 'not comparable';

export function changeOf(from: Grade | null, to: Grade | null): Change {
  if (from === null || to === null || from === 'not-applicable' || to === 'not-applicable') {
    return from === to && from !== null ? 'unchanged' : 'not comparable';
  }
  if (RANK[from] === RANK[to]) return 'unchanged';
  return RANK[to] < RANK[from] ? 'improved' : 'declined';
}

/** "Management oversight: inadequate → good" */
export function changeText(title: string, from: Grade | null, to: Grade | null): string {
  const words = (g: Grade | null): string => (g === null ? 'not graded' : GRADE_WORDS[g]);
  return `${title}: ${words(from)} → ${words(to)}`;
}

/** A domain key in words when the framework has no title for it ("management-oversight" -> "Management oversight"). */
export const keyInWords = (key: string): string => {
  const words = key.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
