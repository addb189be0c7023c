import { write } from '../write.js';
import { defineHandlers } from './types.js';

const changedKeys = (patch: object) => Object.keys(patch).join(', ') || 'nothing';

export const settingsHandlers = defineHandlers({
  'settings/get': {
    access: 'frontdesk',
    run: (ctx) => ctx.desk.settings,
  },

  'settings/update': {
    access: 'manager',
    whenPaired: 'cloud',
    run(ctx, patch) {
      const { store, desk } = ctx;
      const next = { ...desk.settings, ...patch };
      const result = write(ctx, ['settings'], () => {
        store.run(
          store.db
            .updateTable('settings')
            .set({
              anti_passback_minutes: next.antiPassbackMinutes,
              auto_checkout_hours: next.autoCheckoutHours,
              dues_block_paise: next.duesBlockPaise,
              grace_days: next.graceDays,
              expiring_within_days: next.expiringWithinDays,
              invoice_prefix: next.invoicePrefix,
              updated_at: ctx.clock().toISOString(),
            })
            .where('device_id', '=', desk.deviceId),
        );
        return {
          result: next,
          audit: { action: 'settings.update', entity: 'settings', entityId: desk.deviceId, summary: `Changed ${changedKeys(patch)}` },
          mutation: { name: 'settings/update', args: patch },
        };
      });
      ctx.reloadDesk();
      return result;
    },
  },

  'gym/update': {
    access: 'manager',
    whenPaired: 'cloud',
    run(ctx, patch) {
      const { store, desk } = ctx;
      const next = { ...desk.gym, ...patch };
      const result = write(ctx, ['settings'], () => {
        store.run(
          store.db
            .updateTable('gym')
            .set({
              name: next.name,
              legal_name: next.legalName,
              gstin: next.gstin,
              address: next.address,
              state_code: next.stateCode,
              phone: next.phone,
              updated_at: ctx.clock().toISOString(),
            })
            .where('id', '=', desk.gym.id),
        );
        return {
          result: next,
          audit: { action: 'gym.update', entity: 'gym', entityId: desk.gym.id, summary: `Changed ${changedKeys(patch)}` },
          mutation: { name: 'gym/update', args: patch },
        };
      });
      ctx.reloadDesk();
      return result;
    },
  },
});
