/** A worker thread of hashStoredLog (stored-hashing.ts): hashes the pages it is sent, in order. */
import { parentPort } from 'node:worker_threads';
import { hashColumns, type StoredColumns } from './stored-hashing';

parentPort?.on('message', (columns: StoredColumns) => {
  const { contentMatches, leaves } = hashColumns(columns);
  parentPort!.postMessage({ contentMatches, leaves }, [contentMatches.buffer as ArrayBuffer, leaves.buffer as ArrayBuffer]);
});
