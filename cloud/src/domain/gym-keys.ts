import { randomBytes } from 'node:crypto';
import { SEAL_KEY_BYTES, seal, unseal } from '@gymstack/shared/crypto';
import { type PassKey, exportPassKey, generatePassKey, importPassPrivateKey, importPassPublicKey } from '@gymstack/shared/passes';
import type { Insertable, Selectable, Transaction } from 'kysely';
import type { Database, GymKeyTable } from '../db/schema.js';

/** A gym's current keys (DESIGN 7), in the clear: only for the caller's own gym, only in memory. */
export interface GymKeys {
  /** AES-256: seals fingerprint templates at every desk of the gym. */
  template: { keyId: string; key: Buffer };
  /** Ed25519: signs and verifies the members' QR passes. */
  pass: PassKey;
}

type Kind = GymKeyTable['kind'];

/** Binds a sealed secret to its row: moved to another gym, kind or key id, it does not open. */
const contextOf = (gymId: string, kind: Kind, keyId: string) => `${gymId}:${kind}:${keyId}`;

/** Same alphabet and length as a pass key id (the template's travels with every template). */
const newKeyId = () => randomBytes(3).toString('base64url');

function newKeyRow(gymId: string, kind: Kind, kek: Buffer): Insertable<GymKeyTable> {
  if (kind === 'template') {
    const keyId = newKeyId();
    return { gym_id: gymId, kind, key_id: keyId, sealed: seal(kek, randomBytes(SEAL_KEY_BYTES), contextOf(gymId, kind, keyId)), public_key: null };
  }
  const pass = generatePassKey(newKeyId());
  const privateDer = Buffer.from(exportPassKey(pass.privateKey), 'base64');
  return {
    gym_id: gymId,
    kind,
    key_id: pass.keyId,
    sealed: seal(kek, privateDer, contextOf(gymId, kind, pass.keyId)),
    public_key: Buffer.from(exportPassKey(pass.publicKey), 'base64'),
  };
}

function opened(row: Selectable<GymKeyTable>, kek: Buffer): Buffer {
  try {
    return unseal(kek, row.sealed, contextOf(row.gym_id, row.kind, row.key_id));
  } catch (error) {
    throw new Error(`The gym's ${row.kind} key ${row.key_id} does not open with this KEY_ENCRYPTION_KEY`, { cause: error });
  }
}

const currentKeys = (trx: Transaction<Database>) => trx.selectFrom('gym_keys').selectAll().execute();

/**
 * The gym's keys, made on first use. Two first requests racing both insert; the unique (gym, kind) index
 * turns the later insert into a no-op once the earlier commits, and each then reads back the one stored
 * row (read committed: the read-back statement sees the other's commit), so every caller gets the same key.
 */
export async function loadGymKeys(trx: Transaction<Database>, gymId: string, kek: Buffer): Promise<GymKeys> {
  let rows = await currentKeys(trx);
  const missing = (['template', 'pass'] as const).filter((kind) => !rows.some((r) => r.kind === kind));
  if (missing.length > 0) {
    await trx
      .insertInto('gym_keys')
      .values(missing.map((kind) => newKeyRow(gymId, kind, kek)))
      .onConflict((oc) => oc.doNothing())
      .execute();
    rows = await currentKeys(trx);
  }
  const row = (kind: Kind) => {
    const found = rows.find((r) => r.kind === kind);
    if (!found) throw new Error(`The gym has no ${kind} key`);
    return found;
  };
  const template = row('template');
  const pass = row('pass');
  return {
    template: { keyId: template.key_id, key: opened(template, kek) },
    pass: {
      keyId: pass.key_id,
      privateKey: importPassPrivateKey(opened(pass, kek).toString('base64')),
      publicKey: importPassPublicKey((pass.public_key as Buffer).toString('base64')),
    },
  };
}
