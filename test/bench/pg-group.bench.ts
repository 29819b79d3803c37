/**
 * Group commit on PostgreSQL under concurrency: `callers` concurrent writers (default 32) each
 * append one event at a time to a stream of their own, with its expected revision, through
 * PostgresEventStore, so the store writes groups of up to `callers` appends. Two builds' stores
 * (A and B, each in a scratch schema of its own) take turns round by round, A B A B ..., in this
 * one process, so both see the same load. Per round: CPU ms per append of this process and of the
 * server backends serving the store (from /proc, so PostgreSQL must run on this machine), wall
 * time, appends per group, round trips and statements per append.
 *
 *   node --expose-gc dist/test/bench/pg-group.bench.js --a=../base/dist --b=dist [--rounds=6] [--appends=3200] [--callers=32]
 *
 * PostgreSQL: POSTGRES_BENCH_URL (see bench-kit.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import type { PostgresEventStore } from '@casetrail/event-store';
import { domainGraded, gc, POSTGRES_URL } from './bench-kit';

type StoreModule = { PostgresEventStore: typeof PostgresEventStore };

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

async function main(): Promise<void> {
  const rounds = Number(arg('rounds', '6'));
  const appends = Number(arg('appends', '3200'));
  const callers = Number(arg('callers', '32'));
  const builds = { A: resolve(arg('a', 'dist')), B: resolve(arg('b', 'dist')) };
  const admin = new Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const suffix = `${process.pid}`;
  const stores = {} as Record<'A' | 'B', { store: PostgresEventStore; application: string; schema: string; next: number }>;
  for (const name of ['A', 'B'] as const) {
    const module = (await import(`${builds[name]}/libs/event-store/src`)) as StoreModule;
    const application = `pg_group_bench_${name}_${suffix}`;
    const schema = `bench_group_${name.toLowerCase()}_${suffix}`;
    const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}application_name=${application}`;
    const store = await module.PostgresEventStore.connect({ connectionString: url, schema, poolSize: 10 });
    stores[name] = { store, application, schema, next: 0 };
  }
  const rows: Record<string, unknown>[] = [];
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const name of ['A', 'B'] as const) {
        const { store, application } = stores[name];
        // Each caller's stream and its events made before the clock starts.
        const work = Array.from({ length: callers }, () => {
          const n = stores[name].next++;
          return { streamId: `bench-${name}${suffix}x${n}`, events: domainGraded(n, Math.ceil(appends / callers)) };
        });
        gc();
        const groupsBefore = store.groupCommits;
        const sentBefore = { ...sent };
        const serverBefore = await backendCpuMs(admin, application);
        const cpu = process.cpuUsage();
        const start = performance.now();
        await Promise.all(
          work.map(async ({ streamId, events }) => {
            for (const [i, event] of events.entries()) {
              await store.appendToStream(streamId, [event], { expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1) });
            }
          }),
        );
        const wall = performance.now() - start;
        const used = process.cpuUsage(cpu);
        const serverAfter = await backendCpuMs(admin, application);
        let serverMs = 0;
        for (const [pid, ms] of serverAfter) serverMs += ms - (serverBefore.get(pid) ?? 0);
        const total = work.reduce((n, w) => n + w.events.length, 0);
        const row = {
          build: name,
          round,
          appends: total,
          perGroup: +(total / (store.groupCommits - groupsBefore)).toFixed(1),
          nodeCpuMsPerAppend: +((used.user + used.system) / 1000 / total).toFixed(4),
          serverCpuMsPerAppend: +(serverMs / total).toFixed(4),
          wallMsPerAppend: +(wall / total).toFixed(4),
          roundTripsPerAppend: +((sent.queries - sentBefore.queries) / total).toFixed(2),
          statementsPerAppend: +((sent.statements - sentBefore.statements) / total).toFixed(2),
        };
        // Round 0 warms both up (connections, plans, JIT) and is not counted.
        if (round > 0) rows.push(row);
        process.stderr.write(`${JSON.stringify(row)}\n`);
      }
    }
  } finally {
    for (const { store, schema } of Object.values(stores)) {
      await store.close();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
    await admin.end();
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(`${JSON.stringify({ builds, callers, load, rows })}\n`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
