import { randomBytes } from 'node:crypto';
import { SEAL_KEY_BYTES, seal, unseal } from '@gymstack/shared/crypto';
import { type PassKey, exportPassKey, generatePassKey, importPassPrivateKey, importPassPublicKey } from '@gymstack/shared/passes';
import type { Store } from '../db/store.js';

/**
 * The gym's keys (DESIGN 7): the template key seals fingerprint templates, so a template enrolled at one
 * desk opens at every other; the pass key signs and verifies member QR passes offline. A paired desk gets
 * them from the cloud, a standalone desk makes its own. Kept sealed with the desk's own secret.
 */
export interface GymKeys {
  template: { keyId: string; key: Buffer };
  pass: PassKey;
}

/** As the cloud hands them over (GET /api/v1/devices/keys): the raw template key, PKCS#8 and SPKI DER, base64. */
export interface GymKeysWire {
  template: { keyId: string; key: string };
  pass: { keyId: string; privateKey: string; publicKey: string };
}

const context = (kind: 'template' | 'pass', keyId: string) => `gym-key:${kind}:${keyId}`;

export function readGymKeys(store: Store, secret: Buffer): GymKeys | null {
  const rows = store.all(store.db.selectFrom('gym_keys').selectAll());
  const template = rows.find((r) => r.kind === 'template');
  const pass = rows.find((r) => r.kind === 'pass');
  if (!template || !pass?.public_key) return null;
  return {
    template: { keyId: template.key_id, key: unseal(secret, template.sealed, context('template', template.key_id)) },
    pass: {
      keyId: pass.key_id,
      privateKey: importPassPrivateKey(unseal(secret, pass.sealed, context('pass', pass.key_id)).toString('base64')),
      publicKey: importPassPublicKey(pass.public_key.toString('base64')),
    },
  };
}

export function saveGymKeys(store: Store, secret: Buffer, keys: GymKeys): void {
  store.transaction(() => {
    store.run(store.db.deleteFrom('gym_keys'));
    store.run(
      store.db.insertInto('gym_keys').values([
        { kind: 'template', key_id: keys.template.keyId, sealed: seal(secret, keys.template.key, context('template', keys.template.keyId)), public_key: null },
        {
          kind: 'pass',
          key_id: keys.pass.keyId,
          sealed: seal(secret, Buffer.from(exportPassKey(keys.pass.privateKey), 'base64'), context('pass', keys.pass.keyId)),
          public_key: Buffer.from(exportPassKey(keys.pass.publicKey), 'base64'),
        },
      ]),
    );
  });
}

/** A standalone desk's own keys. */
export function makeGymKeys(): GymKeys {
  return { template: { keyId: randomBytes(3).toString('base64url'), key: randomBytes(SEAL_KEY_BYTES) }, pass: generatePassKey() };
}

export function gymKeysFromWire(wire: GymKeysWire): GymKeys {
  const key = Buffer.from(wire.template.key, 'base64');
  if (key.length !== SEAL_KEY_BYTES) throw new Error('The cloud sent a template key of the wrong size');
  return {
    template: { keyId: wire.template.keyId, key },
    pass: { keyId: wire.pass.keyId, privateKey: importPassPrivateKey(wire.pass.privateKey), publicKey: importPassPublicKey(wire.pass.publicKey) },
  };
}
