import type { LightMyRequestResponse } from 'fastify';
import { v7 as uuid } from 'uuid';
import { buildApp } from '../src/app.js';
import type { Role } from '../src/auth/permissions.js';
import { withTenant } from '../src/db/tenant.js';
import type { CloudApp } from '../src/http/app-types.js';
import { tenantRoutes } from '../src/http/routes.js';
import { razorpayConnector } from '../src/razorpay/gateway.js';
import { type ApiRoute, routeCollector } from './api-routes.js';
import { accessTokenFor, testAuth } from './auth-support.js';
import { type FakeRazorpay, startFakeRazorpay } from './fake-razorpay.js';
import { fixtureRazorpayKeys, type SeededGym, seedGym } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './support.js';

/** A seeded gym as the API suites see it: its ids and a real access token for every role. */
export interface Gym {
  seed: SeededGym;
  gymId: string;
  branchId: string;
  /** A second branch, out of the desk's and the frontdesk's reach. */
  otherBranchId: string;
  ids: { owner: string; manager: string; frontdesk: string; trainer: string; member: string; device: string; plan: string; membership: string };
  tokens: Record<Role, string>;
}

export interface World {
  t: TestDatabase;
  app: CloudApp;
  gyms: { a: Gym; b: Gym };
  /** Every tenant route of the app (routes.ts), as registered. */
  routes: ApiRoute[];
  /** The stand-in for Razorpay's API that the app's gateways call. */
  razorpay: FakeRazorpay;
  close(): Promise<void>;
}

/** Loads the fixture's ids and adds what the role tests need: a manager, a frontdesk and a second branch. */
async function prepareGym(t: TestDatabase, label: string): Promise<Gym> {
  const seed = await seedGym(t.api, label);
  const { gymId } = seed.scope;
  const manager = uuid();
  const frontdesk = uuid();
  const otherBranchId = uuid();
  const found = await withTenant(t.api, seed.scope, async (trx) => {
    await trx.insertInto('branches').values({ gym_id: gymId, id: otherBranchId, name: 'Second', address: null, phone: null }).execute();
    const staff = (role: 'manager' | 'frontdesk', id: string) => ({
      gym_id: gymId,
      id,
      name: `${label} ${role}`,
      email: `${role}@${label}.test`,
      phone: null,
      password_hash: null,
      pin_hash: null,
      role,
      branch_ids: [seed.branchId],
      password_changed_at: null,
    });
    await trx.insertInto('staff').values([staff('manager', manager), staff('frontdesk', frontdesk)]).execute();
    // The fixture stores its membership's plan snapshot with column names; the API reads the shared shape.
    const plan = await trx.selectFrom('plans').selectAll().executeTakeFirstOrThrow();
    const snapshot = {
      name: plan.name,
      duration: plan.duration,
      pricePaise: plan.price_paise,
      taxInclusive: plan.tax_inclusive,
      gstRateBps: plan.gst_rate_bps,
      sac: plan.sac,
      access: plan.access,
      maxFreezeDays: plan.max_freeze_days,
      ptSessions: plan.pt_sessions,
    };
    await trx.updateTable('memberships').set({ plan: snapshot }).execute();
    const one = async (table: 'devices' | 'plans' | 'memberships') => (await trx.selectFrom(table).select('id').executeTakeFirstOrThrow()).id;
    const trainer = await trx.selectFrom('staff').select('id').where('role', '=', 'trainer').executeTakeFirstOrThrow();
    return { trainer: trainer.id, device: await one('devices'), plan: await one('plans'), membership: await one('memberships') };
  });
  const ids = { owner: seed.scope.userId, manager, frontdesk, member: seed.memberId, ...found };
  const branchIds = [seed.branchId];
  const tokens: Record<Role, string> = {
    owner: await accessTokenFor({ gymId, userId: ids.owner, role: 'owner' }),
    manager: await accessTokenFor({ gymId, userId: manager, role: 'manager', branchIds }),
    frontdesk: await accessTokenFor({ gymId, userId: frontdesk, role: 'frontdesk', branchIds }),
    trainer: await accessTokenFor({ gymId, userId: ids.trainer, role: 'trainer', branchIds }),
    member: await accessTokenFor({ gymId, userId: ids.member, role: 'member', memberId: ids.member }),
    desk: await accessTokenFor({ gymId, userId: ids.device, role: 'desk', deviceId: ids.device, branchIds }),
  };
  return { seed, gymId, branchId: seed.branchId, otherBranchId, ids, tokens };
}

/** A fresh database, two gyms and the real app (real tokens through the real `authenticate`). */
export async function createWorld(): Promise<World> {
  const t = await createTestDatabase();
  const gyms = { a: await prepareGym(t, 'alpha'), b: await prepareGym(t, 'beta') };
  const routes: ApiRoute[] = [];
  const razorpay = await startFakeRazorpay(fixtureRazorpayKeys);
  const app = await buildApp({
    db: t.api,
    pool: t.apiPool,
    auth: testAuth(),
    routes: { tenant: [routeCollector(routes), ...tenantRoutes] },
    razorpay: razorpayConnector(razorpay.url),
  });
  return {
    t,
    app,
    routes,
    gyms,
    razorpay,
    async close() {
      await app.close();
      await razorpay.close();
      await t.drop();
    },
  };
}

export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
}

/** Calls the API as `token`. */
export function call(app: CloudApp, token: string, { method, url, body }: Call): Promise<LightMyRequestResponse> {
  return app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
}
