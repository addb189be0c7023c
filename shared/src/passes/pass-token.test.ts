import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passTokenPrefix } from '../schemas/scan.js';
import {
  exportPassKey,
  generatePassKey,
  importPassPrivateKey,
  importPassPublicKey,
  PASS_CLOCK_SKEW_SECONDS,
  PASS_TTL_SECONDS,
  signPass,
  verifyPass,
} from './pass-token.js';

const gymKey = generatePassKey('gym1');
const publicKeyFor = (keyId: string) => (keyId === gymKey.keyId ? gymKey.publicKey : null);
const memberId = '0190a6e2-7b3c-7def-8123-456789abcdef';
const issuedAt = new Date('2025-03-01T06:00:00Z');
const expiresAt = new Date(issuedAt.getTime() + PASS_TTL_SECONDS * 1000);
const token = signPass({ memberId, expiresAt }, gymKey);
const at = (secondsAfterIssue: number) => new Date(issuedAt.getTime() + secondsAfterIssue * 1000);

/** The token with one bit of its decoded bytes flipped, re-encoded canonically. */
function flipBit(original: string, bit: number): string {
  const bytes = Buffer.from(original.slice(passTokenPrefix.length), 'base64url');
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return passTokenPrefix + bytes.toString('base64url');
}

describe('member pass token', () => {
  it('verifies a fresh pass and names the member, key and expiry', () => {
    expect(verifyPass(token, { now: at(30), publicKeyFor })).toEqual({ ok: true, memberId, keyId: 'gym1', expiresAt });
  });

  it('round-trips any member id (case-insensitive in, lowercase out) and any 8-character key id', () => {
    const key = generatePassKey('k_-9ABCz');
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), (id, upper) => {
        const pass = signPass({ memberId: upper ? id.toUpperCase() : id, expiresAt }, key);
        expect(pass.length).toBeLessThanOrEqual(130);
        expect(verifyPass(pass, { now: issuedAt, publicKeyFor: () => key.publicKey })).toEqual({ ok: true, memberId: id, keyId: key.keyId, expiresAt });
      }),
      { numRuns: 50 },
    );
  });

  it('is short enough for a small QR code and recognisable by its prefix', () => {
    expect(token.startsWith(passTokenPrefix)).toBe(true);
    expect(token).toMatch(/^GP1\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBe(4 + Math.ceil(((1 + 1 + 4 + 16 + 4 + 64) * 4) / 3));
  });

  it('allows the clock skew past expiry, then says PASS_EXPIRED', () => {
    expect(verifyPass(token, { now: at(PASS_TTL_SECONDS + PASS_CLOCK_SKEW_SECONDS), publicKeyFor }).ok).toBe(true);
    expect(verifyPass(token, { now: at(PASS_TTL_SECONDS + PASS_CLOCK_SKEW_SECONDS + 1), publicKeyFor })).toEqual({ ok: false, reason: 'PASS_EXPIRED' });
  });

  it('calls any single flipped bit PASS_INVALID, even once expired: the signature is checked first', () => {
    const bits = Buffer.from(token.slice(passTokenPrefix.length), 'base64url').length * 8;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bits - 1 }), fc.constantFrom(30, 3600), (bit, seconds) => {
        expect(verifyPass(flipBit(token, bit), { now: at(seconds), publicKeyFor })).toEqual({ ok: false, reason: 'PASS_INVALID' });
      }),
      { numRuns: 300 },
    );
  });

  it('calls a pass signed by another key under the same key id PASS_INVALID, even when expired', () => {
    const forged = signPass({ memberId, expiresAt }, { keyId: 'gym1', privateKey: generatePassKey().privateKey });
    expect(verifyPass(forged, { now: at(30), publicKeyFor })).toEqual({ ok: false, reason: 'PASS_INVALID' });
    expect(verifyPass(forged, { now: at(3600), publicKeyFor })).toEqual({ ok: false, reason: 'PASS_INVALID' });
  });

  it('calls a pass from an unknown key id PASS_INVALID', () => {
    const other = generatePassKey('old');
    expect(verifyPass(signPass({ memberId, expiresAt }, other), { now: at(30), publicKeyFor })).toEqual({ ok: false, reason: 'PASS_INVALID' });
  });

  it.each([
    ['empty', ''],
    ['prefix only', passTokenPrefix],
    ['without the prefix', token.slice(passTokenPrefix.length)],
    ['another prefix', `GP2.${token.slice(passTokenPrefix.length)}`],
    ['truncated', token.slice(0, -4)],
    ['extended', `${token}AAAA`],
    ['padded', `${token}=`],
    ['with a non-base64url character', `${token.slice(0, 20)}+${token.slice(21)}`],
    ['a member code', 'GS1042'],
  ])('calls a token %s PASS_INVALID', (_label, scanned) => {
    expect(verifyPass(scanned, { now: at(30), publicKeyFor })).toEqual({ ok: false, reason: 'PASS_INVALID' });
  });

  it('calls a token whose unused trailing bits are set PASS_INVALID, though its bytes verify', () => {
    const key = generatePassKey('five5'); // 91 bytes: the last character carries 4 unused bits
    const pass = signPass({ memberId, expiresAt }, key);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const nonCanonical = pass.slice(0, -1) + alphabet[alphabet.indexOf(pass.at(-1)!) ^ 1];
    expect(Buffer.from(nonCanonical.slice(4), 'base64url')).toEqual(Buffer.from(pass.slice(4), 'base64url'));
    expect(verifyPass(pass, { now: at(30), publicKeyFor: () => key.publicKey }).ok).toBe(true);
    expect(verifyPass(nonCanonical, { now: at(30), publicKeyFor: () => key.publicKey })).toEqual({ ok: false, reason: 'PASS_INVALID' });
  });

  it('calls a version-2 token PASS_INVALID even when properly signed', () => {
    const bytes = Buffer.from(token.slice(passTokenPrefix.length), 'base64url');
    const body = Buffer.from(bytes.subarray(0, bytes.length - 64));
    body[0] = 2;
    const resigned = passTokenPrefix + Buffer.concat([body, sign(null, body, gymKey.privateKey)]).toString('base64url');
    expect(verifyPass(resigned, { now: at(30), publicKeyFor })).toEqual({ ok: false, reason: 'PASS_INVALID' });
  });

  it('exports and imports keys as base64 DER, and the imported keys still sign and verify', () => {
    const privateKey = importPassPrivateKey(exportPassKey(gymKey.privateKey));
    const publicKey = importPassPublicKey(exportPassKey(gymKey.publicKey));
    const pass = signPass({ memberId, expiresAt }, { keyId: 'gym1', privateKey });
    expect(verifyPass(pass, { now: at(30), publicKeyFor: () => publicKey }).ok).toBe(true);
    expect(verifyPass(token, { now: at(30), publicKeyFor: () => publicKey }).ok).toBe(true);
  });

  it('refuses to import a key that is not Ed25519', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => importPassPublicKey(exportPassKey(publicKey))).toThrow(/must be Ed25519, not ec/);
  });

  it('refuses to sign for a bad key id or member id', () => {
    expect(() => generatePassKey('too-long-id')).toThrow(/1 to 8/);
    expect(() => signPass({ memberId: 'GS1042', expiresAt }, gymKey)).toThrow(/not a UUID/);
  });
});
