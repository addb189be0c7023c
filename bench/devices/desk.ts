/**
 * The devices group's desk: the demo desk (its simulated reader, scanner, door and broker) with a
 * fingerprint for each of its members, sealed with the gym's template key as an enrolling desk seals
 * it, so the desk's own loader puts every template on the module as it would after a sync.
 */
import { randomUUID } from 'node:crypto';
import { type Core, buildDevices, noDevices, openCore, seedDemo, simulatedFinger } from '@gymstack/desktop/core';
import type { R30xModule } from '@gymstack/native-bridge/simulator';
import { loadDeskSecret } from '../../desktop/src/core/devices/desk-secret.js';
import { sealTemplate } from '../../desktop/src/core/devices/fingerprints.js';
import { readGymKeys } from '../../desktop/src/core/devices/gym-keys.js';
import { openStore } from '../../desktop/src/core/init.js';
import { WireLog } from './wire.js';

export interface Fingerprint {
  memberId: string;
  /** The credential id: what a matched page checks in by. */
  credentialId: string;
}

/**
 * Seeds the demo desk in `dataDir` with `members` members (and the demo's usual history), lets a first
 * core make the gym's keys, then gives every member one enrolled finger. Returns them in member order.
 */
export async function seedFingerprintDesk(dataDir: string, members: number): Promise<Fingerprint[]> {
  await seedDemo({ dataDir, members });
  // A standalone desk makes its gym keys when it first opens.
  await (await openCore({ dataDir, buildDevices: noDevices })).close();
  const store = await openStore(dataDir);
  try {
    const keys = readGymKeys(store, loadDeskSecret(dataDir));
    if (!keys) throw new Error('The demo desk made no gym keys');
    const gym = store.first(store.db.selectFrom('gym').select('id'));
    if (!gym) throw new Error('The demo desk has no gym');
    const rows = store.all(store.db.selectFrom('members').select('id').where('deleted_at', 'is', null).orderBy('code'));
    const at = new Date().toISOString();
    const fingerprints = rows.map((m) => ({ memberId: m.id, credentialId: randomUUID() }));
    store.transaction(() => {
      for (const { memberId, credentialId } of fingerprints) {
        store.run(
          store.db.insertInto('member_credentials').values({
            id: credentialId,
            gym_id: gym.id,
            member_id: memberId,
            kind: 'finger',
            value: credentialId,
            // What the enrolling reader took: one press of the member's finger.
            template: sealTemplate(keys, credentialId, memberId, simulatedFinger(memberId).press()),
            key_id: keys.template.keyId,
            consented_at: at,
            created_at: at,
            updated_at: at,
            deleted_at: null,
          }),
        );
      }
    });
    return fingerprints;
  } finally {
    await store.close();
  }
}

/** The simulated reader module, with its line watched from the first byte. */
export interface SimulatedReader {
  module: R30xModule;
  wire: WireLog;
}

/**
 * A core on `dataDir` driving its configured devices (the demo's simulators) through the desk's own
 * `buildDevices`. `reader` resolves once they are built, which is before the reader opens.
 */
export async function openDeviceDesk(dataDir: string): Promise<{ core: Core; reader: Promise<SimulatedReader> }> {
  let built: (reader: SimulatedReader) => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const reader = new Promise<SimulatedReader>((resolve, reject) => ((built = resolve), (failed = reject)));
  const core = await openCore({
    dataDir,
    buildDevices: async (config, ctx) => {
      const devices = await buildDevices(config, ctx);
      const module = devices.simulator?.module;
      if (module) built({ module, wire: new WireLog(module) });
      else failed(new Error('The demo desk started no simulated reader'));
      return devices;
    },
  });
  return { core, reader };
}
