import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEAL_KEY_BYTES } from '@gymstack/shared/crypto';

export const DESK_SECRET_FILE = 'desk-secret.key';

/**
 * The desk's own secret, which seals what it keeps at rest (the gym's keys). The Electron app hands it
 * over from safeStorage; in browser mode it is a file only this OS user can read (mode 0600), made on
 * first start. `wx` makes the first writer win should two processes start at once.
 */
export function loadDeskSecret(dataDir: string, given?: Buffer): Buffer {
  if (given) {
    if (given.length !== SEAL_KEY_BYTES) throw new Error(`The desk secret must be ${SEAL_KEY_BYTES} bytes`);
    return given;
  }
  const file = join(dataDir, DESK_SECRET_FILE);
  try {
    writeFileSync(file, randomBytes(SEAL_KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A copy restored from a backup may have come back readable by others: tighten it again.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length !== SEAL_KEY_BYTES) throw new Error(`${file} does not hold a ${SEAL_KEY_BYTES}-byte key`);
  return secret;
}
