import { Inject, Injectable } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config';
import { keyIdOf, signCanonical, type SignedTreeHead, type Unsigned } from './signing';

export const GENERATED_KEY_FILE = 'trail-signing-key.pem';

/**
 * The Ed25519 key that signs checkpoints and exports: TRAIL_SIGNING_KEY (PEM text or a path
 * to a PEM file), else DATA_DIR/trail-signing-key.pem, generated on first use.
 */
export function loadSigningKey(config: AppConfig): KeyObject {
  const configured = config.TRAIL_SIGNING_KEY?.trim();
  let pem: string;
  if (configured) {
    pem = configured.startsWith('-----BEGIN') ? configured : readFileSync(configured, 'utf8');
  } else {
    const file = join(config.dataDir, GENERATED_KEY_FILE);
    if (!existsSync(file)) {
      mkdirSync(config.dataDir, { recursive: true });
      const generated = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      try {
        // 'wx': if another process (the CLI, another server) got there first, use its key.
        writeFileSync(file, generated, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    pem = readFileSync(file, 'utf8');
  }
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`TRAIL_SIGNING_KEY must be an Ed25519 private key, not ${key.asymmetricKeyType ?? 'an unknown key type'}`);
  }
  return key;
}

/** Signs with the trail key, loaded lazily so nothing is generated until something is signed. */
@Injectable()
export class TrailSigner {
  private key: KeyObject | null = null;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  private privateKey(): KeyObject {
    this.key ??= loadSigningKey(this.config);
    return this.key;
  }

  get publicKey(): KeyObject {
    return createPublicKey(this.privateKey());
  }

  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  get keyId(): string {
    return keyIdOf(this.publicKey);
  }

  sign<T extends { signature: string }>(unsigned: Unsigned<T>): T {
    return signCanonical<T>(unsigned, this.privateKey());
  }

  /** A tree head over the first `tree.size` events of the log, the last at `lastPosition`, signed now. */
  signTreeHead(tree: { size: number; root(): Buffer }, lastPosition: bigint): SignedTreeHead {
    return this.sign<SignedTreeHead>({
      size: tree.size,
      lastPosition: lastPosition.toString(),
      rootHash: tree.root().toString('hex'),
      signedAt: new Date().toISOString(),
      keyId: this.keyId,
    });
  }
}
