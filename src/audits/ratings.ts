/**
 * Pure arithmetic over audit grades: grade distributions, the programme summary sentence and
 * moderation agreement (Cohen's kappa). No I/O: the queries feed it read-model rows.
 */
import { OVERALL_GRADES, type Grade, type OverallGrade } from './audits.events';

export interface GradeShare {
  count: number;
  /** Percent of the graded (not not-applicable) audits, one decimal place; null when none are graded. */
  percent: number | null;
}
export interface OverallDistribution {
  outstanding: GradeShare;
  good: GradeShare;
  requiresImprovement: GradeShare;
  inadequate: GradeShare;
}
export interface DomainDistribution extends OverallDistribution {
  /** Percent of the audits that recorded this domain at all (graded or not applicable). */
  notApplicable: GradeShare;
}
export interface Ratings {
  audits: number;
  overall: OverallDistribution;
  goodOrBetterPercent: number | null;
  domains: Record<string, DomainDistribution>;
}

/** One decimal place, rounded half up, computed on integers so 1/8 is exactly 12.5. */
export const percent = (count: number, total: number): number | null =>
  total === 0 ? null : Math.round((count * 1000) / total) / 10;

const FIELD: Record<OverallGrade, keyof OverallDistribution> = {
  outstanding: 'outstanding',
  good: 'good',
  'requires-improvement': 'requiresImprovement',
  inadequate: 'inadequate',
};

function distribution(grades: Grade[]): DomainDistribution {
  const graded = grades.filter((g) => g !== 'not-applicable');
  const share = (count: number, of: number): GradeShare => ({ count, percent: percent(count, of) });
  const countOf = (grade: Grade): number => grades.filter((g) => g === grade).length;
  return {
    outstanding: share(countOf('outstanding'), graded.length),
    good: share(countOf('good'), graded.length),
    requiresImprovement: share(countOf('requires-improvement'), graded.length),
    inadequate: share(countOf('inadequate'), graded.length),
    notApplicable: share(countOf('not-applicable'), grades.length),
  };
}

export interface GradedAudit {
  effectiveOverallGrade: OverallGrade;
  effectiveDomainGrades: Record<string, Grade>;
}

/** Distributions of the effective grades of submitted audits; domains in `domainOrder` first. */
export function rate(audits: GradedAudit[], domainOrder: string[] = []): Ratings {
  const { notApplicable: _notApplicable, ...overall } = distribution(audits.map((a) => a.effectiveOverallGrade));
  void _notApplicable;
  const keys = [...domainOrder];
  for (const audit of audits) for (const key of Object.keys(audit.effectiveDomainGrades)) if (!keys.includes(key)) keys.push(key);
  const domains: Record<string, DomainDistribution> = {};
  for (const key of keys) {
    const grades = audits.map((a) => a.effectiveDomainGrades[key]).filter((g): g is Grade => g !== undefined);
    if (grades.length) domains[key] = distribution(grades);
  }
  const goodOrBetter = overall.outstanding.count + overall.good.count;
  return { audits: audits.length, overall, goodOrBetterPercent: percent(goodOrBetter, audits.length), domains };
}

const PHRASE: Record<OverallGrade, string> = {
  outstanding: 'outstanding',
  good: 'good',
  'requires-improvement': 'requires improvement',
  inadequate: 'inadequate',
};

/** "8 cases audited: 1 good, 2 requires improvement, 5 inadequate" (grades with no cases are left out). */
export function summarySentence(counts: Record<OverallGrade, number>): string {
  const total = OVERALL_GRADES.reduce((sum, g) => sum + counts[g], 0);
  if (total === 0) return 'No cases audited yet';
  const parts = OVERALL_GRADES.filter((g) => counts[g] > 0).map((g) => `${counts[g]} ${PHRASE[g]}`);
  return `${total} ${total === 1 ? 'case' : 'cases'} audited: ${parts.join(', ')}`;
}

export const gradeField = (grade: OverallGrade): keyof OverallDistribution => FIELD[grade];

/** Kappa is reported only from this many moderated audits: below it, one case swings it wildly. */
export const KAPPA_MINIMUM = 5;

export type Kappa =
  | { kappa: number; weightedKappa: number | null; observedAgreement: number; expectedAgreement: number; reason: null }
  | {
      kappa: null;
      weightedKappa: null;
      observedAgreement: number | null;
      expectedAgreement: number | null;
      reason: string;
    };

/** Whole percent, rounded half up, as councils publish them ("63% RI"); null when there is nothing to divide. */
export const wholePercent = (count: number, total: number): number | null =>
  total === 0 ? null : Math.floor((count * 200 + total) / (2 * total));

/**
 * Linear weighted kappa: the grades are ordered (outstanding, good, requires improvement,
 * inadequate), so "good" against "requires improvement" is a near miss and "outstanding"
 * against "inadequate" is the worst disagreement. Weight 1 - |i - j| / 3 for each pair of grades;
 * kappa_w = (po_w - pe_w) / (1 - pe_w). Null when pe_w is 1 (everyone gave one grade).
 */
export function linearWeightedKappa(pairs: [OverallGrade, OverallGrade][]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const k = OVERALL_GRADES.length;
  const index = (g: OverallGrade): number => OVERALL_GRADES.indexOf(g);
  const weight = (i: number, j: number): number => 1 - Math.abs(i - j) / (k - 1);
  const po = pairs.reduce((sum, [a, b]) => sum + weight(index(a), index(b)), 0) / n;
  const share = (side: 0 | 1, i: number): number => pairs.filter((p) => index(p[side]) === i).length / n;
  let pe = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) pe += share(0, i) * share(1, j) * weight(i, j);
  if (Math.abs(1 - pe) < 1e-12) return null;
  return Math.round(((po - pe) / (1 - pe)) * 1000) / 1000;
}

/**
 * Cohen's kappa between the auditor's and the moderator's overall grade on the four grades:
 * (po - pe) / (1 - pe), po the share of identical grades, pe the agreement expected by chance
 * from each side's own grade frequencies. Rounded to three decimals.
 */
export function cohensKappa(pairs: [OverallGrade, OverallGrade][]): Kappa {
  const n = pairs.length;
  if (n === 0) {
    return { kappa: null, weightedKappa: null, observedAgreement: null, expectedAgreement: null, reason: 'No moderated audits.' };
  }
  const po = pairs.filter(([a, b]) => a === b).length / n;
  const pe = OVERALL_GRADES.reduce(
    (sum, g) => sum + (pairs.filter(([a]) => a === g).length / n) * (pairs.filter(([, b]) => b === g).length / n),
    0,
  );
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  if (n < KAPPA_MINIMUM) {
    return {
      kappa: null,
      weightedKappa: null,
      observedAgreement: round(po),
      expectedAgreement: round(pe),
      reason: `Kappa needs at least ${KAPPA_MINIMUM} moderated audits; there ${n === 1 ? 'is 1' : `are ${n}`}.`,
    };
  }
  if (pe === 1) {
    return {
      kappa: null,
      weightedKappa: null,
      observedAgreement: round(po),
      expectedAgreement: round(pe),
      reason: 'Every auditor and moderator grade is the same single grade, so kappa is undefined.',
    };
  }
  return {
    kappa: round((po - pe) / (1 - pe)),
    weightedKappa: linearWeightedKappa(pairs),
    observedAgreement: round(po),
    expectedAgreement: round(pe),
    reason: null,
  };
}

/** One recorded moderation: the two overall grades and the moderator's (possibly older, looser) "agreed" flag. */
export interface ModerationPair {
  auditorOverallGrade: OverallGrade;
  overallGrade: OverallGrade;
  agreed?: boolean;
}
export type Agreement = {
  moderated: number;
  agreed: number;
  agreementRate: number | null;
  gradeMatchRate: number | null;
} & Kappa;

/**
 * Agreement between auditors and moderators, read from the grades: a moderation counts as agreement
 * when the two overall grades are the same, whatever its "agreed" flag says (stored moderations from
 * before the flag was checked may say "agreed" beside a different grade). Whole percentages, with counts.
 */
export function agreementOf(moderations: ModerationPair[]): Agreement {
  const pairs = moderations.map((m): [OverallGrade, OverallGrade] => [m.auditorOverallGrade, m.overallGrade]);
  const matches = pairs.filter(([a, b]) => a === b).length;
  return {
    moderated: pairs.length,
    agreed: matches,
    agreementRate: wholePercent(matches, pairs.length),
    gradeMatchRate: wholePercent(matches, pairs.length),
    ...cohensKappa(pairs),
  };
}
