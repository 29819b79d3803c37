/**
 * A KurrentDB protocol test server: speaks KurrentDB's gRPC protocol (v1 `Streams`,
 * `ServerFeatures`, `Gossip`) on 127.0.0.1 for exactly the calls the Casetrail adapter
 * makes through `@kurrent/kurrentdb-client`, backed by an in-memory log.
 *
 * The service definitions and message classes are the generated code that the client
 * package itself ships in node_modules (never copied here), so the real client library
 * (its grpc-js half for appends and subscriptions, its Rust half for reads) talks to this
 * server over real HTTP/2 exactly as it would to a KurrentDB node.
 *
 * Behaviour follows the server's documented semantics where the adapter depends on them:
 * - positions are byte-like offsets (not dense), commit = prepare for every event, and the
 *   log starts with a system record so "$all" is never only Casetrail's events;
 * - Append/BatchAppend check the expected stream state and are idempotent for the same
 *   event ids at the same place (as the server's idempotency check);
 * - reading "$all" forwards from a position includes the event at it, backwards excludes it;
 * - subscriptions are exclusive of their start position, send a confirmation, checkpoints
 *   every `max window × checkpointIntervalMultiplier` scanned records when filtered,
 *   a CaughtUp (with position) when catch-up ends, then live events.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { StreamsService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import {
  AllStreamPosition,
  Empty,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { Status } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import { Code } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/code_pb';
import { ServerFeaturesService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb';
import { GossipService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/gossip_grpc_pb';
import { ClusterInfo, EndPoint, MemberInfo } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/gossip_pb';

export interface LogRecord {
  streamId: string;
  revision: bigint;
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** 100 ns ticks since the Unix epoch, as the server's `created` metadata. */
  createdTicks: bigint;
  position: bigint;
}

interface Proposed {
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

type Expected = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: bigint };

type AppendOutcome =
  { ok: true; currentRevision: bigint; position: bigint } | { ok: false; currentRevision: bigint | null; expected: Expected };

interface Matcher {
  stream?: (s: string) => boolean;
  type?: (t: string) => boolean;
}

interface LiveSubscription {
  call: grpc.ServerWritableStream<ReadReq, ReadResp>;
  matches: (r: LogRecord) => boolean;
  stringIds: boolean;
  /** Records appended while the subscription was still catching up, sent once it is live. */
  pending: LogRecord[] | null;
}

const bytes = (value: Uint8Array | string): Uint8Array => (typeof value === 'string' ? Buffer.from(value, 'base64') : value);

const streamName = (id: StreamIdentifier | undefined): string => Buffer.from(bytes(id?.getStreamName() ?? '')).toString('utf8');

const identifier = (name: string): StreamIdentifier => new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));

function uuidOf(uuid: UUID | undefined): string {
  if (!uuid) return randomUUID();
  if (uuid.hasStructured()) {
    const s = uuid.getStructured()!;
    const hex = (v: string): string => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
    const ms = hex(s.getMostSignificantBits());
    const ls = hex(s.getLeastSignificantBits());
    return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-${ms.slice(12)}-${ls.slice(0, 4)}-${ls.slice(4)}`;
  }
  return uuid.getString();
}

function uuidMessage(id: string, asString: boolean): UUID {
  const uuid = new UUID();
  if (asString) return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  const signed = (h: string): string => BigInt.asIntN(64, BigInt(`0x${h}`)).toString();
  return uuid.setStructured(
    new UUID.Structured().setMostSignificantBits(signed(hex.slice(0, 16))).setLeastSignificantBits(signed(hex.slice(16))),
  );
}

const ticksNow = (): bigint => BigInt(Date.now()) * 10_000n + ((process.hrtime.bigint() / 100n) % 10_000n);

function matcherOf(options: ReadReq.Options): Matcher {
  if (!options.hasFilter()) return {};
  const filter = options.getFilter()!;
  const test = (expr: ReadReq.Options.FilterOptions.Expression): ((v: string) => boolean) => {
    const prefixes = expr.getPrefixList();
    if (prefixes.length > 0) return (v) => prefixes.some((p) => v.startsWith(p));
    const regex = new RegExp(expr.getRegex());
    return (v) => regex.test(v);
  };
  if (filter.hasStreamIdentifier()) return { stream: test(filter.getStreamIdentifier()!) };
  if (filter.hasEventType()) return { type: test(filter.getEventType()!) };
  return {};
}

const matchesFilter = (m: Matcher, r: LogRecord): boolean => (!m.stream || m.stream(r.streamId)) && (!m.type || m.type(r.type));

export class KurrentProtocolTestServer {
  /** The log, in position order. */
  readonly log: LogRecord[] = [];
  /** Calls received, by gRPC method path: which parts of the protocol the client really used. */
  readonly calls = new Map<string, number>();
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly live = new Set<LiveSubscription>();
  private nextPosition = 0n;
  private port = 0;

  private constructor(private readonly server: grpc.Server) {}

  static async start(): Promise<KurrentProtocolTestServer> {
    const server = new grpc.Server();
    const test = new KurrentProtocolTestServer(server);
    test.register();
    // What a fresh node has in $all before anyone writes: a system record.
    test.write('$settings', [
      {
        eventId: randomUUID(),
        type: '$settings',
        contentType: 'application/json',
        data: Buffer.from('{}'),
        customMetadata: new Uint8Array(),
      },
    ]);
    test.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    return test;
  }

  /** How the client connects: a single insecure node. */
  get connectionString(): string {
    return `kurrentdb://127.0.0.1:${this.port}?tls=false`;
  }

  callCount(path: string): number {
    return this.calls.get(path) ?? 0;
  }

  /** Ends every live subscription with an error, as a node does for a "consumer too slow" or a leader change. */
  dropSubscriptions(): number {
    const dropped = this.live.size;
    for (const sub of [...this.live]) {
      this.live.delete(sub);
      // Ends the call with a gRPC status, as the server does; the client sees an error, not a cancellation.
      sub.call.emit('error', { code: grpc.status.ABORTED, details: 'Consumer too slow to handle event while live' });
    }
    return dropped;
  }

  async stop(): Promise<void> {
    for (const sub of this.live) sub.call.end();
    this.live.clear();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    this.server.forceShutdown();
  }

  private count(path: string): void {
    this.calls.set(path, this.callCount(path) + 1);
  }

  private register(): void {
    this.server.addService(ServerFeaturesService, {
      getSupportedMethods: (
        _call: grpc.ServerUnaryCall<Empty, SupportedMethods>,
        callback: grpc.sendUnaryData<SupportedMethods>,
      ) => {
        this.count('ServerFeatures/GetSupportedMethods');
        const method = (service: string, name: string, features: string[] = []): SupportedMethod =>
          new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
        const streams = 'event_store.client.streams.streams';
        callback(
          null,
          new SupportedMethods()
            .setEventStoreServerVersion('25.0.0')
            .setMethodsList([
              method(streams, 'read', ['all', 'stream', 'filter', 'position']),
              method(streams, 'append'),
              method(streams, 'batchappend'),
              method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
              method('event_store.client.gossip.gossip', 'read'),
            ]),
        );
      },
    });

    this.server.addService(GossipService, {
      read: (_call: grpc.ServerUnaryCall<Empty, ClusterInfo>, callback: grpc.sendUnaryData<ClusterInfo>) => {
        this.count('Gossip/Read');
        const member = new MemberInfo()
          .setInstanceId(uuidMessage(randomUUID(), true))
          .setTimeStamp(ticksNow().toString())
          .setState(MemberInfo.VNodeState.LEADER)
          .setIsAlive(true)
          .setHttpEndPoint(new EndPoint().setAddress('127.0.0.1').setPort(this.port));
        callback(null, new ClusterInfo().setMembersList([member]));
      },
    });

    this.server.addService(StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => this.read(call),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) =>
        this.append(call, callback),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => this.batchAppend(call),
      delete: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: 'not used by Casetrail' }),
      tombstone: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: 'not used by Casetrail' }),
    });
  }

  // ---------------------------------------------------------------- appends

  /** The server's check: expected state, then idempotency for ids already at that place. */
  private tryAppend(stream: string, expected: Expected, proposed: Proposed[]): AppendOutcome {
    const existing = this.streams.get(stream) ?? [];
    const current = existing.length === 0 ? null : existing[existing.length - 1].revision;
    // Idempotent retry: the same ids already sit right after the expected place.
    const from =
      expected.kind === 'revision'
        ? Number(expected.revision) + 1
        : expected.kind === 'no_stream'
          ? 0
          : existing.findIndex((r) => r.eventId === proposed[0]?.eventId);
    if (from >= 0 && proposed.length > 0 && from + proposed.length <= existing.length) {
      const same = proposed.every((p, i) => existing[from + i].eventId === p.eventId);
      if (same) {
        const last = existing[from + proposed.length - 1];
        return { ok: true, currentRevision: last.revision, position: last.position };
      }
    }
    const ok =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && current === null) ||
      (expected.kind === 'stream_exists' && current !== null) ||
      (expected.kind === 'revision' && current === expected.revision);
    if (!ok) return { ok: false, currentRevision: current, expected };
    const written = this.write(stream, proposed);
    const last = written[written.length - 1];
    return { ok: true, currentRevision: last.revision, position: last.position };
  }

  private write(stream: string, proposed: Proposed[]): LogRecord[] {
    const existing = this.streams.get(stream) ?? [];
    this.streams.set(stream, existing);
    const created = ticksNow();
    const written = proposed.map((p) => {
      const record: LogRecord = {
        streamId: stream,
        revision: BigInt(existing.length),
        ...p,
        createdTicks: created,
        position: this.nextPosition,
      };
      // Positions are offsets in a byte log: increasing, not dense.
      this.nextPosition += 100n + BigInt(p.data.length + p.customMetadata.length + stream.length + p.type.length);
      existing.push(record);
      this.log.push(record);
      return record;
    });
    for (const sub of this.live) {
      for (const record of written) {
        if (!sub.matches(record)) continue;
        if (sub.pending) sub.pending.push(record);
        else sub.call.write(this.eventResponse(record, sub.stringIds));
      }
    }
    return written;
  }

  private append(call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void {
    this.count('Streams/Append');
    let options: AppendReq.Options | undefined;
    const proposed: Proposed[] = [];
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      const message = req.getProposedMessage();
      if (message) proposed.push(this.proposed(message));
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'options first' });
      const expected: Expected = options.hasRevision()
        ? { kind: 'revision', revision: BigInt(options.getRevision()) }
        : options.hasNoStream()
          ? { kind: 'no_stream' }
          : options.hasStreamExists()
            ? { kind: 'stream_exists' }
            : { kind: 'any' };
      const outcome = this.tryAppend(streamName(options.getStreamIdentifier()), expected, proposed);
      const resp = new AppendResp();
      if (outcome.ok) {
        resp.setSuccess(
          new AppendResp.Success()
            .setCurrentRevision(outcome.currentRevision.toString())
            .setPosition(
              new AppendResp.Position()
                .setCommitPosition(outcome.position.toString())
                .setPreparePosition(outcome.position.toString()),
            ),
        );
      } else {
        const wev = new AppendResp.WrongExpectedVersion();
        if (outcome.currentRevision === null) wev.setCurrentNoStream(new Empty());
        else wev.setCurrentRevision(outcome.currentRevision.toString());
        if (outcome.expected.kind === 'revision') wev.setExpectedRevision(outcome.expected.revision.toString());
        else if (outcome.expected.kind === 'no_stream') wev.setExpectedNoStream(new Empty());
        else if (outcome.expected.kind === 'stream_exists') wev.setExpectedStreamExists(new Empty());
        else wev.setExpectedAny(new Empty());
        resp.setWrongExpectedVersion(wev);
      }
      callback(null, resp);
    });
  }

  private proposed(m: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): Proposed {
    const metadata = m.getMetadataMap();
    return {
      eventId: uuidOf(m.getId()),
      type: metadata.get('type') ?? '',
      contentType: metadata.get('content-type') ?? 'application/octet-stream',
      data: Uint8Array.from(bytes(m.getData())),
      customMetadata: Uint8Array.from(bytes(m.getCustomMetadata())),
    };
  }

  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    this.count('Streams/BatchAppend');
    // One duplex stream carries many appends, told apart by correlation id.
    const open = new Map<string, { options: BatchAppendReq.Options; proposed: Proposed[] }>();
    call.on('data', (req: BatchAppendReq) => {
      const correlationId = req.getCorrelationId();
      const key = uuidOf(correlationId);
      const entry = open.get(key) ?? { options: req.getOptions()!, proposed: [] };
      open.set(key, entry);
      entry.proposed.push(...req.getProposedMessagesList().map((m) => this.proposed(m)));
      if (!req.getIsFinal()) return;
      open.delete(key);
      const o = entry.options;
      const stream = streamName(o.getStreamIdentifier());
      const expected: Expected = o.hasStreamPosition()
        ? { kind: 'revision', revision: BigInt(o.getStreamPosition()) }
        : o.hasNoStream()
          ? { kind: 'no_stream' }
          : o.hasStreamExists()
            ? { kind: 'stream_exists' }
            : { kind: 'any' };
      const outcome = this.tryAppend(stream, expected, entry.proposed);
      const resp = new BatchAppendResp().setCorrelationId(correlationId).setStreamIdentifier(identifier(stream));
      if (outcome.ok) {
        resp.setSuccess(
          new BatchAppendResp.Success()
            .setCurrentRevision(outcome.currentRevision.toString())
            .setPosition(
              new AllStreamPosition()
                .setCommitPosition(outcome.position.toString())
                .setPreparePosition(outcome.position.toString()),
            ),
        );
      } else {
        const wev = new WrongExpectedVersion();
        if (outcome.currentRevision === null) wev.setCurrentNoStream(new GoogleEmpty());
        else wev.setCurrentStreamRevision(outcome.currentRevision.toString());
        if (outcome.expected.kind === 'revision') wev.setExpectedStreamPosition(outcome.expected.revision.toString());
        else if (outcome.expected.kind === 'no_stream') wev.setExpectedNoStream(new GoogleEmpty());
        else if (outcome.expected.kind === 'stream_exists') wev.setExpectedStreamExists(new GoogleEmpty());
        else wev.setExpectedAny(new GoogleEmpty());
        const details = new Any();
        details.pack(wev.serializeBinary(), 'event_store.client.WrongExpectedVersion');
        resp.setError(new Status().setCode(Code.FAILED_PRECONDITION).setMessage('WrongExpectedVersion').setDetails(details));
      }
      call.write(resp);
    });
    call.on('error', () => undefined);
    call.on('end', () => call.end());
  }

  // ---------------------------------------------------------------- reads

  private recordedEvent(r: LogRecord, stringIds: boolean): ReadResp.ReadEvent.RecordedEvent {
    const event = new ReadResp.ReadEvent.RecordedEvent()
      .setId(uuidMessage(r.eventId, stringIds))
      .setStreamIdentifier(identifier(r.streamId))
      .setStreamRevision(r.revision.toString())
      .setCommitPosition(r.position.toString())
      .setPreparePosition(r.position.toString())
      .setData(r.data)
      .setCustomMetadata(r.customMetadata);
    event.getMetadataMap().set('type', r.type).set('content-type', r.contentType).set('created', r.createdTicks.toString());
    return event;
  }

  private eventResponse(r: LogRecord, stringIds: boolean): ReadResp {
    return new ReadResp().setEvent(
      new ReadResp.ReadEvent().setEvent(this.recordedEvent(r, stringIds)).setCommitPosition(r.position.toString()),
    );
  }

  private read(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions();
    if (!options) return void call.destroy(Object.assign(new Error('options missing'), { code: grpc.status.INVALID_ARGUMENT }));
    const stringIds = options.getUuidOption()?.hasString() ?? false;
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const count = options.hasCount() ? Number(options.getCount()) : Number.POSITIVE_INFINITY;
    const matcher = matcherOf(options);
    call.on('error', () => undefined);

    if (options.hasSubscription()) {
      if (!options.hasAll()) {
        return void call.destroy(
          Object.assign(new Error('stream subscriptions are not used by Casetrail'), { code: grpc.status.UNIMPLEMENTED }),
        );
      }
      return this.subscribe(call, options, matcher, stringIds);
    }

    if (options.hasStream()) {
      this.count('Streams/Read(stream)');
      const s = options.getStream()!;
      const name = streamName(s.getStreamIdentifier());
      const records = this.streams.get(name);
      if (!records || records.length === 0) {
        call.write(new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(identifier(name))));
        return void call.end();
      }
      let selected: LogRecord[];
      if (backwards) {
        const from = s.hasRevision() ? BigInt(s.getRevision()) : records[records.length - 1].revision;
        selected = records.filter((r) => r.revision <= from).reverse();
      } else {
        const from = s.hasRevision() ? BigInt(s.getRevision()) : 0n;
        selected = records.filter((r) => r.revision >= from);
      }
      for (const r of selected.slice(0, count)) call.write(this.eventResponse(r, stringIds));
      return void call.end();
    }

    this.count(options.hasFilter() ? 'Streams/Read($all, filtered)' : 'Streams/Read($all)');
    const all = options.getAll()!;
    let selected: LogRecord[];
    if (backwards) {
      // Backwards from a position: the records before it.
      const before = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : null;
      selected = this.log.filter((r) => before === null || r.position < before).reverse();
    } else {
      const from = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : all.hasEnd() ? this.nextPosition : 0n;
      selected = this.log.filter((r) => r.position >= from);
    }
    let sent = 0;
    for (const r of selected) {
      if (sent >= count) break;
      if (!matchesFilter(matcher, r)) continue;
      call.write(this.eventResponse(r, stringIds));
      sent++;
    }
    call.end();
  }

  private subscribe(
    call: grpc.ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
    matcher: Matcher,
    stringIds: boolean,
  ): void {
    this.count('Streams/Read($all subscription)');
    const all = options.getAll()!;
    const filter = options.hasFilter() ? options.getFilter()! : null;
    const checkpointEvery = filter
      ? (filter.hasMax() ? filter.getMax() : 32) * Math.max(1, filter.getCheckpointintervalmultiplier())
      : 0;
    const sub: LiveSubscription = { call, matches: (r) => matchesFilter(matcher, r), stringIds, pending: [] };
    this.live.add(sub);
    call.on('cancelled', () => this.live.delete(sub));
    call.on('close', () => this.live.delete(sub));
    call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));

    // Exclusive of the start position; "end" means only what comes next.
    const after = all.hasPosition()
      ? BigInt(all.getPosition()!.getCommitPosition())
      : all.hasEnd()
        ? this.nextPosition - 1n
        : -1n;
    const catchUp = this.log.filter((r) => r.position > after);
    // Catch-up runs in slices on later turns of the event loop, so appends can interleave with it.
    let index = 0;
    let scanned = 0;
    const step = (): void => {
      if (!this.live.has(sub)) return;
      const until = Math.min(catchUp.length, index + 50);
      for (; index < until; index++) {
        const r = catchUp[index];
        if (sub.matches(r)) call.write(this.eventResponse(r, stringIds));
        scanned++;
        if (checkpointEvery > 0 && scanned % checkpointEvery === 0) {
          call.write(
            new ReadResp().setCheckpoint(
              new ReadResp.Checkpoint()
                .setCommitPosition(r.position.toString())
                .setPreparePosition(r.position.toString())
                .setTimestamp(Timestamp.fromDate(new Date())),
            ),
          );
        }
      }
      if (index < catchUp.length) return void setImmediate(step);
      // Whatever was appended during catch-up goes out before "caught up".
      const pending = sub.pending ?? [];
      sub.pending = null;
      for (const r of pending) call.write(this.eventResponse(r, stringIds));
      const last = this.log[this.log.length - 1];
      const caughtUp = new ReadResp.CaughtUp().setTimestamp(Timestamp.fromDate(new Date()));
      if (last)
        caughtUp.setPosition(
          new ReadResp.Position().setCommitPosition(last.position.toString()).setPreparePosition(last.position.toString()),
        );
      call.write(new ReadResp().setCaughtUp(caughtUp));
    };
    setImmediate(step);
  }
}
