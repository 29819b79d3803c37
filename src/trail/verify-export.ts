/**
 * Offline verification of an export: needs only the file (and, ideally, the public key from a
 * trusted source). Recomputes every event hash, every chain link between exported events of a
 * stream, the global order, the export's Merkle root, and both signatures.
 */
import { createPublicKey } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ChainVerifier, MerkleAccumulator } from '@casetrail/event-store';
import {
  CSV_HEADER,
  CSV_MANIFEST_MARKER,
  eventFromCsv,
  parseCsvRecord,
  type ExportFormat,
  type ExportManifest,
} from './export-format';
import { keyIdOf, verifyCanonical } from './signing';
import { metadataOf, type TrailEventView } from './trail-event';

export interface ExportVerification {
  file: string;
  format: ExportFormat | null;
  checkedEvents: number;
  valid: boolean;
  /** True when the signature was checked against a key you supplied, not the one in the file. */
  keyPinned: boolean;
  keyId?: string;
  firstInvalid?: { line: number; position?: string; streamId?: string; revision?: string; problem: string };
  manifest?: Pick<
    ExportManifest,
    'organisation' | 'exportedAt' | 'filters' | 'complete' | 'count' | 'firstPosition' | 'lastPosition' | 'treeHead'
  >;
}

/** --public-key accepts PEM text or a path to a PEM file. */
export function readPublicKey(keyOrPath: string): string {
  return keyOrPath.trim().startsWith('-----BEGIN') ? keyOrPath : readFileSync(keyOrPath, 'utf8');
}

export async function verifyExport(file: string, publicKeyPem?: string): Promise<ExportVerification> {
  const result: ExportVerification = {
    file,
    format: null,
    checkedEvents: 0,
    valid: false,
    keyPinned: publicKeyPem !== undefined,
  };
  const fail = (line: number, problem: string, event?: TrailEventView): ExportVerification => {
    result.firstInvalid ??= {
      line,
      ...(event ? { position: event.position, streamId: event.streamId, revision: event.revision } : {}),
      problem,
    };
    return result;
  };
  if (!existsSync(file)) return fail(0, 'the file does not exist');

  // Both readings are kept until the manifest says whether the export is the complete log.
  const strict = new ChainVerifier({ complete: true });
  const partial = new ChainVerifier({ complete: false });
  const tree = new MerkleAccumulator();
  let firstPosition: string | null = null;
  let lastPosition: string | null = null;
  let manifest: ExportManifest | null = null;
  let strictProblem: { line: number; event: TrailEventView; problem: string } | null = null;
  let lineNumber = 0;
  let pending = '';

  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const rawLine of lines) {
    lineNumber += 1;
    if (manifest) {
      if (rawLine.trim() !== '') fail(lineNumber, 'there is content after the manifest');
      continue;
    }
    if (result.format === null) {
      result.format = `${rawLine}\n` === CSV_HEADER ? 'csv' : 'ndjson';
      if (result.format === 'csv') continue;
    }
    let event: TrailEventView;
    try {
      if (result.format === 'csv') {
        const record = pending ? `${pending}\n${rawLine}` : rawLine;
        const cells = parseCsvRecord(record);
        if (cells === null) {
          pending = record;
          continue;
        }
        pending = '';
        if (cells[0] === CSV_MANIFEST_MARKER) {
          manifest = JSON.parse(cells[1]) as ExportManifest;
          continue;
        }
        event = eventFromCsv(cells);
      } else {
        const parsed = JSON.parse(rawLine) as TrailEventView | { manifest: ExportManifest };
        if ('manifest' in parsed) {
          manifest = parsed.manifest;
          continue;
        }
        event = parsed;
      }
    } catch (error) {
      fail(lineNumber, `the line cannot be read: ${(error as Error).message}`);
      continue;
    }
    const link = {
      position: BigInt(event.position),
      streamId: event.streamId,
      revision: BigInt(event.revision),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: metadataOf(event),
    };
    const problem = partial.check(link);
    if (problem) fail(lineNumber, problem.problem, event);
    const strictFound = strict.check(link);
    if (strictFound && !strictProblem) strictProblem = { line: lineNumber, event, problem: strictFound.problem };
    tree.addEventHash(event.hash);
    firstPosition ??= event.position;
    lastPosition = event.position;
    result.checkedEvents += 1;
  }

  if (!manifest) return fail(lineNumber, 'the export has no manifest: it is cut short or is not a Casetrail export');
  result.manifest = {
    organisation: manifest.organisation,
    exportedAt: manifest.exportedAt,
    filters: manifest.filters,
    complete: manifest.complete,
    count: manifest.count,
    firstPosition: manifest.firstPosition,
    lastPosition: manifest.lastPosition,
    treeHead: manifest.treeHead,
  };
  // A complete export is the whole log: every stream must start at revision 0 and have no gaps.
  if (manifest.complete && strictProblem) fail(strictProblem.line, strictProblem.problem, strictProblem.event);
  let key;
  try {
    key = createPublicKey(publicKeyPem ?? manifest.publicKey);
  } catch {
    return fail(lineNumber, 'the public key cannot be read');
  }
  result.keyId = keyIdOf(key);
  if (!verifyCanonical(manifest, key))
    fail(lineNumber, 'the manifest signature is not valid for this key: the manifest was changed or another key signed it');
  if (!manifest.treeHead || !verifyCanonical(manifest.treeHead, key))
    fail(lineNumber, 'the tree head signature is not valid for this key');
  if (manifest.count !== result.checkedEvents)
    fail(lineNumber, `the manifest lists ${manifest.count} events but the file has ${result.checkedEvents}`);
  if (manifest.firstPosition !== firstPosition || manifest.lastPosition !== lastPosition) {
    fail(lineNumber, 'the first or last position differs from the manifest: events were added or removed');
  }
  if (manifest.exportRoot !== tree.root().toString('hex'))
    fail(lineNumber, 'the events do not match the signed export root: events were changed, added, removed or reordered');
  if (manifest.complete) {
    if (manifest.treeHead?.rootHash !== tree.root().toString('hex') || manifest.treeHead.size !== result.checkedEvents) {
      fail(lineNumber, 'a complete export must reproduce the signed tree head of the log, and this one does not');
    }
  }
  result.valid = result.firstInvalid === undefined;
  return result;
}
