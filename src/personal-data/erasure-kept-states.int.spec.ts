/**
 * The command handler keeps the folded state of streams it has just read or written (StreamStates,
 * decide.command.ts): decrypted text. An erasure must not leave that text in a server's memory,
 * whether the CLI (another process: here a second key store on the same file or schema) or this
 * process destroys the key. Run against both key stores.
 */
import type { CommandBus } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore, type ReadStreamOptions } from '@casetrail/event-store';
import type { Decider, DomainEvent } from '@casetrail/kernel';
import type { ProjectionRunner } from '@casetrail/projections';
import { collect, POSTGRES_TEST_URL, postgresAdmin, postgresTestsEnabled, scratchSchema } from '@casetrail/testing';
import type { DataSource } from 'typeorm';
import { commandHandlerFor, DecideCommandHandler, systemContext, type DecideCommand } from '../core';
import { EncryptingEventStore } from './encrypting-event-store';
import { ERASED } from './field-cipher';
import { PostgresSubjectKeyStore } from './postgres-subject-key-store';
import { SqliteSubjectKeyStore, type SubjectKeyStore } from './subject-key-store';

/** An audit as small as can be: started about a child, graded with evidence (personal text), moderation asked for (none). */
type NoteCommand = { type: 'Start' | 'Grade' | 'AskModeration'; now: string; auditId: string; text?: string };
type NoteEvent =
  | DomainEvent<'CaseAuditStarted', { auditId: string; caseRef: string; teamId: string; domains: string[] }>
  | DomainEvent<'DomainGraded', { auditId: string; domain: string; grade: string; evidence: string }>
  | DomainEvent<'ModerationRequested', { auditId: string; moderatorId: string }>;
/** The evidence as the handler folded it: decrypted text, or "[erased]". */
type Notes = { evidence: string[] };

const notesDecider: Decider<NoteCommand, NoteEvent, Notes> = {
  name: 'notes',
  initialState: { evidence: [] },
  evolve: (state, event) => (event.type === 'DomainGraded' ? { evidence: [...state.evidence, event.data.evidence] } : state),
  decide: (command) => {
    const auditId = command.auditId;
    if (command.type === 'Start')
      return [{ type: 'CaseAuditStarted', data: { auditId, caseRef: `C-${auditId}`, teamId: 't', domains: ['d'] } }];
    if (command.type === 'Grade')
      return [{ type: 'DomainGraded', data: { auditId, domain: 'd', grade: 'good', evidence: command.text ?? '' } }];
    return [{ type: 'ModerationRequested', data: { auditId, moderatorId: 'm' } }];
  },
  schemaVersions: { CaseAuditStarted: 1, DomainGraded: 1, ModerationRequested: 1 },
};
const audits = commandHandlerFor(notesDecider, (c) => `audit-${c.auditId}`);
const SECRET = 'Saw Sam at school';

interface Profile {
  name: string;
  enabled: boolean;
  /** A fresh place for keys; `open` opens a key store on it (the server's, then the CLI's). */
  create(dir: string): { open(master: Buffer): Promise<SubjectKeyStore>; drop(): Promise<void> };
}

const PROFILES: Profile[] = [
  {
    name: 'sqlite',
    enabled: true,
    create: (dir) => ({
      open: (master) => Promise.resolve(new SqliteSubjectKeyStore(join(dir, 'k.sqlite'), master)),
      drop: () => Promise.resolve(),
    }),
  },
  {
    name: 'postgres',
    enabled: postgresTestsEnabled(),
    create: () => {
      const schema = scratchSchema('kept');
      return {
        open: (masterKey) => PostgresSubjectKeyStore.open({ connectionString: POSTGRES_TEST_URL, masterKey, schema }),
        drop: () => postgresAdmin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
      };
    },
  },
];

describe.each(PROFILES.filter((p) => p.enabled))('kept stream states after an erasure ($name key store)', (profile) => {
  const master = randomBytes(32);
  let dir: string;
  let place: ReturnType<Profile['create']>;
  let log: SqliteEventStore;
  let serverKeys: SubjectKeyStore;
  let cliKeys: SubjectKeyStore;
  let reads: number;
  /** How many times the handler asked the key generation (one query each on PostgreSQL). */
  let asked: number;
  /** Streams whose next read waits, once decrypted, until `release` (see pausedRead). */
  let paused: Map<string, { decrypted: () => void; release: Promise<void> }>;
  let handler: DecideCommandHandler;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kept-'));
    place = profile.create(dir);
    log = new SqliteEventStore({ file: ':memory:' });
    serverKeys = await place.open(master);
    cliKeys = await place.open(master);
    const encrypting = new EncryptingEventStore(log, serverKeys);
    // The server's store, counting the handler's stream reads and its questions for the key generation.
    reads = 0;
    asked = 0;
    paused = new Map();
    const store = Object.create(encrypting, {
      readStream: {
        value(streamId: string, options?: ReadStreamOptions) {
          reads++;
          const pause = paused.get(streamId);
          if (!pause) return encrypting.readStream(streamId, options);
          paused.delete(streamId);
          return (async function* () {
            const events = await collect(encrypting.readStream(streamId, options));
            pause.decrypted();
            await pause.release;
            yield* events;
          })();
        },
      },
      keyGeneration: {
        value() {
          asked++;
          return encrypting.keyGeneration();
        },
      },
    }) as EventStore;
    const projections = { waitFor: () => Promise.resolve(true) } as unknown as ProjectionRunner;
    handler = new DecideCommandHandler(store, projections, {} as DataSource);
  });
  afterEach(async () => {
    await serverKeys.close();
    await cliKeys.close();
    log.close();
    await place.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const bus = { execute: (command: DecideCommand) => handler.execute(command) } as unknown as CommandBus;
  const send = (type: NoteCommand['type'], auditId: string, text?: string) => {
    const context = systemContext('auditor');
    return audits.send(bus, { type, now: context.now, auditId, text }, context);
  };
  /** The state the handler keeps for the audit's stream, if any. */
  const kept = (auditId: string): Notes | undefined =>
    handler.streams.get(`audit-${auditId}`, notesDecider as Decider<never, DomainEvent, unknown>)?.state as Notes | undefined;
  /** An audit with personal text, its state kept by the handler with the text decrypted. */
  const keptAudit = async (auditId: string): Promise<void> => {
    await send('Start', auditId);
    await send('Grade', auditId, SECRET);
    expect(kept(auditId)).toEqual({ evidence: [SECRET] });
  };

  it('with no erasure, the next command is decided on the kept state (no read)', async () => {
    await keptAudit('1');
    const before = reads;
    await send('AskModeration', '1');
    expect(reads).toBe(before);
  });

  /** The next read of the audit's stream is decrypted, then waits until `release` is called. */
  const pausedRead = (auditId: string) => {
    let decrypted!: () => void;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (decrypted = resolve));
    paused.set(`audit-${auditId}`, { decrypted, release: new Promise<void>((resolve) => (release = resolve)) });
    return { decrypted: done, release };
  };

  it('a command on a stream with no kept state does not ask the key generation; one on a kept state does', async () => {
    await keptAudit('1');
    const before = asked;
    await send('Start', '2'); // a new stream: read afresh
    expect(asked).toBe(before);
    await send('Grade', '2', SECRET); // decided on the state the start left
    expect(asked).toBe(before + 1);
  });

  it('a state read while the CLI erased the child, by a command that did not ask the key generation, is never used', async () => {
    await keptAudit('1');
    await keptAudit('2');
    handler.streams.delete('audit-2'); // gone (its time, the cap): the next command on it reads afresh
    const read = pausedRead('2');
    const command = send('AskModeration', '2'); // asks no generation: no state kept for audit-2
    await read.decrypted; // the secret is in the text read, not yet folded
    await cliKeys.erase('C-2', new Date().toISOString());
    await send('AskModeration', '1'); // asks the generation, which moved: every kept state dropped
    read.release();
    await command;
    expect(handler.streams.has('audit-2')).toBe(true); // kept, with the secret, under the generation seen before its read
    const before = reads;
    await send('AskModeration', '2');
    expect(reads).toBe(before + 1);
    expect(kept('2')).toEqual({ evidence: [ERASED] });
  });

  it('after the CLI erases the child, the next command reads the stream afresh: the text is gone from the kept state', async () => {
    await keptAudit('1');
    const before = reads;
    await cliKeys.erase('C-1', new Date().toISOString());
    await send('AskModeration', '1');
    expect(reads).toBe(before + 1);
    expect(kept('1')).toEqual({ evidence: [ERASED] });
  });

  it('after an erasure in this process, the next command reads the stream afresh', async () => {
    await keptAudit('1');
    const before = reads;
    await serverKeys.erase('C-1', new Date().toISOString());
    await send('AskModeration', '1');
    expect(reads).toBe(before + 1);
    expect(kept('1')).toEqual({ evidence: [ERASED] });
  });

  it('after an erasure, the next command (on any stream) drops every kept state, whoever they are about', async () => {
    await keptAudit('1');
    await keptAudit('2');
    await cliKeys.erase('C-1', new Date().toISOString());
    await send('AskModeration', '2');
    expect(handler.streams.size).toBe(1); // only the one just decided, read afresh
    expect(kept('1')).toBeUndefined();
  });
});
