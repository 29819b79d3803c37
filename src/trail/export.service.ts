import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  MerkleAccumulator,
  merkleLeafHash,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@casetrail/event-store';
import { AppConfig } from '../config';
import { eventLine, manifestLine, storedEventLine, CSV_HEADER, type ExportFormat, type ExportManifest } from './export-format';
import { TrailSigner } from './signing-key';
import type { SignedTreeHead } from './signing';
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

/**
 * Streams an export as text chunks: events in position order, then a signed manifest. It reads
 * the log once, in pages, up to the head taken at the start (the whole log, because the
 * manifest carries a freshly signed tree head over it), so memory does not grow with the log.
 * Consumed through a Node stream, it yields a chunk only when the reader is ready for it.
 */
@Injectable()
export class ExportService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly signer: TrailSigner,
    private readonly teams: TeamScope,
  ) {}

  async *chunks(request: ExportRequest): AsyncGenerator<string> {
    const { format, from, to, teamId, onProgress } = request;
    const head = await this.store.headPosition();
    onProgress?.(0n, head);
    const wholeLog = new MerkleAccumulator();
    const exported = new MerkleAccumulator();
    const onlyTeam = teamId === undefined ? null : new Set([teamId]);
    let firstPosition: string | null = null;
    let lastPosition: string | null = null;
    let lastLogPosition = 0n;
    if (format === 'csv') yield CSV_HEADER;
    // Lines are batched into chunks of ~64 KB: fewer, larger writes, same backpressure.
    let buffer = '';
    for await (const event of this.events(head)) {
      const leaf = merkleLeafHash(event.metadata.hash);
      wholeLog.addLeafHash(leaf);
      lastLogPosition = event.position;
      if (onProgress && wholeLog.size % PROGRESS_EVERY === 0) onProgress(event.position, head);
      const recordedAt = event.metadata.recordedAt;
      if (from !== undefined && recordedAt <= from) continue;
      if (to !== undefined && recordedAt > to) continue;
      if (onlyTeam && !(await this.teams.belongsToAny(event.parsed(), onlyTeam))) continue;
      exported.addLeafHash(leaf);
      firstPosition ??= event.position.toString();
      lastPosition = event.position.toString();
      buffer += event.line(format);
      if (buffer.length >= 65_536) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
    onProgress?.(head, head);
    const treeHead = this.signer.sign<SignedTreeHead>({
      size: wholeLog.size,
      lastPosition: lastLogPosition.toString(),
      rootHash: wholeLog.root().toString('hex'),
      signedAt: new Date().toISOString(),
      keyId: this.signer.keyId,
    });
    const filters = Object.fromEntries(Object.entries({ from, to, teamId }).filter(([, v]) => v !== undefined));
    const manifest = this.signer.sign<ExportManifest>({
      kind: 'casetrail-export-manifest',
      version: 1,
      organisation: this.config.ORG_NAME,
      format,
      exportedAt: treeHead.signedAt,
      filters,
      complete: Object.keys(filters).length === 0,
      count: exported.size,
      firstPosition,
      lastPosition,
      exportRoot: exported.root().toString('hex'),
      treeHead,
      publicKey: this.signer.publicKeyPem,
    });
    yield manifestLine(manifest);
  }

  /**
   * The log up to `head`, each event with its metadata and its export line. From stored pages
   * (the SQL stores) the data is written as its stored text and parsed only when a team filter
   * needs it; other stores give parsed events.
   */
  private async *events(head: bigint): AsyncGenerator<ExportedEvent> {
    if (!this.store.readStoredPages) {
      for await (const e of this.store.readAll({ toPosition: head, upcast: false })) {
        yield {
          position: e.position,
          metadata: e.metadata,
          parsed: () => e,
          line: (format) => eventLine(toTrailEvent(e), format),
        };
      }
      return;
    }
    for await (const rows of this.store.readStoredPages({ toPosition: head, pageSize: 500 })) {
      for (const row of rows) {
        const metadata = JSON.parse(row.metadata) as EventMetadata;
        yield {
          position: row.position,
          metadata,
          parsed: () => ({ ...row, data: JSON.parse(row.data) as unknown, metadata }),
          line: (format) => storedEventLine(storedView(row, metadata), row.data, format),
        };
      }
    }
  }
}

/** One event on its way into an export. */
interface ExportedEvent {
  position: bigint;
  metadata: EventMetadata;
  /** The event with its data parsed (for the team filter). */
  parsed(): RecordedEvent;
  line(format: ExportFormat): string;
}
