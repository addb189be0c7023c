import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SEAL_KEY_BYTES } from '@gymstack/shared/crypto';
import type { Config } from '../config.js';

/** The key file's base64 text, refused unless it is exactly a key's length. */
function keyFromText(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== SEAL_KEY_BYTES) throw new Error(`${file} does not hold base64 of ${SEAL_KEY_BYTES} bytes`);
  return key;
}

/**
 * A key made on first start and kept (owner-only file). Unlike the JWT key this holds in tests too: what
 * it seals is in the database, which outlives the process (a restarted cloud must still open it). `wx`
 * makes the first writer win when two processes start at once; the other reads what it wrote.
 */
function persistedKey(file: string): Buffer {
  try {
    return keyFromText(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(SEAL_KEY_BYTES);
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return keyFromText(readFileSync(file, 'utf8'), file);
  }
}

/** The key that seals the gyms' keys at rest: configured (required in production), else persisted in the data dir. */
export function loadKeyEncryptionKey(config: Pick<Config, 'env' | 'dataDir' | 'keyEncryptionKey'>): Buffer {
  if (config.keyEncryptionKey) return config.keyEncryptionKey;
  if (config.env === 'production') throw new Error('KEY_ENCRYPTION_KEY is required in production');
  return persistedKey(path.resolve(config.dataDir, 'cloud-kek'));
}
