import { join } from 'node:path';
import type { EventStore, UpcasterRegistry } from '@casetrail/event-store';
import type { AppConfig } from '../config';
import { openLogStore } from '../core';
import { EncryptingEventStore } from './encrypting-event-store';
import { loadMasterKey } from './master-key';
import { PostgresSubjectKeyStore } from './postgres-subject-key-store';
import { SqliteSubjectKeyStore, type SubjectKeyStore } from './subject-key-store';

/**
 * The event store the configuration names, behind the personal-data encryption: personal free
 * text is encrypted before the store hashes it; upcasting happens after decryption. The
 * composition root hands this to CoreModule (PlatformOptions.openEventStore).
 */
export async function openProtectedEventStore(config: AppConfig, upcasters: UpcasterRegistry): Promise<EventStore> {
  const keys = await openKeyStore(config);
  try {
    return new EncryptingEventStore(await openLogStore(config), keys, upcasters);
  } catch (error) {
    await keys.close();
    throw error;
  }
}

/**
 * The personal-data key store: in PostgreSQL (schema "personal_data" of KEY_STORE_URL, by default
 * EVENT_STORE_URL on the PostgreSQL profile), shared by every instance; otherwise
 * DATA_DIR/subject-keys.sqlite. A key store file left from before is copied into an empty PostgreSQL one.
 */
export async function openKeyStore(config: AppConfig): Promise<SubjectKeyStore> {
  const masterKey = loadMasterKey(config.DATA_MASTER_KEY, config.dataDir);
  const file = join(config.dataDir, 'subject-keys.sqlite');
  const url = config.keyStoreUrl;
  if (url) return PostgresSubjectKeyStore.open({ connectionString: url, masterKey, importFrom: file });
  return new SqliteSubjectKeyStore(file, masterKey);
}
