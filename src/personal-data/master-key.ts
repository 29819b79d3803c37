import { Logger } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KEY_BYTES, newDataKey } from './field-cipher';

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

function decode(base64: string, where: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new MasterKeyError(`${where} must be base64 of exactly ${KEY_BYTES} bytes`);
  return key;
}

/**
 * The master key wrapping every subject's data key: DATA_MASTER_KEY (base64 of 32 bytes).
 * Required in production; elsewhere, when absent, one is generated into DATA_DIR/master.key
 * with a loud warning (that file next to the data protects nothing against a copied disk).
 */
export function loadMasterKey(configured: string | undefined, dataDir: string, nodeEnv = process.env.NODE_ENV): Buffer {
  if (configured) return decode(configured, 'DATA_MASTER_KEY');
  if (nodeEnv === 'production') {
    throw new MasterKeyError('DATA_MASTER_KEY is required in production (base64 of 32 random bytes: openssl rand -base64 32)');
  }
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) return decode(readFileSync(file, 'utf8'), file);
  const key = newDataKey();
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process (the CLI, a second instance) made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return decode(readFileSync(file, 'utf8'), file);
    throw error;
  }
  new Logger('DataProtection').warn(
    `DATA_MASTER_KEY is not set: generated ${file} for development. Personal data is only as safe as that file; set DATA_MASTER_KEY in production.`,
  );
  return key;
}
