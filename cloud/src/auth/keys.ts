import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject, sign, verify } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { SigningKeys } from './tokens.js';

export function generateSigningKeys(): SigningKeys {
  return generateKeyPairSync('ed25519');
}

/** A PEM or a JWK (JSON), private or public; anything but Ed25519 is refused. */
function parseKey(text: string, kind: 'private' | 'public', name: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    const input = trimmed.startsWith('{') ? { key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' as const } : trimmed;
    key = kind === 'private' ? createPrivateKey(input) : createPublicKey(input);
  } catch (error) {
    throw new Error(`${name} is not a ${kind} key in PEM or JWK form`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${name} must be an Ed25519 key, not ${key.asymmetricKeyType ?? 'symmetric'}`);
  return key;
}

/** The configured key pair; a given public key must be the private key's other half. */
export function keysFromText(privateText: string, publicText?: string): SigningKeys {
  const privateKey = parseKey(privateText, 'private', 'JWT_PRIVATE_KEY');
  const publicKey = publicText === undefined ? createPublicKey(privateKey) : parseKey(publicText, 'public', 'JWT_PUBLIC_KEY');
  const probe = Buffer.from('gymstack key check');
  if (!verify(null, probe, publicKey, sign(null, probe, privateKey))) throw new Error('JWT_PUBLIC_KEY does not match JWT_PRIVATE_KEY');
  return { privateKey, publicKey };
}

/**
 * Development's key: made on first start and kept (owner-only file) so tokens survive a restart. `wx`
 * makes the first writer win when two processes start at once; the other reads what it wrote.
 */
function persistedKeys(file: string): SigningKeys {
  try {
    return keysFromText(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = generateSigningKeys();
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(keys.privateKey.export({ format: 'jwk' })), { mode: 0o600, flag: 'wx' });
    return keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return keysFromText(readFileSync(file, 'utf8'));
  }
}

/** The signing keys for this process: configured (required in production), else per-run in tests, else persisted. */
export function loadSigningKeys(config: Pick<Config, 'env' | 'dataDir' | 'jwt'>): SigningKeys {
  if (config.jwt.privateKey) return keysFromText(config.jwt.privateKey, config.jwt.publicKey);
  if (config.env === 'production') throw new Error('JWT_PRIVATE_KEY is required in production');
  if (config.env === 'test') return generateSigningKeys();
  return persistedKeys(path.resolve(config.dataDir, 'cloud-keys.json'));
}
