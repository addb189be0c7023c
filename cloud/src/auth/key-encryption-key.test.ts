import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKeyEncryptionKey } from './key-encryption-key.js';

describe('loadKeyEncryptionKey', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gymstack-kek-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('uses the configured key, and requires one in production', () => {
    const key = Buffer.alloc(32, 3);
    expect(loadKeyEncryptionKey({ env: 'production', dataDir: dataDir(), keyEncryptionKey: key })).toBe(key);
    expect(() => loadKeyEncryptionKey({ env: 'production', dataDir: dataDir(), keyEncryptionKey: undefined })).toThrow(/KEY_ENCRYPTION_KEY is required in production/);
  });

  it('makes one key per data dir, owner-only, and reads it back after a restart, in tests too', () => {
    const dir = dataDir();
    const first = loadKeyEncryptionKey({ env: 'test', dataDir: dir, keyEncryptionKey: undefined });
    expect(first).toHaveLength(32);
    expect(statSync(path.join(dir, 'cloud-kek')).mode & 0o777).toBe(0o600);
    expect(loadKeyEncryptionKey({ env: 'development', dataDir: dir, keyEncryptionKey: undefined })).toEqual(first);
    expect(Buffer.from(readFileSync(path.join(dir, 'cloud-kek'), 'utf8'), 'base64')).toEqual(first);
    expect(loadKeyEncryptionKey({ env: 'test', dataDir: dataDir(), keyEncryptionKey: undefined })).not.toEqual(first);
  });

  it('refuses a key file that does not hold 32 bytes', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, 'cloud-kek'), Buffer.alloc(16).toString('base64'));
    expect(() => loadKeyEncryptionKey({ env: 'development', dataDir: dir, keyEncryptionKey: undefined })).toThrow(/does not hold base64 of 32 bytes/);
  });
});
