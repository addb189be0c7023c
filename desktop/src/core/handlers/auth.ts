import { errors } from '@gymstack/shared';
import type { Context } from '../context.js';
import { toStaff } from '../db/rows.js';
import { MAX_FAILED_PINS, PIN_LOCK_MINUTES, verifyPin } from '../domain/pin.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

const activeStaff = (ctx: Context) =>
  ctx.store.db.selectFrom('staff').selectAll().where('deleted_at', 'is', null).where('active', '=', 1);

export const authHandlers = defineHandlers({
  'auth/staff': {
    access: 'public',
    run: (ctx) => ctx.store.all(activeStaff(ctx).orderBy('name')).map(toStaff),
  },

  'auth/login': {
    access: 'public',
    async run(ctx, { staffId, pin }) {
      const { store } = ctx;
      const found = store.first(activeStaff(ctx).where('id', '=', staffId));
      if (!found) throw errors.notFound('Staff member');
      const now = ctx.clock();
      if (found.locked_until !== null && found.locked_until > now.toISOString()) {
        throw errors.pinLocked(Math.ceil((Date.parse(found.locked_until) - now.getTime()) / 60_000));
      }
      const staff = toStaff(found);
      if (!(await verifyPin(found.pin_hash, pin))) {
        // Lockouts and logins are desk-local: audited, never synced (no outbox mutation).
        const locked = write(ctx, [], () => {
          // Re-read inside the transaction: another attempt may have landed while the hash was checked.
          const failed = (store.first(store.db.selectFrom('staff').select('failed_pins').where('id', '=', staffId))?.failed_pins ?? 0) + 1;
          const lock = failed >= MAX_FAILED_PINS;
          store.run(
            store.db
              .updateTable('staff')
              .set({ failed_pins: lock ? 0 : failed, locked_until: lock ? new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000).toISOString() : null })
              .where('id', '=', staffId),
          );
          const summary = lock ? `${staff.name} locked out for ${PIN_LOCK_MINUTES} min after ${failed} wrong PINs` : `Wrong PIN for ${staff.name}`;
          return { result: lock, audit: { action: 'auth.failed', entity: 'staff', entityId: staffId, summary } };
        });
        throw locked ? errors.pinLocked(PIN_LOCK_MINUTES) : errors.invalidPin();
      }
      ctx.session = staff;
      write(ctx, [], () => {
        store.run(store.db.updateTable('staff').set({ failed_pins: 0, locked_until: null }).where('id', '=', staffId));
        return { result: null, audit: { action: 'auth.login', entity: 'staff', entityId: staffId, summary: `${staff.name} logged in` } };
      });
      ctx.events.emit({ type: 'session', staff });
      return staff;
    },
  },

  'auth/session': {
    access: 'public',
    run: (ctx) => ctx.session,
  },

  'auth/logout': {
    access: 'frontdesk',
    run(ctx) {
      const staff = ctx.staff;
      write(ctx, [], () => ({ result: null, audit: { action: 'auth.logout', entity: 'staff', entityId: staff.id, summary: `${staff.name} logged out` } }));
      ctx.session = null;
      ctx.events.emit({ type: 'session', staff: null });
      return { ok: true as const };
    },
  },
});
