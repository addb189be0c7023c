import { describe, expect, it } from 'vitest';
import { gupshupTemplateIds } from '../../test/fake-whatsapp.js';
import { loadConfig } from '../config.js';
import { chooseProvider } from './choose-provider.js';

const providerFor = (env: Record<string, string>) => chooseProvider(loadConfig({ NODE_ENV: 'test', ...env }).messaging).name;

describe('chooseProvider', () => {
  it('records messages as simulated without credentials (an empty variable counts as unset)', () => {
    expect(providerFor({})).toBe('simulated');
    expect(providerFor({ WHATSAPP_ACCESS_TOKEN: '', WHATSAPP_PHONE_NUMBER_ID: '' })).toBe('simulated');
    // A token without the number it sends from is not enough.
    expect(providerFor({ WHATSAPP_ACCESS_TOKEN: 'token' })).toBe('simulated');
  });

  it("prefers Meta's Cloud API, then Gupshup", () => {
    const gupshup = { GUPSHUP_API_KEY: 'key', GUPSHUP_APP_NAME: 'app', GUPSHUP_SOURCE: '+919000000000', GUPSHUP_TEMPLATE_IDS: JSON.stringify(gupshupTemplateIds) };
    expect(providerFor(gupshup)).toBe('gupshup');
    expect(providerFor({ ...gupshup, WHATSAPP_ACCESS_TOKEN: 'token', WHATSAPP_PHONE_NUMBER_ID: '1234' })).toBe('whatsapp_cloud');
  });
});
