import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { SyncLinkTable } from '../db/schema.js';
import type { Store } from '../db/store.js';

/** The desk's pairing with the cloud (DESIGN 6), as stored in `sync_link`. */
export interface SyncLink {
  cloudUrl: string;
  deviceId: string;
  gymId: string;
  branchId: string;
  /** Unique in the gym, given by the cloud: the desk's invoice prefix and member-code prefix. */
  deskCode: string;
  privateKeyPem: string;
  /** The highest outbox seq the cloud has settled (applied, duplicate or rejected). */
  ackedSeq: number;
  lastSyncedAt: string | null;
}

const toLink = (r: Selectable<SyncLinkTable>): SyncLink => ({
  cloudUrl: r.cloud_url,
  deviceId: r.device_id,
  gymId: r.gym_id,
  branchId: r.branch_id,
  deskCode: r.desk_code,
  privateKeyPem: r.private_key,
  ackedSeq: r.acked_seq,
  lastSyncedAt: r.last_synced_at,
});

/** This desk's pairing, or null for a standalone desk. */
export function readLink(store: Store): SyncLink | null {
  const row = store.first(store.db.selectFrom('sync_link').selectAll());
  return row ? toLink(row) : null;
}

export function saveLink(store: Store, link: Omit<SyncLink, 'ackedSeq' | 'lastSyncedAt'>, pairedAt: string): void {
  store.run(
    store.db.insertInto('sync_link').values({
      id: 1,
      cloud_url: link.cloudUrl,
      device_id: link.deviceId,
      gym_id: link.gymId,
      branch_id: link.branchId,
      desk_code: link.deskCode,
      private_key: link.privateKeyPem,
      acked_seq: 0,
      last_synced_at: null,
      paired_at: pairedAt,
    }),
  );
}

/** A fresh Ed25519 key for pairing: the private half stays on the desk, the raw public half goes to the cloud. */
export function generateDeskKey(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), publicKey: jwk.x as string };
}

/** The proof a desk signs for a token (cloud auth/devices.ts): bound to the device and the time. */
export function signProof(privateKeyPem: string, deviceId: string, ts: number): string {
  return sign(null, Buffer.from(`gymstack-device-token\n${deviceId}\n${ts}`), createPrivateKey(privateKeyPem)).toString('base64url');
}
