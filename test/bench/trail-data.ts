/**
 * Realistic event log for the trail benchmark: the exact event shapes the deciders append
 * (src/audits/audits.events.ts, src/disputes/disputes.events.ts, teams, users), so the real
 * projections can build the read models and their row history from it.
 *
 * - Set-up first: the default audit framework and dispute protocol (what a server publishes
 *   at start-up), the teams, and the users who act (admin, team managers, auditors, IROs).
 * - Then audits (started, ten domains graded over a few days, submitted; inadequate ones
 *   raise the immediate review in the same append; actions completed on time or late,
 *   some never; moderation and grade corrections sometimes) and disputes (raised, answered,
 *   escalated up to three times, resolved), 3 audits for each dispute.
 * - Entities overlap in time, as in real work: each one's steps are spread over working
 *   days, and the log is their merge in time order, so an instant in the middle of the five
 *   years finds audits in progress, open disputes and overdue actions. Business dates are the
 *   day of recordedAt (occurredAt = recordedAt, as the generic command handler records them).
 *
 * Written row by row with the store's own sealing code (sealEvents: same hashes, same chains).
 * Personal free text is stored in the clear (as events recorded before field encryption).
 * Seeded: the same size gives the same log (ids aside).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { SQLITE_EVENTS_SCHEMA, type NewEvent } from '@casetrail/event-store';
import { sealEvents, type SealedEvent } from '@casetrail/event-store/append-plan';
import { addDays, isWorkingDay, type LocalDate } from '@casetrail/kernel';
import { DEFAULT_FRAMEWORK_ID } from '../../src/audits/audit-framework.decider';
import { DEFAULT_FRAMEWORK_DOMAINS } from '../../src/audits/default-framework';
import { DEFAULT_DISPUTE_PROTOCOL } from '../../src/disputes/dispute-protocol.decider';
import type { DisputeProtocol } from '../../src/disputes/disputes.events';
import { DISPUTE_CATEGORIES } from '../../src/disputes/disputes.events';
import type { Role } from '../../src/shared/principal';

export const TEAMS = 30;
export const START = Date.parse('2020-04-01T08:00:00Z');
/** Entities start until three weeks before 2025-03-31 (the last ones stop part-way, still in progress). */
export const END = Date.parse('2025-03-31T18:00:00Z');
const START_SPAN = END - START - 21 * 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

const SERVICES = ['Children in need', 'Child protection', 'Children looked after', 'Care leavers', 'Family support'];
export const teamId = (i: number): string => `team-${String(i % TEAMS).padStart(2, '0')}`;
const teamManagerId = (team: number): string => `user-tm-${String(team).padStart(2, '0')}`;
const AUDITORS = Array.from({ length: 40 }, (_, i) => `user-qa-${String(i).padStart(2, '0')}`);
const IROS = Array.from({ length: 12 }, (_, i) => `user-iro-${String(i).padStart(2, '0')}`);
const ADMIN = 'user-admin';

const PROTOCOL: DisputeProtocol = { version: 1, ...DEFAULT_DISPUTE_PROTOCOL };
const DOMAIN_KEYS = DEFAULT_FRAMEWORK_DOMAINS.map((d) => d.key);
type OverallGrade = 'outstanding' | 'good' | 'requires-improvement' | 'inadequate';
type Grade = OverallGrade | 'not-applicable';

/** mulberry32: a small seeded generator, so runs of the same size are comparable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Step {
  type: string;
  data: object;
}
/** One append: events recorded together (same recordedAt) by one actor. */
interface Append {
  at: number;
  seq: number;
  streamId: string;
  actorId: string;
  actorRole: Role;
  steps: Step[];
}

const dayOfMs = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10);

/**
 * The kernel's working-day calendar (England & Wales bank holidays), tabulated once:
 * kernel addWorkingDays validates and walks day by day, too slow for millions of calls.
 */
const WORKING_DAYS: LocalDate[] = [];
/** Day -> index in WORKING_DAYS of the first working day strictly after it. */
const NEXT_WORKING = new Map<LocalDate, number>();
for (let day: LocalDate = '2019-12-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
  NEXT_WORKING.set(day, WORKING_DAYS.length + (isWorkingDay(day) ? 1 : 0));
  if (isWorkingDay(day)) WORKING_DAYS.push(day);
}
/** Same answer as the kernel's addWorkingDays(date, n): the Nth working day after `date`. */
export function addWorkingDays(date: LocalDate, n: number): LocalDate {
  if (n === 0) return date;
  const next = NEXT_WORKING.get(date);
  if (next === undefined || next + n - 1 >= WORKING_DAYS.length) throw new RangeError(`${date} + ${n} is outside the calendar`);
  return WORKING_DAYS[next + n - 1];
}
const isWorking = (day: LocalDate): boolean => WORKING_DAYS[(NEXT_WORKING.get(day) ?? 0) - 1] === day;
const dayStart = (day: LocalDate): number => Date.parse(`${day}T00:00:00Z`);

class Planner {
  private seq = 0;
  constructor(private readonly rnd: () => number) {}

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.rnd() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  /** A time on `day` in working hours, after `after` (a few minutes after it when on the same day). */
  timeOn(day: LocalDate, after: number): number {
    const t = dayStart(day) + 8 * HOUR + Math.floor(this.rnd() * 9 * HOUR);
    return t > after ? t : after + MINUTE + Math.floor(this.rnd() * 20 * MINUTE);
  }
  /** `n` working days after the day of `after`, in working hours. */
  later(after: number, workingDays: number): number {
    return this.timeOn(workingDays === 0 ? dayOfMs(after) : addWorkingDays(dayOfMs(after), workingDays), after);
  }
  append(at: number, streamId: string, actorId: string, actorRole: Role, steps: Step[]): Append {
    return { at, seq: this.seq++, streamId, actorId, actorRole, steps };
  }

  overallGrade(): OverallGrade {
    const r = this.rnd();
    return r < 0.08 ? 'outstanding' : r < 0.53 ? 'good' : r < 0.88 ? 'requires-improvement' : 'inadequate';
  }
  /** Domain grades cluster around the overall grade. */
  domainGrade(overall: OverallGrade): Grade {
    if (this.chance(0.06)) return 'not-applicable';
    const scale: OverallGrade[] = ['outstanding', 'good', 'requires-improvement', 'inadequate'];
    const i = scale.indexOf(overall) + (this.chance(0.6) ? 0 : this.pick([-1, 1]));
    return scale[Math.max(0, Math.min(3, i))];
  }

  /** One case audit and its actions, from `at` (a working day). */
  audit(n: number, at: number): Append[] {
    const team = this.int(0, TEAMS - 1);
    const auditId = randomUUID();
    const streamId = `audit-${auditId}`;
    const auditor = this.pick(AUDITORS);
    const manager = teamManagerId(team);
    const out: Append[] = [];
    const caseRef = `CR${String(100000 + ((n * 7919) % 900000))}`;
    out.push(
      this.append(at, streamId, auditor, 'qa-officer', [
        {
          type: 'CaseAuditStarted',
          data: {
            auditId,
            caseRef,
            teamId: teamId(team),
            auditorId: auditor,
            auditedOn: dayOfMs(at),
            frameworkId: DEFAULT_FRAMEWORK_ID,
            frameworkVersion: 1,
            domains: DOMAIN_KEYS,
          },
        },
      ]),
    );
    const overall = this.overallGrade();
    const grades: Record<string, Grade> = {};
    let t = at;
    for (const domain of DOMAIN_KEYS) {
      t = this.later(t, this.chance(0.75) ? 0 : 1);
      grades[domain] = this.domainGrade(overall);
      out.push(
        this.append(t, streamId, auditor, 'qa-officer', [
          {
            type: 'DomainGraded',
            data: {
              auditId,
              domain,
              grade: grades[domain],
              evidence: `Case notes and supervision record reviewed for ${domain}; findings discussed with the social worker.`,
            },
          },
        ]),
      );
    }
    // A few audits are abandoned in progress.
    if (this.chance(0.02)) return out;
    const submittedAt = this.later(t, this.int(0, 3));
    const submittedOn = dayOfMs(submittedAt);
    const submit: Step[] = [
      {
        type: 'AuditSubmitted',
        data: {
          auditId,
          submittedOn,
          overallGrade: overall,
          strengths: ['Direct work with the child is recorded and shapes the plan.'],
          areasForDevelopment: ['Chronology needs updating after each significant event.'],
          ...(this.chance(0.3) ? { childAndFamilyFeedback: 'Mother said the social worker listens and explains.' } : {}),
        },
      },
    ];
    const actions: { actionId: string; raisedAt: number; dueOn: LocalDate; immediate: boolean }[] = [];
    if (overall === 'inadequate') {
      const actionId = randomUUID();
      const dueOn = addWorkingDays(submittedOn, 1);
      submit.push({
        type: 'AuditActionRaised',
        data: {
          auditId,
          actionId,
          description: 'Immediate review: is immediate safeguarding action needed?',
          ownerId: manager,
          teamId: teamId(team),
          raisedOn: submittedOn,
          dueOn,
          immediateReview: true,
        },
      });
      actions.push({ actionId, raisedAt: submittedAt, dueOn, immediate: true });
    }
    out.push(this.append(submittedAt, streamId, auditor, 'qa-officer', submit));

    const ordinary = overall === 'outstanding' ? this.int(0, 1) : overall === 'good' ? this.int(0, 2) : this.int(1, 3);
    let after = submittedAt;
    for (let i = 0; i < ordinary; i++) {
      const raisedAt = this.later(after, this.int(0, 1));
      const raisedOn = dayOfMs(raisedAt);
      const actionId = randomUUID();
      const dueOn = addWorkingDays(raisedOn, 20);
      out.push(
        this.append(raisedAt, streamId, auditor, 'qa-officer', [
          {
            type: 'AuditActionRaised',
            data: {
              auditId,
              actionId,
              description: this.pick([
                'Update the chronology and share it with the IRO.',
                'Record management oversight of the plan decision.',
                'See the child alone and record their wishes.',
                'Convene a multi-agency meeting about school attendance.',
              ]),
              ownerId: manager,
              teamId: teamId(team),
              raisedOn,
              dueOn,
            },
          },
        ]),
      );
      actions.push({ actionId, raisedAt, dueOn, immediate: false });
      after = raisedAt;
    }
    for (const action of actions) {
      // Most on time, about a quarter late, a few never closed (they stay outstanding).
      if (this.chance(0.04)) continue;
      const completedAt = action.immediate
        ? this.later(action.raisedAt, this.int(0, 3))
        : this.later(action.raisedAt, this.chance(0.75) ? this.int(3, 20) : this.int(21, 40));
      out.push(
        this.append(completedAt, streamId, manager, 'team-manager', [
          {
            type: 'AuditActionCompleted',
            data: {
              auditId,
              actionId: action.actionId,
              completedOn: dayOfMs(completedAt),
              evidence: 'Done: recorded on the child’s file and checked in supervision.',
            },
          },
        ]),
      );
    }
    let effectiveOverall = overall;
    if (this.chance(0.12)) {
      const moderator = this.pick(AUDITORS.filter((a) => a !== auditor));
      const requestedAt = this.later(submittedAt, this.int(1, 10));
      out.push(
        this.append(requestedAt, streamId, auditor, 'qa-officer', [
          { type: 'ModerationRequested', data: { auditId, moderatorId: moderator } },
        ]),
      );
      if (this.chance(0.9)) {
        const agreed = this.chance(0.75);
        const moderated: OverallGrade = agreed ? overall : this.pick(['good', 'requires-improvement', 'inadequate'] as const);
        const moderatedAt = this.later(requestedAt, this.int(2, 10));
        out.push(
          this.append(moderatedAt, streamId, moderator, 'qa-officer', [
            {
              type: 'AuditModerated',
              data: {
                auditId,
                moderatorId: moderator,
                overallGrade: moderated,
                ...(agreed ? {} : { domainGrades: { planning: moderated } }),
                agreed,
                rationale: agreed ? 'Evidence supports the grade.' : 'Drift in planning outweighs the strengths found.',
                auditorOverallGrade: effectiveOverall,
              },
            },
          ]),
        );
        effectiveOverall = moderated;
      }
    }
    if (this.chance(0.05)) {
      const domain = this.pick(DOMAIN_KEYS.filter((d) => grades[d] !== 'not-applicable'));
      const from = grades[domain];
      const to = this.pick((['outstanding', 'good', 'requires-improvement', 'inadequate'] as const).filter((g) => g !== from));
      out.push(
        this.append(this.later(submittedAt, this.int(2, 20)), streamId, auditor, 'qa-officer', [
          { type: 'GradeCorrected', data: { auditId, domain, from, to, reason: 'Evidence found later in the health file.' } },
        ]),
      );
    }
    return out;
  }

  /** One dispute (DR) through its stages, from `at` (a working day). */
  dispute(n: number, at: number): Append[] {
    const team = this.int(0, TEAMS - 1);
    const disputeId = randomUUID();
    const streamId = `dispute-${disputeId}`;
    const iro = this.pick(IROS);
    const manager = teamManagerId(team);
    const stages = PROTOCOL.stages.map((s) => s.key);
    let stage = this.chance(0.9) ? 0 : 1;
    const raisedOn = dayOfMs(at);
    const out: Append[] = [
      this.append(at, streamId, iro, 'iro', [
        {
          type: 'DisputeRaised',
          data: {
            disputeId,
            childRef: `CH${String(100000 + ((n * 104729) % 900000))}`,
            teamId: teamId(team),
            raisedBy: iro,
            raisedOn,
            category: this.pick(DISPUTE_CATEGORIES),
            summary: 'The care plan has not been updated since the placement changed.',
            desiredOutcome: 'An updated care plan shared before the next review.',
            stage: stages[stage],
            protocol: PROTOCOL,
          },
        },
      ]),
    ];
    // Up to three escalations; a few DRs are never answered or never resolved.
    const maxEscalations = this.int(0, 3);
    let escalations = 0;
    let t = at;
    for (;;) {
      if (this.chance(0.03)) return out;
      // 5 working days to answer: about a third answered late.
      t = this.later(t, this.chance(0.65) ? this.int(1, 5) : this.int(6, 12));
      const satisfactory = escalations >= maxEscalations || stage === stages.length - 1 ? true : this.chance(0.3);
      out.push(
        this.append(t, streamId, manager, 'team-manager', [
          {
            type: 'DisputeResponseRecorded',
            data: {
              disputeId,
              stage: stages[stage],
              respondentId: manager,
              ...(this.chance(0.3) ? { respondentName: 'J. Patel, Head of Service' } : {}),
              respondedOn: dayOfMs(t),
              response: 'The plan will be reviewed with the family this week.',
              satisfactory,
            },
          },
        ]),
      );
      if (satisfactory) break;
      t = this.later(t, this.int(0, 3));
      const toStage = stage + 1;
      out.push(
        this.append(t, streamId, iro, 'iro', [
          {
            type: 'DisputeEscalated',
            data: {
              disputeId,
              fromStage: stages[stage],
              toStage: stages[toStage],
              escalatedOn: dayOfMs(t),
              reason: 'The response does not say when the plan will be updated.',
              bypassed: [],
            },
          },
        ]),
      );
      stage = toStage;
      escalations++;
    }
    if (this.chance(0.03)) return out;
    t = this.later(t, this.int(0, 3));
    out.push(
      this.append(t, streamId, iro, 'iro', [
        {
          type: 'DisputeResolved',
          data: {
            disputeId,
            resolvedOn: dayOfMs(t),
            outcome: this.chance(0.85) ? 'resolved' : this.pick(['partly-resolved', 'withdrawn'] as const),
            note: 'Care plan updated and shared.',
          },
        },
      ]),
    );
    return out;
  }

  entity(n: number, at: number): Append[] {
    return n % 4 === 3 ? this.dispute(n, at) : this.audit(n, at);
  }

  /** The framework, protocol, teams and users, at the very start. */
  setUp(): Append[] {
    let t = START - 30 * MINUTE;
    const next = (): number => (t += 5_000);
    const out: Append[] = [
      this.append(next(), `auditframework-${DEFAULT_FRAMEWORK_ID}`, 'system', 'admin', [
        {
          type: 'AuditFrameworkPublished',
          data: { frameworkId: DEFAULT_FRAMEWORK_ID, version: 1, domains: DEFAULT_FRAMEWORK_DOMAINS },
        },
      ]),
      this.append(next(), 'dispute-protocol', 'system', 'admin', [{ type: 'DisputeProtocolPublished', data: PROTOCOL }]),
    ];
    const user = (userId: string, name: string, role: Role, teamIds: string[]): Append =>
      this.append(next(), `user-${userId}`, ADMIN, 'admin', [{ type: 'UserRegistered', data: { userId, name, role, teamIds } }]);
    out.push(user(ADMIN, 'Bench Admin', 'admin', []));
    for (let i = 0; i < TEAMS; i++) {
      out.push(
        this.append(next(), `team-${teamId(i)}`, ADMIN, 'admin', [
          {
            type: 'TeamRegistered',
            data: { teamId: teamId(i), name: `Locality team ${i + 1}`, service: SERVICES[i % SERVICES.length] },
          },
        ]),
      );
    }
    for (let i = 0; i < TEAMS; i++) out.push(user(teamManagerId(i), `Team Manager ${i + 1}`, 'team-manager', [teamId(i)]));
    AUDITORS.forEach((id, i) => out.push(user(id, `Auditor ${i + 1}`, 'qa-officer', [])));
    IROS.forEach((id, i) => out.push(user(id, `IRO ${i + 1}`, 'iro', [])));
    out.push(user('user-inspector', 'Ofsted Inspector', 'inspector', []));
    return out;
  }
}

/** A min-heap of appends by (at, seq): the merge of overlapping entities in time order. */
class AppendHeap {
  private readonly items: Append[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Append | undefined {
    return this.items[0];
  }
  private less(a: Append, b: Append): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  push(x: Append): void {
    const h = this.items;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): Append | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

export interface GeneratedLog {
  events: number;
  /** Rough composition, for the report. */
  counts: Record<string, number>;
  firstRecordedAt: string;
  lastRecordedAt: string;
}

/** Writes about `total` events (exactly `total`: the last entities may stop part-way) into `file`. */
export function generateLog(file: string, total: number, seed = 20200401): GeneratedLog {
  const planner = new Planner(seeded(seed));
  // Entity start times are spread evenly over the span: estimate how many entities fill `total`.
  const sampler = new Planner(seeded(seed + 1));
  let sampled = 0;
  for (let n = 0; n < 2000; n++) sampled += sampler.entity(n, START).reduce((s, a) => s + a.steps.length, 0);
  const setUp = planner.setUp();
  const setUpEvents = setUp.reduce((s, a) => s + a.steps.length, 0);
  const entities = Math.max(1, Math.round((total - setUpEvents) / (sampled / 2000)));

  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // generation only: the measured reads are unaffected
  db.exec(SQLITE_EVENTS_SCHEMA);
  const insert = db.prepare(
    `INSERT INTO events (stream_id, category, revision, event_id, type, schema_version, data, metadata, recorded_at)
     VALUES (@streamId, @category, @revision, @eventId, @type, @schemaVersion, @data, @metadata, @recordedAt)`,
  );
  const insertMany = db.transaction((rows: SealedEvent[]) => rows.forEach((r) => insert.run(r)));

  const tails = new Map<string, { revision: bigint | null; hash: string | null }>();
  const counts: Record<string, number> = {};
  let written = 0;
  let batch: SealedEvent[] = [];
  let first = '';
  let last = '';
  const emit = (a: Append): void => {
    const steps = a.steps.slice(0, total - written);
    if (steps.length === 0) return;
    const recordedAt = new Date(a.at).toISOString();
    const newEvents: NewEvent[] = steps.map((s) => ({
      eventId: randomUUID(),
      type: s.type,
      schemaVersion: 1,
      data: s.data,
      metadata: {
        actorId: a.actorId,
        actorRole: a.actorRole,
        correlationId: randomUUID(),
        causationId: randomUUID(),
        commandId: randomUUID(),
        occurredAt: recordedAt,
      },
    }));
    const sealed = sealEvents(a.streamId, newEvents, tails.get(a.streamId) ?? { revision: null, hash: null }, recordedAt);
    const end = sealed[sealed.length - 1];
    tails.set(a.streamId, { revision: end.revision, hash: end.hash });
    for (const s of steps) counts[s.type] = (counts[s.type] ?? 0) + 1;
    batch.push(...sealed);
    written += sealed.length;
    first ||= recordedAt;
    last = recordedAt;
    if (batch.length >= 20_000) {
      insertMany(batch);
      batch = [];
    }
  };

  setUp.forEach(emit);
  const heap = new AppendHeap();
  let previousStart = 0;
  for (let n = 0; written < total; n++) {
    let day = dayOfMs(START + Math.floor((n / entities) * START_SPAN));
    if (!isWorking(day)) day = addWorkingDays(day, 1);
    // Starts never go backwards, so nothing written already can be later than this entity's first event.
    const at = (previousStart = planner.timeOn(day, previousStart));
    // Everything planned before this entity starts can be written now: later entities start later.
    while (heap.size && heap.peek()!.at < at && written < total) emit(heap.pop()!);
    if (written >= total) break;
    for (const a of planner.entity(n, at)) heap.push(a);
    // Past the estimate, drain what is left rather than start more.
    if (n > entities * 1.5) break;
  }
  while (heap.size && written < total) emit(heap.pop()!);
  if (batch.length) insertMany(batch);
  db.close();
  return { events: written, counts, firstRecordedAt: first, lastRecordedAt: last };
}
