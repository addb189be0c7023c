import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { type ApiRoute, digest } from './api-routes.js';
import { sampleRequest, type Targets } from './samples.js';
import { call, createWorld, type Gym, type World } from './world.js';

/**
 * Tenant isolation through the API (RLS itself is isolation.test.ts): every tenant route, called by gym A's
 * owner (the widest grant) with gym B's ids, answers 404 exactly as for an id that never existed; routes
 * that name no row answer about gym A only; and gym B's rows are byte-for-byte unchanged.
 */
describe('tenant isolation over the API', () => {
  let w: World;
  let routes: ApiRoute[];
  let b: Gym;
  let targetsB: Targets;

  beforeAll(async () => {
    w = await createWorld();
    routes = w.routes;
    b = w.gyms.b;
    const assignment = await withTenant(w.t.api, b.seed.scope, (trx) => trx.selectFrom('trainer_assignments').select('id').executeTakeFirstOrThrow());
    // Dead-lettered, so gym A's retry would change it if it could reach it.
    const notification = await withTenant(w.t.api, b.seed.scope, (trx) => trx.updateTable('notifications').set({ status: 'dead' }).returning('id').executeTakeFirstOrThrow());
    const payment = await withTenant(w.t.api, b.seed.scope, (trx) => trx.selectFrom('payments').select('id').executeTakeFirstOrThrow());
    const invoice = await withTenant(w.t.api, b.seed.scope, (trx) => trx.selectFrom('invoices').select('id').executeTakeFirstOrThrow());
    targetsB = {
      members: b.ids.member,
      memberships: b.ids.membership,
      plans: b.ids.plan,
      staff: b.ids.trainer,
      branches: b.branchId,
      'trainer-assignments': assignment.id,
      devices: b.ids.device,
      invoices: invoice.id,
      payments: payment.id,
      notifications: notification.id,
      trainer: b.ids.trainer,
    };
  });
  afterAll(() => w?.close());

  it("answers gym B's ids with 404, never reveals gym B, and changes nothing there", async () => {
    const before = await digest(w.t.owner, b.seed.scope);
    const secrets = [b.gymId, b.ids.member, b.ids.owner, b.branchId, 'beta'];
    for (const route of routes) {
      const request = sampleRequest(route, targetsB);
      const res = await call(w.app, w.gyms.a.tokens.owner, request);
      const what = `${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (request.namesRows) {
        expect(res.statusCode, what).toBe(404);
        expect(res.json().error.code, what).toBe('NOT_FOUND');
      } else {
        expect(res.statusCode, what).toBeLessThan(500);
      }
      for (const secret of secrets) expect(res.body, what).not.toContain(secret);
    }
    expect(await digest(w.t.owner, b.seed.scope)).toEqual(before);
  });

  it("answers an unknown id exactly like another gym's: no existence leak", async () => {
    const a = w.gyms.a.tokens.owner;
    const missing = '019a0000-0000-7000-8000-000000000000';
    for (const [path, otherGyms] of [
      ['/members/', b.ids.member],
      ['/plans/', b.ids.plan],
      ['/members/:id/payments', b.ids.member],
      ['/invoices/:id/pdf', targetsB.invoices],
    ] as const) {
      const url = (id: string) => (path.includes(':id') ? path.replace(':id', id) : `${path}${id}`);
      const other = await call(w.app, a, { method: 'GET', url: url(otherGyms) });
      const none = await call(w.app, a, { method: 'GET', url: url(missing) });
      expect(other.statusCode).toBe(404);
      expect(other.json()).toEqual(none.json());
    }
  });
});
