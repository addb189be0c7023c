import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../db/store.js';
import { DESK_SECRET_FILE, loadDeskSecret } from './desk-secret.js';
import { makeGymKeys, readGymKeys, saveGymKeys } from './gym-keys.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gymstack-secret-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the desk secret in browser mode', () => {
  it('is made once, in a file only its owner can read, and is the same on every start', () => {
    const dir = tempDir();
    const first = loadDeskSecret(dir);
    const file = join(dir, DESK_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.length).toBe(32);
    expect(loadDeskSecret(dir)).toEqual(first);
    expect(readFileSync(file, 'utf8')).toBe(first.toString('base64'));
  });

  it('tightens a key file that came back readable by others', () => {
    const dir = tempDir();
    loadDeskSecret(dir);
    chmodSync(join(dir, DESK_SECRET_FILE), 0o644);
    loadDeskSecret(dir);
    expect(statSync(join(dir, DESK_SECRET_FILE)).mode & 0o777).toBe(0o600);
  });

  it('takes the secret Electron hands over from safeStorage instead, and writes no file', () => {
    const dir = tempDir();
    const given = Buffer.alloc(32, 7);
    expect(loadDeskSecret(dir, given)).toBe(given);
    expect(() => statSync(join(dir, DESK_SECRET_FILE))).toThrow();
    expect(() => loadDeskSecret(dir, Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('the gym keys at rest', () => {
  it('are kept sealed with the desk secret: they read back with it, and not with another', async () => {
    const dir = tempDir();
    const { openStore } = await import('../init.js');
    const store: Store = await openStore(dir);
    try {
      const secret = loadDeskSecret(dir);
      const keys = makeGymKeys();
      saveGymKeys(store, secret, keys);
      const row = store.first(store.db.selectFrom('gym_keys').selectAll().where('kind', '=', 'template'));
      expect(row?.sealed.includes(keys.template.key)).toBe(false);
      const read = readGymKeys(store, secret);
      expect(read?.template).toEqual(keys.template);
      expect(read?.pass.keyId).toBe(keys.pass.keyId);
      expect(read?.pass.publicKey.equals(keys.pass.publicKey)).toBe(true);
      expect(() => readGymKeys(store, Buffer.alloc(32, 1))).toThrow();
    } finally {
      await store.close();
    }
  });
});
