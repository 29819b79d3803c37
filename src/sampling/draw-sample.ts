/**
 * Drawing a case sample reproducibly: the same case list, sizes, exclusions and seed always give
 * the same cases, so anyone can recompute a recorded sample (sample:verify). Pure: no I/O, no clock.
 */
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type { ListedCase, SampledCase, SampleInputs } from './sampling.events';

/** SHA-256 (hex) of the canonical JSON (RFC 8785) of the cases, in the order given. */
export const casesSha256 = (cases: ListedCase[]): string =>
  createHash('sha256')
    .update(canonicalize(cases) ?? '[]')
    .digest('hex');

/** mulberry32 seeded from SHA-256(seed, stream): small, fast, and the same on every machine. */
export function prng(seed: string, stream: string): () => number {
  let state = createHash('sha256').update(`${seed}\u0000${stream}`).digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shares `total` among groups in proportion to `weights` (largest remainder; ties to the earlier group). */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]++;
    left--;
  }
  return shares;
}

/** The day `months` calendar months before `day` (clamped to the month's end). */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const byRef = (a: ListedCase, b: ListedCase): number => (a.caseRef < b.caseRef ? -1 : a.caseRef > b.caseRef ? 1 : 0);

/** `count` of `cases` at random (a seeded Fisher-Yates over the cases in reference order). */
function pick(cases: ListedCase[], count: number, random: () => number): ListedCase[] {
  const pool = [...cases].sort(byRef);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, Math.min(count, pool.length));
}

/** The cases chosen and those excluded, each with its reason, from the recorded inputs alone. */
export function drawSample(cases: ListedCase[], inputs: SampleInputs): { chosen: SampledCase[]; excluded: SampledCase[] } {
  const since = monthsBefore(inputs.drawnOn, inputs.excludeAuditedWithinMonths);
  const lastAudit = new Map<string, string>();
  for (const a of inputs.recentAudits) {
    if (a.auditedOn >= since && a.auditedOn <= inputs.drawnOn && (lastAudit.get(a.caseRef) ?? '') < a.auditedOn) {
      lastAudit.set(a.caseRef, a.auditedOn);
    }
  }
  const excluded: SampledCase[] = [];
  const eligible: ListedCase[] = [];
  for (const c of [...cases].sort(byRef)) {
    const on = lastAudit.get(c.caseRef);
    if (on !== undefined) {
      excluded.push({
        caseRef: c.caseRef,
        teamId: c.teamId,
        category: c.category,
        reason: `audited on ${on}, within the ${inputs.excludeAuditedWithinMonths} months before ${inputs.drawnOn}`,
      });
    } else eligible.push(c);
  }
  const teams = [...new Set(cases.map((c) => c.teamId))].sort();
  const caseload = teams.map((t) => cases.filter((c) => c.teamId === t).length);
  const quotas =
    'perTeam' in inputs.size
      ? teams.map(() => (inputs.size as { perTeam: number }).perTeam)
      : apportion(inputs.size.total, caseload);
  const chosen: SampledCase[] = [];
  teams.forEach((teamId, t) => {
    const pool = eligible.filter((c) => c.teamId === teamId);
    const quota = quotas[t];
    const sizeWhy =
      'perTeam' in inputs.size
        ? `${quota} per team`
        : `${quota} of ${inputs.size.total}, in proportion to the team's caseload of ${caseload[t]}`;
    const groups = inputs.stratifyByCategory ? [...new Set(pool.map((c) => c.category))].sort() : [null];
    const groupQuotas = inputs.stratifyByCategory
      ? apportion(
          Math.min(quota, pool.length),
          groups.map((g) => pool.filter((c) => c.category === g).length),
        )
      : [quota];
    groups.forEach((group, g) => {
      const members = group === null ? pool : pool.filter((c) => c.category === group);
      const stream = group === null ? teamId : `${teamId}\u0000${group}`;
      for (const c of pick(members, groupQuotas[g], prng(inputs.seed, stream))) {
        const among =
          group === null
            ? `${members.length} eligible cases of ${teamId}`
            : `${members.length} eligible ${group} cases of ${teamId}`;
        const short =
          members.length < groupQuotas[g] || pool.length < quota ? ' (fewer eligible cases than asked: all taken)' : '';
        chosen.push({
          caseRef: c.caseRef,
          teamId,
          category: c.category,
          reason: `chosen at random (seed "${inputs.seed}") among ${among}; ${sizeWhy}${group === null ? '' : ', shared across categories in proportion'}${short}`,
        });
      }
    });
  });
  return { chosen, excluded };
}

/** What differs between a recorded sample and its recomputation from the recorded inputs (empty: it verifies). */
export function verifySample(
  caseList: { casesSha256: string; cases: ListedCase[] },
  sample: { inputs: SampleInputs; chosen: SampledCase[]; excluded: SampledCase[] },
): string[] {
  const problems: string[] = [];
  const hash = casesSha256(caseList.cases);
  if (hash !== caseList.casesSha256)
    problems.push(`The case list's cases hash to ${hash}, not the recorded ${caseList.casesSha256}`);
  if (hash !== sample.inputs.casesSha256) {
    problems.push(`The sample names case list hash ${sample.inputs.casesSha256}, but the case list hashes to ${hash}`);
  }
  const again = drawSample(caseList.cases, sample.inputs);
  const key = (c: SampledCase): string => `${c.teamId}/${c.caseRef}`;
  const recorded = sample.chosen.map(key).sort();
  const recomputed = again.chosen.map(key).sort();
  const missing = recomputed.filter((k) => !recorded.includes(k));
  const extra = recorded.filter((k) => !recomputed.includes(k));
  if (missing.length || extra.length) {
    problems.push(
      `Recomputed from the recorded inputs, the sample differs: ${extra.length ? `recorded but not recomputed ${extra.join(', ')}` : ''}${extra.length && missing.length ? '; ' : ''}${missing.length ? `recomputed but not recorded ${missing.join(', ')}` : ''}`,
    );
  }
  const excludedRecorded = sample.excluded.map(key).sort().join(',');
  if (excludedRecorded !== again.excluded.map(key).sort().join(',')) {
    problems.push('Recomputed from the recorded inputs, the excluded cases differ');
  }
  return problems;
}
