import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantFor, roles } from '../src/auth/permissions.js';
import { withTenant } from '../src/db/tenant.js';
import { type ApiRoute, digest } from './api-routes.js';
import { sampleRequest, type Targets } from './samples.js';
import { call, createWorld, type World } from './world.js';

/**
 * Generated from the matrix (auth/permissions.ts): every role against every tenant route is allowed
 * (any answer but 401/403 and never a 5xx) or refused with 403 FORBIDDEN, exactly as the matrix says;
 * every refusal writes nothing. Requests name throwaway rows, so deletes and erasures by one role leave
 * the tokens of the others intact.
 */
describe('permission matrix', () => {
  let w: World;
  let routes: ApiRoute[];
  let victims: Targets;

  beforeAll(async () => {
    w = await createWorld();
    routes = w.routes;
    const a = w.gyms.a;
    const ids = { member: uuid(), membership: uuid(), plan: uuid(), staff: uuid(), assignment: uuid(), device: uuid(), notification: uuid() };
    const plan = {
      name: 'Victim plan',
      duration: { unit: 'months' as const, count: 1 },
      price_paise: 100_000,
      tax_inclusive: true,
      gst_rate_bps: 1800,
      sac: '999723',
      access: { allowedBranchIds: null, hours: null },
      max_freeze_days: 10,
      pt_sessions: 0,
    };
    const snapshot = { name: plan.name, duration: plan.duration, pricePaise: 100_000, taxInclusive: true, gstRateBps: 1800, sac: '999723', access: plan.access, maxFreezeDays: 10, ptSessions: 0 };
    await withTenant(w.t.api, a.seed.scope, async (trx) => {
      const gym_id = a.gymId;
      await trx.insertInto('plans').values({ gym_id, id: ids.plan, ...plan, deleted_at: null }).execute();
      await trx
        .insertInto('members')
        .values({ gym_id, id: ids.member, branch_id: a.branchId, code: 'VICTIM1', full_name: 'Victim', phone: '+919811111111', email: null, date_of_birth: null, gender: null, emergency_contact: null, medical_notes: null, goal: null, source: null, state_code: null, deleted_at: null })
        .execute();
      await trx
        .insertInto('memberships')
        .values({ gym_id, id: ids.membership, branch_id: a.branchId, member_id: ids.member, plan_id: ids.plan, plan: snapshot, start_date: '2026-01-01', end_date: '2027-12-31', price_paise: 100_000, cancelled_at: null, cancel_reason: null, deleted_at: null })
        .execute();
      await trx
        .insertInto('staff')
        .values({ gym_id, id: ids.staff, name: 'Victim Trainer', email: 'victim@alpha.test', phone: null, password_hash: null, pin_hash: null, role: 'trainer', branch_ids: [a.branchId], password_changed_at: null, deleted_at: null })
        .execute();
      await trx.insertInto('trainer_assignments').values({ gym_id, id: ids.assignment, trainer_id: a.ids.trainer, member_id: ids.member, ended_at: null, deleted_at: null }).execute();
      await trx.insertInto('devices').values({ gym_id, id: ids.device, branch_id: a.branchId, name: 'Victim desk', code: 'D9', public_key: Buffer.alloc(32, 9), last_seen_at: null, revoked_at: null, deleted_at: null }).execute();
      await trx.insertInto('notifications').values({ gym_id, id: ids.notification, member_id: ids.member, template: 'birthday_wish', due_on: '2026-11-01', end_date: null, data: JSON.stringify({ name: 'Victim', gym_name: 'alpha Fitness' }), send_after: new Date() }).execute();
      await trx.updateTable('notifications').set({ status: 'dead' }).where('id', '=', ids.notification).execute();
    });
    // An invoice issued as the API issues them, so its PDF renders from a real snapshot.
    const paid = await call(w.app, a.tokens.owner, { method: 'POST', url: '/payments/record-offline', body: { membershipId: ids.membership, method: 'cash', amountPaise: 100 } });
    expect(paid.statusCode, paid.body).toBe(201);
    victims = {
      members: ids.member,
      memberships: ids.membership,
      plans: ids.plan,
      staff: ids.staff,
      branches: a.branchId,
      'trainer-assignments': ids.assignment,
      devices: ids.device,
      invoices: paid.json().data.invoice.id,
      payments: paid.json().data.payment.id,
      notifications: ids.notification,
      trainer: a.ids.trainer,
    };
  });
  afterAll(() => w?.close());

  const allowed = (role: (typeof roles)[number], route: ApiRoute) => route.permission === 'authenticated' || grantFor(role, route.permission) !== null;

  it('covers every route and every role', () => {
    expect(routes.length).toBeGreaterThanOrEqual(38);
    // Each role is refused somewhere and allowed somewhere: the matrix is not all-or-nothing.
    for (const role of roles) {
      expect(routes.some((r) => allowed(role, r)), role).toBe(true);
      // Only a paired desk pushes its outbox (sync), so even the owner is refused there.
      expect(routes.some((r) => !allowed(role, r)), role).toBe(true);
    }
  });

  it('refuses with 403 FORBIDDEN exactly where the matrix says no, and writes nothing', async () => {
    const a = w.gyms.a;
    const before = await digest(w.t.owner, a.seed.scope);
    const refused = roles.flatMap((role) => routes.filter((r) => !allowed(role, r)).map((route) => ({ role, route })));
    for (const { role, route } of refused) {
      const res = await call(w.app, a.tokens[role], sampleRequest(route, victims));
      expect(res.statusCode, `${role} ${route.method} ${route.url}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    expect(await digest(w.t.owner, a.seed.scope)).toEqual(before);
  });

  it('lets every role through where the matrix says yes', async () => {
    const a = w.gyms.a;
    for (const route of routes) {
      for (const role of roles.filter((r) => allowed(r, route))) {
        const res = await call(w.app, a.tokens[role], sampleRequest(route, victims));
        expect([401, 403], `${role} ${route.method} ${route.url}: ${res.body}`).not.toContain(res.statusCode);
        expect(res.statusCode, `${role} ${route.method} ${route.url}: ${res.body}`).toBeLessThan(500);
      }
    }
  });
});
