/** The adapters the one contract suite runs against, and how to open each on scratch storage. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  KurrentDbEventStore,
  PostgresEventStore,
  SqliteEventStore,
  type EventStore,
  type UpcasterRegistry,
} from '@casetrail/event-store';
import { POSTGRES_TEST_URL, postgresTestsEnabled, scratchSchema } from '@casetrail/testing';
import { KurrentProtocolTestServer } from '../../../test/kurrentdb/protocol-test-server';

export interface OpenOptions {
  upcasters?: UpcasterRegistry;
  pageSize?: number;
  /** SQL adapters only: group commit on (default) or off. */
  groupCommit?: boolean;
}

export interface OpenedStore {
  store: EventStore;
  /** Opens another handle on the same storage (another "process" inside this one). */
  reopen(options?: OpenOptions): Promise<EventStore>;
  /** Environment for test/append-from-child.ts to open the same storage in a child process. */
  childEnv: Record<string, string>;
  dispose(): Promise<void>;
}

export interface AdapterUnderTest {
  name: string;
  enabled: boolean;
  /** Whether appending an already stored event id to another stream is refused. */
  eventIdsUniqueAcrossStreams: boolean;
  open(options?: OpenOptions): Promise<OpenedStore>;
}

const sqlite: AdapterUnderTest = {
  name: 'sqlite',
  enabled: true,
  eventIdsUniqueAcrossStreams: true,
  open: async (options = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-store-'));
    const file = join(dir, 'events.sqlite');
    const handles: EventStore[] = [];
    const reopen = (more: OpenOptions = {}): Promise<EventStore> => {
      const store = new SqliteEventStore({ file, pollIntervalMs: 25, ...options, ...more });
      handles.push(store);
      return Promise.resolve(store);
    };
    const store = await reopen();
    return {
      store,
      reopen,
      childEnv: { STORE_ADAPTER: 'sqlite', STORE_FILE: file },
      dispose: async () => {
        for (const h of handles) await h.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: AdapterUnderTest = {
  name: 'postgres',
  enabled: postgresTestsEnabled(),
  eventIdsUniqueAcrossStreams: true,
  open: async (options = {}) => {
    const schema = scratchSchema('store');
    const handles: EventStore[] = [];
    const reopen = async (more: OpenOptions = {}): Promise<EventStore> => {
      const store = await PostgresEventStore.connect({
        connectionString: POSTGRES_TEST_URL,
        schema,
        pollIntervalMs: 25,
        ...options,
        ...more,
      });
      handles.push(store);
      return store;
    };
    const store = await reopen();
    return {
      store,
      reopen,
      childEnv: { STORE_ADAPTER: 'postgres', STORE_URL: POSTGRES_TEST_URL, STORE_SCHEMA: schema },
      dispose: async () => {
        for (const h of handles) await h.close();
        const client = new Client({ connectionString: POSTGRES_TEST_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  },
};

/**
 * KurrentDB: a real server when KURRENTDB_URL is set (e.g. kurrentdb://127.0.0.1:2113?tls=false),
 * otherwise a fresh protocol test server (test/kurrentdb) per test, which the real client
 * library reaches over loopback gRPC.
 */
const kurrentdb: AdapterUnderTest = {
  name: process.env.KURRENTDB_URL ? 'kurrentdb (real server at KURRENTDB_URL)' : 'kurrentdb (protocol test server)',
  enabled: true,
  eventIdsUniqueAcrossStreams: false,
  open: async (options = {}) => {
    const server = process.env.KURRENTDB_URL ? null : await KurrentProtocolTestServer.start();
    const connectionString = process.env.KURRENTDB_URL ?? server!.connectionString;
    const handles: EventStore[] = [];
    const reopen = async (more: OpenOptions = {}): Promise<EventStore> => {
      const store = await KurrentDbEventStore.connect({ connectionString, ...options, ...more });
      handles.push(store);
      return store;
    };
    const store = await reopen();
    return {
      store,
      reopen,
      childEnv: { STORE_ADAPTER: 'kurrentdb', STORE_URL: connectionString },
      dispose: async () => {
        for (const h of handles) await h.close();
        await server?.stop();
      },
    };
  },
};

export const ADAPTERS: AdapterUnderTest[] = [sqlite, postgres, kurrentdb];
