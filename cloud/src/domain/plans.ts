import { type Plan, type PlanInput, errors } from '@gymstack/shared';
import type { Selectable, Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Access } from '../auth/permissions.js';
import type { Database, PlanTable } from '../db/schema.js';
import { appendAudit } from './audit.js';
import { type Page, type PageRequest, paginate } from './page.js';

const toPlan = (r: Selectable<PlanTable>): Plan => ({
  id: r.id,
  name: r.name,
  duration: r.duration,
  pricePaise: r.price_paise,
  taxInclusive: r.tax_inclusive,
  gstRateBps: r.gst_rate_bps,
  sac: r.sac,
  access: r.access as Plan['access'],
  maxFreezeDays: r.max_freeze_days,
  ptSessions: r.pt_sessions,
  active: r.active,
});

const planColumns = (p: PlanInput) => ({
  name: p.name,
  duration: p.duration,
  price_paise: p.pricePaise,
  tax_inclusive: p.taxInclusive,
  gst_rate_bps: p.gstRateBps,
  sac: p.sac,
  access: p.access,
  max_freeze_days: p.maxFreezeDays,
  pt_sessions: p.ptSessions,
});

/** Plans are gym-wide: every role that may read them reads them all. */
export async function findPlan(trx: Transaction<Database>, planId: string): Promise<Plan> {
  const row = await trx.selectFrom('plans').selectAll().where('id', '=', planId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw errors.notFound('Plan');
  return toPlan(row);
}

export async function listPlans(trx: Transaction<Database>, query: PageRequest & { includeArchived: boolean }): Promise<Page<Plan>> {
  const rows = trx
    .selectFrom('plans')
    .selectAll()
    .where('deleted_at', 'is', null)
    .$if(!query.includeArchived, (q) => q.where('active', '=', true))
    .orderBy('price_paise')
    .orderBy('name')
    .orderBy('id');
  const page = await paginate(trx, rows, query);
  return { items: page.items.map(toPlan), meta: page.meta };
}

export async function createPlan(trx: Transaction<Database>, access: Access, input: PlanInput): Promise<Plan> {
  const plan: Plan = { ...input, id: uuid(), active: true };
  await trx.insertInto('plans').values({ ...planColumns(plan), gym_id: access.caller.gymId, id: plan.id, deleted_at: null }).execute();
  await appendAudit(trx, access.caller, { action: 'plan.create', entity: 'plan', entityId: plan.id, old: null, new: plan });
  return plan;
}

/** Memberships keep the plan snapshot taken at sale, so an edit never changes what was sold. */
export async function updatePlan(trx: Transaction<Database>, access: Access, planId: string, patch: Partial<PlanInput>): Promise<Plan> {
  const before = await findPlan(trx, planId);
  const plan: Plan = { ...before, ...patch };
  await trx.updateTable('plans').set({ ...planColumns(plan), updated_at: new Date() }).where('id', '=', planId).execute();
  await appendAudit(trx, access.caller, { action: 'plan.update', entity: 'plan', entityId: planId, old: before, new: plan });
  return plan;
}

/** Archive (no longer sold, still shown on memberships) or soft delete (gone from every list). */
export async function retirePlan(trx: Transaction<Database>, access: Access, planId: string, how: 'archive' | 'delete'): Promise<void> {
  const before = await findPlan(trx, planId);
  const now = new Date();
  await trx
    .updateTable('plans')
    .set(how === 'archive' ? { active: false, updated_at: now } : { deleted_at: now, updated_at: now })
    .where('id', '=', planId)
    .execute();
  await appendAudit(trx, access.caller, { action: `plan.${how}`, entity: 'plan', entityId: planId, old: before, new: how === 'archive' ? { ...before, active: false } : null });
}
