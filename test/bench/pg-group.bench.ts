/**
 * Group commit on PostgreSQL under concurrency: `callers` concurrent writers (default 32) each
 * append one event at a time to a stream of their own, with its expected revision, through
 * PostgresEventStore, so the store writes groups of up to `callers` appends. Two builds' stores
 * (A and B, each in a scratch schema of its own) take turns round by round, A B A B ..., in this
 * one process, so both see the same load. Per round: CPU ms per append of this process and of the
 * server backends serving the store (from /proc, so PostgreSQL must run on this machine), wall
 * time, appends per group, round trips and statements per append.
 *
 * --mode=commands: the same callers send commands instead, through each build's one command handler
 * (DecideCommandHandler) on the PostgreSQL profile's stores (EncryptingEventStore over
 * PostgresEventStore, keys in PostgresSubjectKeyStore): per audit a start, four grades with
 * evidence (personal text, encrypted) and a moderation request, the figures per command. The
 * projections and the read database are left out (answered at once), so this is the command path alone.
 *
 *   node --expose-gc dist/test/bench/pg-group.bench.js --a=../base/dist --b=dist [--mode=appends|commands]
 *        [--rounds=6] [--appends=3200] [--callers=32]
 *
 * PostgreSQL: POSTGRES_BENCH_URL (see bench-kit.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { CommandBus } from '@nestjs/cqrs';
import type { EventStore, PostgresEventStore } from '@casetrail/event-store';
import type { Decider, DomainEvent } from '@casetrail/kernel';
import type { ProjectionRunner } from '@casetrail/projections';
import type { DataSource } from 'typeorm';
import type { commandHandlerFor, DecideCommand, DecideCommandHandler, systemContext } from '../../src/core';
import type { EncryptingEventStore } from '../../src/personal-data';
import type { PostgresSubjectKeyStore } from '../../src/personal-data/postgres-subject-key-store';
import { domainGraded, DOMAINS, gc, GRADES, POSTGRES_URL } from './bench-kit';

type StoreModule = { PostgresEventStore: typeof PostgresEventStore };
type HandlerModule = { DecideCommandHandler: typeof DecideCommandHandler };
type ContextModule = { systemContext: typeof systemContext };
type HandlerForModule = { commandHandlerFor: typeof commandHandlerFor };
type EncryptingModule = { EncryptingEventStore: typeof EncryptingEventStore };
type KeyStoreModule = { PostgresSubjectKeyStore: typeof PostgresSubjectKeyStore };

/** An audit as small as can be (as in erasure-kept-states.int.spec.ts): started about a child, graded with evidence, moderation asked for. */
type AuditCommand = { type: 'Start' | 'Grade' | 'AskModeration'; now: string; auditId: string; domain?: string };
const auditDecider: Decider<AuditCommand, DomainEvent, { graded: number }> = {
  name: 'bench-audit',
  initialState: { graded: 0 },
  evolve: (state, event) => (event.type === 'DomainGraded' ? { graded: state.graded + 1 } : state),
  decide: (command, state) => {
    const auditId = command.auditId;
    if (command.type === 'Start')
      return [{ type: 'CaseAuditStarted', data: { auditId, caseRef: `C-${auditId}`, teamId: 't', domains: DOMAINS } }];
    if (command.type === 'Grade') {
      const grade = GRADES[state.graded % GRADES.length];
      const evidence = `Case note ${state.graded}: child seen alone within timescale; views recorded in the plan.`;
      return [{ type: 'DomainGraded', data: { auditId, domain: command.domain, grade, evidence } }];
    }
    return [{ type: 'ModerationRequested', data: { auditId, moderatorId: 'm' } }];
  },
  schemaVersions: { CaseAuditStarted: 1, DomainGraded: 1, ModerationRequested: 1 },
};

const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

/** Round trips and statements sent by every pg client of this process (both stores share the pg module). */
const sent = { queries: 0, statements: 0 };
const query = Client.prototype.query as (...args: unknown[]) => unknown;
Client.prototype.query = function (this: Client, ...args: unknown[]) {
  sent.queries++;
  const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? '');
  sent.statements += text.split(';').filter((s) => s.trim() !== '').length;
  return query.apply(this, args);
} as typeof Client.prototype.query;

/** CPU ms (user + system) of the server backends with this application name, from /proc/<pid>/stat. */
async function backendCpuMs(admin: Client, application: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
    application,
  ]);
  const ms = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ms.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // utime + stime, 100 ticks a second
    } catch {
      // the backend ended in between
    }
  }
  return ms;
}

/** One build's side of the comparison: what a round runs, and the application name of its connections. */
interface Side {
  application: string;
  /** Runs `count` units (appends or commands) from `callers` concurrent callers. */
  round(count: number, callers: number): Promise<void>;
  /** Committed groups so far (appends mode). */
  groups(): number;
  close(): Promise<void>;
}

async function appendSide(build: string, name: string, application: string): Promise<Side> {
  const module = (await import(`${build}/libs/event-store/src`)) as StoreModule;
  const schema = `bench_group_${name.toLowerCase()}_${process.pid}`;
  const store = await module.PostgresEventStore.connect({ connectionString: withApplication(application), schema, poolSize: 10 });
  let next = 0;
  return {
    application,
    groups: () => store.groupCommits,
    round: async (count, callers) => {
      await Promise.all(
        Array.from({ length: callers }, async () => {
          const n = next++;
          const streamId = `bench-${name}${process.pid}x${n}`;
          const events = domainGraded(n, Math.ceil(count / callers));
          for (const [i, event] of events.entries()) {
            await store.appendToStream(streamId, [event], { expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1) });
          }
        }),
      );
    },
    close: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

async function commandSide(build: string, name: string, application: string): Promise<Side> {
  const load = <T>(path: string) => import(`${build}/${path}`) as Promise<T>;
  const { PostgresEventStore } = await load<StoreModule>('libs/event-store/src');
  const { DecideCommandHandler } = await load<HandlerModule>('src/core/decide.command');
  const { systemContext } = await load<ContextModule>('src/core/command-context');
  const { commandHandlerFor } = await load<HandlerForModule>('src/core/command-handler-for');
  const { EncryptingEventStore } = await load<EncryptingModule>('src/personal-data/encrypting-event-store');
  const { PostgresSubjectKeyStore } = await load<KeyStoreModule>('src/personal-data/postgres-subject-key-store');
  const schema = `bench_cmd_${name.toLowerCase()}_${process.pid}`;
  const connectionString = withApplication(application);
  const log = await PostgresEventStore.connect({ connectionString, schema, poolSize: 10 });
  const keys = await PostgresSubjectKeyStore.open({ connectionString, masterKey: randomBytes(32), schema: `${schema}_keys` });
  const store: EventStore = new EncryptingEventStore(log, keys);
  const projections = { waitFor: () => Promise.resolve(true) } as unknown as ProjectionRunner;
  const handler = new DecideCommandHandler(store, projections, {} as DataSource);
  const bus = { execute: (command: DecideCommand) => handler.execute(command) } as unknown as CommandBus;
  const audits = commandHandlerFor(auditDecider, (c) => `audit-${c.auditId}`);
  const send = (type: AuditCommand['type'], auditId: string, domain?: string) => {
    const context = systemContext('auditor', 'auditor');
    return audits.send(bus, { type, now: context.now, auditId, domain }, context);
  };
  return {
    application,
    groups: () => log.groupCommits,
    round: async (count, callers) => {
      const perCaller = Math.ceil(count / callers / 6);
      await Promise.all(
        Array.from({ length: callers }, async () => {
          for (let a = 0; a < perCaller; a++) {
            const auditId = randomUUID();
            await send('Start', auditId);
            for (const domain of DOMAINS.slice(0, 4)) await send('Grade', auditId, domain);
            await send('AskModeration', auditId);
          }
        }),
      );
    },
    close: async () => {
      handler.onModuleDestroy();
      await store.close();
      await dropSchema(schema);
      await dropSchema(`${schema}_keys`);
    },
  };
}

const withApplication = (application: string): string =>
  `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}application_name=${application}`;

async function dropSchema(schema: string): Promise<void> {
  const admin = new Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}

async function main(): Promise<void> {
  const mode = arg('mode', 'appends');
  const rounds = Number(arg('rounds', '6'));
  const count = Number(arg('appends', mode === 'commands' ? '1920' : '3200'));
  const callers = Number(arg('callers', '32'));
  const builds = { A: resolve(arg('a', 'dist')), B: resolve(arg('b', 'dist')) };
  const admin = new Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const sides = {} as Record<'A' | 'B', Side>;
  for (const name of ['A', 'B'] as const) {
    const application = `bench_group_${name}_${process.pid}`;
    sides[name] = await (mode === 'commands' ? commandSide : appendSide)(builds[name], name, application);
  }
  const unit = mode === 'commands' ? 'Command' : 'Append';
  const rows: Record<string, unknown>[] = [];
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const name of ['A', 'B'] as const) {
        const side = sides[name];
        gc();
        const groupsBefore = side.groups();
        const sentBefore = { ...sent };
        const serverBefore = await backendCpuMs(admin, side.application);
        const cpu = process.cpuUsage();
        const start = performance.now();
        await side.round(count, callers);
        const wall = performance.now() - start;
        const used = process.cpuUsage(cpu);
        const serverAfter = await backendCpuMs(admin, side.application);
        let serverMs = 0;
        for (const [pid, ms] of serverAfter) serverMs += ms - (serverBefore.get(pid) ?? 0);
        const done = mode === 'commands' ? Math.ceil(count / callers / 6) * 6 * callers : Math.ceil(count / callers) * callers;
        const row = {
          build: name,
          round,
          [`${unit.toLowerCase()}s`]: done,
          groups: side.groups() - groupsBefore,
          [`nodeCpuMsPer${unit}`]: +((used.user + used.system) / 1000 / done).toFixed(4),
          [`serverCpuMsPer${unit}`]: +(serverMs / done).toFixed(4),
          [`wallMsPer${unit}`]: +(wall / done).toFixed(4),
          [`roundTripsPer${unit}`]: +((sent.queries - sentBefore.queries) / done).toFixed(2),
          [`statementsPer${unit}`]: +((sent.statements - sentBefore.statements) / done).toFixed(2),
        };
        // Round 0 warms both up (connections, plans, JIT) and is not counted.
        if (round > 0) rows.push(row);
        process.stderr.write(`${JSON.stringify(row)}\n`);
      }
    }
  } finally {
    for (const side of Object.values(sides)) await side.close();
    await admin.end();
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(`${JSON.stringify({ mode, builds, callers, load, rows })}\n`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
