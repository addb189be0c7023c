import type { Plan, PlanInput } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { toPlan } from '../db/rows.js';
import type { PlanTable } from '../db/schema.js';
import { findPlan } from '../domain/plans.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

const planColumns = (p: PlanInput): Omit<PlanTable, 'id' | 'gym_id' | 'active' | 'created_at' | 'updated_at' | 'deleted_at'> => ({
  name: p.name,
  duration: JSON.stringify(p.duration),
  price_paise: p.pricePaise,
  tax_inclusive: p.taxInclusive ? 1 : 0,
  gst_rate_bps: p.gstRateBps,
  sac: p.sac,
  access: JSON.stringify(p.access),
  max_freeze_days: p.maxFreezeDays,
  pt_sessions: p.ptSessions,
});

export const planHandlers = defineHandlers({
  'plans/list': {
    access: 'frontdesk',
    run(ctx, { includeArchived }) {
      const { store } = ctx;
      let query = store.db.selectFrom('plans').selectAll().where('deleted_at', 'is', null);
      if (!includeArchived) query = query.where('active', '=', 1);
      return store.all(query.orderBy('price_paise').orderBy('name')).map(toPlan);
    },
  },

  'plans/create': {
    access: 'manager',
    whenPaired: 'cloud',
    run(ctx, input) {
      const { store } = ctx;
      const plan: Plan = { ...input, id: uuid(), active: true };
      return write(ctx, ['plans'], () => {
        const now = ctx.clock().toISOString();
        store.run(
          store.db
            .insertInto('plans')
            .values({ ...planColumns(plan), id: plan.id, gym_id: ctx.desk.gym.id, active: 1, created_at: now, updated_at: now, deleted_at: null }),
        );
        return {
          result: plan,
          audit: { action: 'plan.create', entity: 'plan', entityId: plan.id, summary: `Created plan ${plan.name}` },
          mutation: { name: 'plans/create', args: { ...input, id: plan.id } },
        };
      });
    },
  },

  // Memberships keep the plan snapshot taken at sale, so an edit never changes what was sold.
  'plans/update': {
    access: 'manager',
    whenPaired: 'cloud',
    run(ctx, { planId, patch }) {
      const { store } = ctx;
      const plan: Plan = { ...findPlan(ctx, planId), ...patch };
      return write(ctx, ['plans'], () => {
        store.run(store.db.updateTable('plans').set({ ...planColumns(plan), updated_at: ctx.clock().toISOString() }).where('id', '=', planId));
        return {
          result: plan,
          audit: { action: 'plan.update', entity: 'plan', entityId: planId, summary: `Edited ${Object.keys(patch).join(', ') || 'nothing'} of plan ${plan.name}` },
          mutation: { name: 'plans/update', args: { planId, patch } },
        };
      });
    },
  },

  'plans/archive': {
    access: 'manager',
    whenPaired: 'cloud',
    run(ctx, { planId }) {
      const { store } = ctx;
      const plan = findPlan(ctx, planId);
      return write(ctx, ['plans'], () => {
        store.run(store.db.updateTable('plans').set({ active: 0, updated_at: ctx.clock().toISOString() }).where('id', '=', planId));
        return {
          result: { ok: true as const },
          audit: { action: 'plan.archive', entity: 'plan', entityId: planId, summary: `Archived plan ${plan.name}` },
          mutation: { name: 'plans/archive', args: { planId } },
        };
      });
    },
  },
});
