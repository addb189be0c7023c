import { type Plan, errors } from '@gymstack/shared';
import type { Context } from '../context.js';
import { toPlan } from '../db/rows.js';

export function findPlan(ctx: Context, planId: string): Plan {
  const { store } = ctx;
  const row = store.first(store.db.selectFrom('plans').selectAll().where('id', '=', planId).where('deleted_at', 'is', null));
  if (!row) throw errors.notFound('Plan');
  return toPlan(row);
}
