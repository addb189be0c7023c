import { createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';

/** A desk's proof is valid this long after (or before) the time it states. */
export const PROOF_MAX_AGE_MS = 60_000;
export const PAIRING_CODE_TTL_MS = 10 * 60_000;

const rawKey = z.base64url().refine((s) => Buffer.from(s, 'base64url').length === 32, 'Must be a 32-byte Ed25519 public key');

/** A desk's Ed25519 public key: raw 32 bytes in base64url, or an OKP JWK; read as the raw bytes. */
export const devicePublicKeySchema = z
  .union([rawKey, z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: rawKey })])
  .transform((key) => Buffer.from(typeof key === 'string' ? key : key.x, 'base64url'));

/** What a desk signs to get an access token: bound to the device and the time. */
export const proofMessage = (deviceId: string, ts: number): Buffer => Buffer.from(`gymstack-device-token\n${deviceId}\n${ts}`);

/** Whether `signature` is the device key's Ed25519 signature of the proof message. */
export function validProof(publicKey: Buffer, deviceId: string, ts: number, signature: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
  return verify(null, proofMessage(deviceId, ts), key, Buffer.from(signature, 'base64url'));
}
