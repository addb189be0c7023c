import { randomBytes } from 'node:crypto';
import { SEAL_KEY_BYTES } from '@gymstack/shared/crypto';
import { generateSigningKeys } from '../src/auth/keys.js';
import type { OtpMessage, OtpSender } from '../src/auth/otp.js';
import type { AuthSettings } from '../src/auth/service.js';
import { type AccessGrant, TokenService } from '../src/auth/tokens.js';

/** This test process's signing keys (a new pair per run): apps built with `testAuth()` verify with them. */
export const testSigningKeys = generateSigningKeys();

/** This test process's key-encryption key: apps built with `testAuth()` open the gym keys the fixtures seal with it. */
export const testKeyEncryptionKey = randomBytes(SEAL_KEY_BYTES);

const tokens = new TokenService(testSigningKeys);

/** A real access token, signed with the key the test apps trust, for `grant` (branchIds defaults to every branch). */
export function accessTokenFor(grant: Omit<AccessGrant, 'branchIds'> & { branchIds?: string[] }): Promise<string> {
  return tokens.sign({ branchIds: [], ...grant });
}

/** Records every code instead of sending it. */
export class RecordingOtpSender implements OtpSender {
  readonly sent: OtpMessage[] = [];

  async send(message: OtpMessage): Promise<void> {
    this.sent.push(message);
  }
}

/** Auth settings for test apps: the shared test keys (signing and key-encryption), cheap argon2, generous limits unless given. */
export function testAuth(overrides: AuthSettings = {}): AuthSettings {
  return {
    keys: testSigningKeys,
    keyEncryptionKey: testKeyEncryptionKey,
    argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    limits: { perIp: { max: 1000, timeWindow: 60_000 }, perAccount: { max: 1000, timeWindow: 60_000 } },
    otpSender: new RecordingOtpSender(),
    ...overrides,
  };
}
