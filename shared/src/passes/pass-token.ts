/*
 * A member's QR pass (DESIGN: short-lived, signed with the gym's Ed25519 key by the cloud or a desk,
 * verified offline at the desk). After `GP1.`, base64url without padding of:
 *   version (1 byte) · key id length (1) · key id (1–8 ASCII) · member id (16, the UUID's bytes) ·
 *   expiry (u32 big-endian, unix seconds) · Ed25519 signature (64) over everything before it.
 * At most 94 bytes, so at most 130 characters: a small QR code.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { passDenyReasons } from '../rules/checkin-verdict.js';
import { passTokenPrefix } from '../schemas/scan.js';

/** How long a pass lives after it is issued: a screenshot is soon useless. */
export const PASS_TTL_SECONDS = 60;
/** How far the issuer's clock may run behind the desk's before a fresh pass looks expired. */
export const PASS_CLOCK_SKEW_SECONDS = 5;

const VERSION = 1;
const KEY_ID = /^[A-Za-z0-9_-]{1,8}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MEMBER_ID_BYTES = 16;
const EXPIRY_BYTES = 4;
const SIGNATURE_BYTES = 64;

export type PassDenyReason = (typeof passDenyReasons)[number];

export interface PassSigningKey {
  keyId: string;
  privateKey: KeyObject;
}

export interface PassKey extends PassSigningKey {
  publicKey: KeyObject;
}

export type PassVerdict = { ok: true; memberId: string; keyId: string; expiresAt: Date } | { ok: false; reason: PassDenyReason };

/** A new gym key; the key id is random, short enough to keep the token small. */
export function generatePassKey(keyId = randomBytes(3).toString('base64url')): PassKey {
  assertKeyId(keyId);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyId, privateKey, publicKey };
}

/** Base64 DER (SPKI for a public key, PKCS#8 for a private one), for storing a key as text. */
export function exportPassKey(key: KeyObject): string {
  const der = key.type === 'public' ? key.export({ type: 'spki', format: 'der' }) : key.export({ type: 'pkcs8', format: 'der' });
  return der.toString('base64');
}

export function importPassPublicKey(base64Der: string): KeyObject {
  return assertEd25519(createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' }));
}

export function importPassPrivateKey(base64Der: string): KeyObject {
  return assertEd25519(createPrivateKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'pkcs8' }));
}

/** A pass for `memberId` (a UUID) good until `expiresAt`, normally `PASS_TTL_SECONDS` from now. */
export function signPass(pass: { memberId: string; expiresAt: Date }, key: PassSigningKey): string {
  assertKeyId(key.keyId);
  if (!UUID.test(pass.memberId)) throw new RangeError(`Member id ${JSON.stringify(pass.memberId)} is not a UUID`);
  const expiry = Math.floor(pass.expiresAt.getTime() / 1000);
  if (!(expiry >= 0 && expiry <= 0xffffffff)) throw new RangeError('Pass expiry is outside the u32 seconds range');

  const keyId = Buffer.from(key.keyId, 'ascii');
  const body = Buffer.alloc(2 + keyId.length + MEMBER_ID_BYTES + EXPIRY_BYTES);
  body.writeUInt8(VERSION, 0);
  body.writeUInt8(keyId.length, 1);
  keyId.copy(body, 2);
  Buffer.from(pass.memberId.replaceAll('-', ''), 'hex').copy(body, 2 + keyId.length);
  body.writeUInt32BE(expiry, 2 + keyId.length + MEMBER_ID_BYTES);
  const signature = sign(null, body, key.privateKey);
  return passTokenPrefix + Buffer.concat([body, signature]).toString('base64url');
}

/**
 * Checks a scanned pass offline. The signature is checked before anything it covers is trusted, so a
 * forged or altered token is PASS_INVALID whatever expiry it claims; only a genuine one can be
 * PASS_EXPIRED (after its expiry plus `PASS_CLOCK_SKEW_SECONDS`). An unknown key id is PASS_INVALID.
 */
export function verifyPass(token: string, options: { now: Date; publicKeyFor: (keyId: string) => KeyObject | null }): PassVerdict {
  const invalid: PassVerdict = { ok: false, reason: 'PASS_INVALID' };
  const bytes = decodeToken(token);
  if (!bytes || bytes.length < 2) return invalid;
  const keyIdLength = bytes.readUInt8(1);
  const bodyLength = 2 + keyIdLength + MEMBER_ID_BYTES + EXPIRY_BYTES;
  if (bytes.readUInt8(0) !== VERSION || keyIdLength === 0 || bytes.length !== bodyLength + SIGNATURE_BYTES) return invalid;

  const keyId = bytes.toString('latin1', 2, 2 + keyIdLength);
  const publicKey = KEY_ID.test(keyId) ? options.publicKeyFor(keyId) : null;
  const body = bytes.subarray(0, bodyLength);
  if (!publicKey || !verify(null, body, publicKey, bytes.subarray(bodyLength))) return invalid;

  const expiresAt = new Date(bytes.readUInt32BE(2 + keyIdLength + MEMBER_ID_BYTES) * 1000);
  if (options.now.getTime() > expiresAt.getTime() + PASS_CLOCK_SKEW_SECONDS * 1000) return { ok: false, reason: 'PASS_EXPIRED' };
  return { ok: true, memberId: uuidOf(bytes.subarray(2 + keyIdLength, 2 + keyIdLength + MEMBER_ID_BYTES)), keyId, expiresAt };
}

/** The token's bytes, or null unless it is the prefix and canonical base64url (one string per token). */
function decodeToken(token: string): Buffer | null {
  if (!token.startsWith(passTokenPrefix)) return null;
  const text = token.slice(passTokenPrefix.length);
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function assertKeyId(keyId: string): void {
  if (!KEY_ID.test(keyId)) throw new RangeError(`Pass key id ${JSON.stringify(keyId)} must be 1 to 8 letters, digits, _ or -`);
}

function assertEd25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`A pass key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}
