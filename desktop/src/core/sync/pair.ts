import { errors } from '@gymstack/shared';
import type { HandlerInput } from '../contract.js';
import type { Store } from '../db/store.js';
import { loadDesk } from '../desk.js';
import { CloudApi } from './cloud-api.js';
import { type SyncLink, generateDeskKey, readLink, saveLink } from './link.js';

/**
 * Pairs an empty desk with the cloud (DESIGN 6): a fresh Ed25519 key whose public half the cloud
 * registers against the owner's single-use code, and the link stored. The gym, its staff and members
 * then arrive through the first sync; the desk's settings are made when the gym row lands.
 */
export async function pairDesk(store: Store, input: HandlerInput<'setup/pair'>, clock: () => Date, fetchImpl?: typeof fetch): Promise<SyncLink> {
  if (loadDesk(store)) throw errors.conflict('This desk is already set up');
  if (readLink(store)) throw errors.conflict('This desk is already paired');
  const key = generateDeskKey();
  const cloudUrl = new URL(input.cloudUrl).origin;
  const paired = await new CloudApi(cloudUrl, null, fetchImpl, () => clock().getTime()).pair(input.code, key.publicKey, input.deskName);
  const link = { cloudUrl, ...paired, privateKeyPem: key.privateKeyPem };
  saveLink(store, link, clock().toISOString());
  const saved = readLink(store);
  if (!saved) throw new Error('The pairing was not stored');
  return saved;
}
