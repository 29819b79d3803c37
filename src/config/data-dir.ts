import { accessSync, chmodSync, constants, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './app-config';

/**
 * Before anything opens a store: every file this process creates from now on (the SQLite event
 * and read databases, their -wal and -shm files, the key store, the session secret) is readable
 * by its owner only, and files an earlier version left readable by others are closed too. A
 * DATA_DIR that cannot be written stops start-up with one plain message (ConfigError), instead
 * of a stack trace from deep inside a store adapter.
 */
export function prepareDataDir(dataDir: string): void {
  process.umask(0o077);
  const cannot = (why: unknown): ConfigError =>
    new ConfigError(
      `DATA_DIR (${dataDir}) cannot be written: ${(why as NodeJS.ErrnoException).code ?? String(why)}. ` +
        'Casetrail keeps its stores there: give the user running it write access, or set DATA_DIR to a writable folder.',
    );
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, constants.W_OK);
    const probe = join(dataDir, `.write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw cannot(error);
  }
  for (const name of readdirSync(dataDir)) {
    const path = join(dataDir, name);
    try {
      if (statSync(path).isFile()) chmodSync(path, 0o600);
    } catch {
      // Gone meanwhile, or not ours to change: nothing to close.
    }
  }
}
