import type { Context } from '../context.js';
import type { Store } from '../db/store.js';
import { type DeviceConfig, deviceConfigSchema } from './contract.js';

/** This desk's device settings; a desk never configured drives nothing (the demo configures the simulators). */
export function readDeviceConfig(store: Store): DeviceConfig {
  const row = store.first(store.db.selectFrom('device_config').select('config'));
  return deviceConfigSchema.parse(row ? JSON.parse(row.config) : {});
}

/** Device settings belong to this PC (its ports and LAN), so they are neither synced nor audited as gym data. */
export function saveDeviceConfig(ctx: Pick<Context, 'store' | 'clock'>, config: DeviceConfig): void {
  const { store } = ctx;
  const values = { config: JSON.stringify(config), updated_at: ctx.clock().toISOString() };
  store.run(store.db.insertInto('device_config').values({ id: 1, ...values }).onConflict((oc) => oc.column('id').doUpdateSet(values)));
}
