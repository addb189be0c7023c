import { describe, expect, it } from 'vitest';
import { gupshupTemplateIds } from '../test/fake-whatsapp.js';
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

  describe('GUPSHUP_TEMPLATE_IDS', () => {
    const gupshup = { GUPSHUP_API_KEY: 'key', GUPSHUP_APP_NAME: 'app', GUPSHUP_SOURCE: '+919000000000' };
    const withIds = (ids: unknown) => ({ ...gupshup, GUPSHUP_TEMPLATE_IDS: typeof ids === 'string' ? ids : JSON.stringify(ids) });

    it("reads each template's Gupshup id, and is needed only when Gupshup is configured", () => {
      expect(loadConfig(withIds(gupshupTemplateIds)).messaging.gupshup.templateIds).toEqual(gupshupTemplateIds);
      expect(loadConfig({}).messaging.gupshup.templateIds).toBeUndefined();
    });

    it('is required with Gupshup, naming every template', () => {
      for (const ids of [undefined, '']) {
        expect(() => loadConfig({ ...gupshup, GUPSHUP_TEMPLATE_IDS: ids })).toThrow(ConfigError);
        expect(() => loadConfig({ ...gupshup, GUPSHUP_TEMPLATE_IDS: ids })).toThrow(/GUPSHUP_TEMPLATE_IDS: Required with Gupshup: .*welcome_member, renewal_reminder_7d, .*, birthday_wish$/m);
      }
    });

    it('names the templates a map lacks', () => {
      const { welcome_member: _welcome, birthday_wish: _birthday, ...partial } = gupshupTemplateIds;
      expect(() => loadConfig(withIds(partial))).toThrow(/GUPSHUP_TEMPLATE_IDS: Lacks the Gupshup template id of welcome_member, birthday_wish$/m);
    });

    it('refuses a malformed map: not JSON, not an object, a name where the id goes, a template we do not have', () => {
      const cases: [unknown, RegExp][] = [
        ['{welcome_member:', /GUPSHUP_TEMPLATE_IDS: Must be a JSON object/],
        [Object.values(gupshupTemplateIds), /GUPSHUP_TEMPLATE_IDS: Must be a JSON object/],
        [{ ...gupshupTemplateIds, welcome_member: 'welcome_member' }, /GUPSHUP_TEMPLATE_IDS\.welcome_member: Must be a Gupshup template id \(a UUID\)/],
        [{ ...gupshupTemplateIds, welcome_back: gupshupTemplateIds.welcome_member }, /GUPSHUP_TEMPLATE_IDS: Unrecognized key: "welcome_back"/],
      ];
      for (const [ids, message] of cases) expect(() => loadConfig(withIds(ids)), String(ids)).toThrow(message);
    });
  });
});
