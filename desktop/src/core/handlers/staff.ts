import { errors } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { assertCanManage } from '../access.js';
import type { Context } from '../context.js';
import { toStaff } from '../db/rows.js';
import { hashPin } from '../domain/pin.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

function findStaff(ctx: Context, staffId: string) {
  const { store } = ctx;
  const row = store.first(store.db.selectFrom('staff').select(['id', 'name', 'role', 'active']).where('id', '=', staffId).where('deleted_at', 'is', null));
  if (!row) throw errors.notFound('Staff member');
  return toStaff(row);
}

// PINs never leave the desk in clear: the outbox carries the hash.
export const staffHandlers = defineHandlers({
  'staff/create': {
    access: 'owner',
    whenPaired: 'cloud',
    async run(ctx, { name, role, pin }) {
      const { store } = ctx;
      const pinHash = await hashPin(pin);
      const staff = { id: uuid(), name, role, active: true };
      return write(ctx, ['staff'], () => {
        const now = ctx.clock().toISOString();
        store.run(
          store.db.insertInto('staff').values({
            id: staff.id,
            gym_id: ctx.desk.gym.id,
            name,
            role,
            pin_hash: pinHash,
            active: 1,
            failed_pins: 0,
            locked_until: null,
            created_at: now,
            updated_at: now,
            deleted_at: null,
          }),
        );
        return {
          result: staff,
          audit: { action: 'staff.create', entity: 'staff', entityId: staff.id, summary: `Added ${role} ${name}` },
          mutation: { name: 'staff/create', args: { id: staff.id, name, role, pinHash } },
        };
      });
    },
  },

  'staff/setPin': {
    access: 'manager',
    whenPaired: 'cloud',
    async run(ctx, { staffId, pin }) {
      const { store } = ctx;
      const target = findStaff(ctx, staffId);
      if (target.id !== ctx.staff.id) assertCanManage(ctx.staff, target);
      const pinHash = await hashPin(pin);
      return write(ctx, ['staff'], () => {
        store.run(
          store.db
            .updateTable('staff')
            .set({ pin_hash: pinHash, failed_pins: 0, locked_until: null, updated_at: ctx.clock().toISOString() })
            .where('id', '=', staffId),
        );
        return {
          result: { ok: true as const },
          audit: { action: 'staff.setPin', entity: 'staff', entityId: staffId, summary: `Changed the PIN of ${target.name}` },
          mutation: { name: 'staff/setPin', args: { staffId, pinHash } },
        };
      });
    },
  },

  'staff/deactivate': {
    access: 'manager',
    whenPaired: 'cloud',
    run(ctx, { staffId }) {
      const { store } = ctx;
      const target = findStaff(ctx, staffId);
      if (target.id === ctx.staff.id) throw errors.conflict('You cannot deactivate yourself');
      assertCanManage(ctx.staff, target);
      return write(ctx, ['staff'], () => {
        store.run(store.db.updateTable('staff').set({ active: 0, updated_at: ctx.clock().toISOString() }).where('id', '=', staffId));
        return {
          result: { ok: true as const },
          audit: { action: 'staff.deactivate', entity: 'staff', entityId: staffId, summary: `Deactivated ${target.name}` },
          mutation: { name: 'staff/deactivate', args: { staffId } },
        };
      });
    },
  },
});
