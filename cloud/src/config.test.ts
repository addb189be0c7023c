import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs with no environment at all: embedded Postgres, development passwords, loopback', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', host: '127.0.0.1', port: 8080, dataDir: '.data' });
    expect(config.database).toMatchObject({ adminUrl: undefined, name: 'gymstack', ownerPassword: 'gymstack_owner_dev' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.adminUrl).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    for (const line of ['PORT:', 'DATABASE_URL: Must be a postgres:// URL', 'LOG_LEVEL:']) expect((error as Error).message).toContain(line);
  });

  it('requires the database URL, role passwords and key-encryption key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL: Required in production[\s\S]*DATABASE_API_PASSWORD[\s\S]*KEY_ENCRYPTION_KEY: Required in production/);
  });

  it('reads the key-encryption key as 32 bytes of base64 and refuses any other length', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ KEY_ENCRYPTION_KEY: key.toString('base64') }).keyEncryptionKey).toEqual(key);
    expect(loadConfig({}).keyEncryptionKey).toBeUndefined();
    for (const bad of [Buffer.alloc(16, 7).toString('base64'), 'not base64!']) {
      expect(() => loadConfig({ KEY_ENCRYPTION_KEY: bad })).toThrow(/KEY_ENCRYPTION_KEY: Must be base64 of 32 bytes/);
    }
  });
});
