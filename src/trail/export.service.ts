import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  sealedMetadata,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
  type StoredEventRow,
} from '@casetrail/event-store';
import { AppConfig } from '../config';
import {
  eventLine,
  manifestLine,
  sealedNdjsonLine,
  storedEventLine,
  CSV_HEADER,
  type ExportFormat,
  type ExportManifest,
} from './export-format';
import { LogTree, OFF_THREAD_FROM, type TreeResult } from './log-tree';
import { TrailSigner } from './signing-key';
import { TeamScope } from './team-scope';
import { storedView, toTrailEvent } from './trail-event';

export interface ExportRequest {
  format: ExportFormat;
  from?: string;
  to?: string;
  teamId?: string;
  /** Called now and then with the position read so far and the head the export stops at (the CLI's progress bar). */
  onProgress?: (position: bigint, head: bigint) => void;
}

const PROGRESS_EVERY = 1000;
/** An export chunk's buffer, and the size at which it is handed on (~64 KB). */
const CHUNK_BYTES = 96 * 1024;
const FLUSH_AT = 64 * 1024;

/**
 * Streams an export as chunks of UTF-8 text: events in position order, then a signed manifest. It reads
 * the log once, in pages, up to the head taken at the start (the whole log, because the
 * manifest carries a freshly signed tree head over it), so memory does not grow with the log.
 * Consumed through a Node stream, it yields a chunk only when the reader is ready for it.
 */
@Injectable()
export class ExportService {
  /** Logs from this many events have their trees built on a worker thread (log-tree.ts); tests lower it. */
  offThreadFrom = OFF_THREAD_FROM;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly signer: TrailSigner,
    private readonly teams: TeamScope,
  ) {}

  async *chunks(request: ExportRequest): AsyncGenerator<Buffer> {
    const { format, from, to, teamId, onProgress } = request;
    const head = await this.store.headPosition();
    onProgress?.(0n, head);
    // The whole log's tree, and the export's when something is filtered (unfiltered, they are one).
    const filtered = from !== undefined || to !== undefined || teamId !== undefined;
    const tree = new LogTree(Number(head), { second: filtered }, this.offThreadFrom);
    const onlyTeam = teamId === undefined ? null : new Set([teamId]);
    let firstPosition: bigint | null = null;
    let lastPosition: bigint | null = null;
    let lastLogPosition = 0n;
    let read = 0;
    let count = 0;
    if (format === 'csv') yield Buffer.from(CSV_HEADER);
    // Lines are written as UTF-8 into chunks of ~64 KB: fewer, larger writes, same backpressure. A
    // chunk is bytes, not a string: joining lines where one holds a character beyond Latin-1 into one
    // JavaScript string (two bytes a character) cost more than everything else an export does, and
    // every consumer writes bytes anyway. Each chunk is a fresh buffer: a consumer may still hold the last.
    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let length = 0;
    let trees: TreeResult;
    try {
      for await (const page of this.pages(head)) {
        for (const event of page) {
          lastLogPosition = event.position;
          read += 1;
          if (onProgress && read % PROGRESS_EVERY === 0) onProgress(event.position, head);
          const included =
            !filtered ||
            ((from === undefined || event.metadata.recordedAt > from) &&
              (to === undefined || event.metadata.recordedAt <= to) &&
              (!onlyTeam || (await this.teams.belongsToAny(parsedEvent(event), onlyTeam))));
          tree.add(event.metadata.hash, included);
          if (!included) continue;
          count += 1;
          firstPosition ??= event.position;
          lastPosition = event.position;
          const line = lineOf(event, format);
          // At most three bytes of UTF-8 per UTF-16 code unit.
          if (length + line.length * 3 > chunk.length) {
            if (length > 0) yield chunk.subarray(0, length);
            chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
            length = 0;
          }
          length += chunk.write(line, length);
          if (length >= FLUSH_AT) {
            yield chunk.subarray(0, length);
            chunk = Buffer.allocUnsafe(CHUNK_BYTES);
            length = 0;
          }
        }
        await tree.endPage();
      }
      if (length > 0) yield chunk.subarray(0, length);
      trees = await tree.finish();
    } finally {
      await tree.close();
    }
    onProgress?.(head, head);
    const treeHead = this.signer.signTreeHead({ size: trees.size, root: () => trees.root }, lastLogPosition);
    const filters = Object.fromEntries(Object.entries({ from, to, teamId }).filter(([, v]) => v !== undefined));
    const manifest = this.signer.sign<ExportManifest>({
      kind: 'casetrail-export-manifest',
      version: 1,
      organisation: this.config.ORG_NAME,
      format,
      exportedAt: treeHead.signedAt,
      filters,
      complete: Object.keys(filters).length === 0,
      count,
      firstPosition: firstPosition === null ? null : firstPosition.toString(),
      lastPosition: lastPosition === null ? null : lastPosition.toString(),
      exportRoot: (trees.second ?? trees).root.toString('hex'),
      treeHead,
      publicKey: this.signer.publicKeyPem,
    });
    yield Buffer.from(manifestLine(manifest));
  }

  /**
   * The log up to `head` in pages, each event with its metadata. From stored pages (the SQL
   * stores) the data is written as its stored text and parsed only when a team filter needs it,
   * and sealed metadata is read without JSON.parse; other stores give parsed events.
   */
  private async *pages(head: bigint): AsyncGenerator<ExportedEvent[]> {
    if (!this.store.readStoredPages) {
      for await (const e of this.store.readAll({ toPosition: head, upcast: false })) {
        yield [{ position: e.position, metadata: e.metadata, sealed: false, row: null, event: e }];
      }
      return;
    }
    for await (const rows of this.store.readStoredPages({ toPosition: head, pageSize: 2000 })) {
      yield rows.map((row) => {
        const sealed = sealedMetadata(row.metadata);
        const metadata = sealed ?? (JSON.parse(row.metadata) as EventMetadata);
        return { position: row.position, metadata, sealed: sealed !== null, row, event: null };
      });
    }
  }
}

/** One event on its way into an export: a stored row (data as its text) or an event read back. */
type ExportedEvent = { position: bigint; metadata: EventMetadata; sealed: boolean } & (
  { row: StoredEventRow; event: null } | { row: null; event: RecordedEvent }
);

/** The event with its data parsed (for the team filter). */
function parsedEvent(e: ExportedEvent): RecordedEvent {
  if (e.event) return e.event;
  return { ...e.row, data: JSON.parse(e.row.data) as unknown, metadata: e.metadata };
}

function lineOf(e: ExportedEvent, format: ExportFormat): string {
  if (e.event) return eventLine(toTrailEvent(e.event), format);
  if (e.sealed && format === 'ndjson') return sealedNdjsonLine(e.row, e.metadata);
  return storedEventLine(storedView(e.row, e.metadata), e.row.data, format);
}
