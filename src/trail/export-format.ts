/**
 * The export file format, shared by the exporter and the offline verifier (no Nest, no store).
 *
 * ndjson: one TrailEventView per line, then one line {"manifest": {...}}.
 * csv: a header line, one event per line (data as JSON text, an empty prevHash for null),
 * then one line `#manifest,"<manifest JSON>"`. A manifest is signed over its canonical JSON.
 */
import type { EventMetadata } from '@casetrail/event-store';
import type { SignedTreeHead } from './signing';
import type { TrailEventView } from './trail-event';

export type ExportFormat = 'ndjson' | 'csv';

export interface ExportManifest {
  kind: 'casetrail-export-manifest';
  version: 1;
  organisation: string;
  format: ExportFormat;
  exportedAt: string;
  filters: { from?: string; to?: string; teamId?: string };
  /** True when nothing was filtered out: the export is the whole log of the tree head. */
  complete: boolean;
  count: number;
  firstPosition: string | null;
  lastPosition: string | null;
  /** Hex RFC 6962 root over the exported events' hashes, in file order. */
  exportRoot: string;
  /** The signed head of the whole log at the moment of export. */
  treeHead: SignedTreeHead;
  /** The signing key (SPKI PEM). Pin it with --public-key from a source you trust. */
  publicKey: string;
  signature: string;
}

export const CSV_COLUMNS = [
  'position',
  'streamId',
  'revision',
  'type',
  'schemaVersion',
  'occurredAt',
  'recordedAt',
  'actorId',
  'actorRole',
  'correlationId',
  'causationId',
  'commandId',
  'data',
  'prevHash',
  'hash',
] as const;

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\n`;
export const CSV_MANIFEST_MARKER = '#manifest';

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function eventLine(event: TrailEventView, format: ExportFormat): string {
  if (format === 'ndjson') return `${JSON.stringify(event)}\n`;
  const cells = CSV_COLUMNS.map((column) => {
    const value = event[column];
    if (column === 'data') return csvField(JSON.stringify(value));
    if (value === null) return '';
    return csvField(String(value));
  });
  return `${cells.join(',')}\n`;
}

/**
 * The same line as eventLine for a stored row, with the data written as its stored JSON text
 * (not parsed and serialised again): the view's fields in the view's order, data as stored.
 */
export function storedEventLine(event: Omit<TrailEventView, 'data' | 'text'>, storedData: string, format: ExportFormat): string {
  if (format === 'csv') {
    const cells = CSV_COLUMNS.map((column) => {
      if (column === 'data') return csvField(storedData);
      const value = event[column];
      if (value === null) return '';
      return csvField(String(value));
    });
    return `${cells.join(',')}\n`;
  }
  const { prevHash, hash, ...head } = event;
  const headJson = JSON.stringify(head);
  const tailJson = JSON.stringify({ prevHash, hash });
  return `${headJson.slice(0, -1)},"data":${storedData}${tailJson === '{}' ? '}' : `,${tailJson.slice(1)}`}\n`;
}

/** The columns of a stored row a line shows besides its metadata. */
export interface StoredLineRow {
  position: bigint;
  streamId: string;
  revision: bigint;
  type: string;
  schemaVersion: number;
  data: string;
}

/**
 * The ndjson line of storedEventLine for a row whose metadata was read by sealedMetadata
 * (libs/event-store stored-hashing.ts): those values need no escaping, so each is written between
 * quotes as it is, and the line is one template instead of two JSON.stringify calls and a splice.
 */
export function sealedNdjsonLine(row: StoredLineRow, m: EventMetadata): string {
  return (
    `{"position":"${row.position}","streamId":${JSON.stringify(row.streamId)},"revision":"${row.revision}",` +
    `"type":${JSON.stringify(row.type)},"schemaVersion":${JSON.stringify(row.schemaVersion)},` +
    `"occurredAt":"${m.occurredAt}","recordedAt":"${m.recordedAt}","actorId":"${m.actorId}","actorRole":"${m.actorRole}",` +
    `"correlationId":"${m.correlationId}","causationId":"${m.causationId}","commandId":"${m.commandId}",` +
    `"data":${row.data},"prevHash":${m.prevHash === null ? 'null' : `"${m.prevHash}"`},"hash":"${m.hash}"}\n`
  );
}

export function manifestLine(manifest: ExportManifest): string {
  if (manifest.format === 'ndjson') return `${JSON.stringify({ manifest })}\n`;
  return `${CSV_MANIFEST_MARKER},${csvField(JSON.stringify(manifest))}\n`;
}

/** Splits one CSV record; null when the record continues on the next line (open quotes). */
export function parseCsvRecord(text: string): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}

export function eventFromCsv(cells: string[]): TrailEventView {
  if (cells.length !== CSV_COLUMNS.length) throw new Error(`expected ${CSV_COLUMNS.length} columns, found ${cells.length}`);
  const v = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, cells[i]])) as Record<(typeof CSV_COLUMNS)[number], string>;
  return {
    ...v,
    schemaVersion: Number(v.schemaVersion),
    data: JSON.parse(v.data) as unknown,
    prevHash: v.prevHash === '' ? null : v.prevHash,
  };
}
