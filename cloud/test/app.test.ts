import { AppError, ErrorCode } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../src/app.js';
import { createDb, createPool } from '../src/db/pool.js';
import type { CloudApp, Route } from '../src/http/app-types.js';
import { ok } from '../src/http/envelope.js';
import { publicRoutes } from '../src/http/routes.js';
import { type SeededGym, seedGym } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './support.js';

/** Test-only routes, registered beside the real ones. */
const testRoutes: Route = (app) => {
  app.post('/test/echo', { schema: { body: z.object({ name: z.string().min(2), plan: z.object({ months: z.number().int() }) }) } }, async (request) =>
    ok(request.body),
  );
  app.get('/test/boom', async () => {
    throw new Error('secret detail: connection string postgres://x');
  });
  app.get('/test/limited', { config: { rateLimit: { max: 1, timeWindow: '1 minute' } } }, async () => ok('fine'));
};

/** Tenant routes: list branches without filtering on gym_id; write then fail. */
const branchRoutes: Route = (app) => {
  app.get('/branches', { config: { permission: 'authenticated' } }, async (request) => ok(await request.db.selectFrom('branches').select(['gym_id', 'name']).execute()));
  app.post('/branches-then-fail', { config: { permission: 'authenticated' } }, async (request) => {
    await request.db.insertInto('branches').values({ gym_id: request.tenant.gymId, id: uuid(), name: 'Doomed', address: null, phone: null }).execute();
    throw new AppError(ErrorCode.Conflict, 'changed my mind');
  });
};

describe('cloud app', () => {
  let t: TestDatabase;
  let app: CloudApp;
  let gyms: Record<string, SeededGym>;

  beforeAll(async () => {
    t = await createTestDatabase();
    gyms = { a: await seedGym(t.api, 'alpha'), b: await seedGym(t.api, 'beta') };
    app = await buildApp({
      db: t.api,
      pool: t.apiPool,
      routes: { public: [...publicRoutes, testRoutes], tenant: [branchRoutes] },
      // Stands in for the auth layer: the caller's gym comes from a header.
      authenticate: async (request) => {
        const gym = gyms[String(request.headers['x-test-gym'])];
        if (!gym) throw new AppError(ErrorCode.Unauthenticated, 'Authentication required');
        return gym.scope;
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('answers /healthz with the success envelope', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, data: { status: 'ok' } });
  });

  it('answers an unknown route with 404 NOT_FOUND in the envelope', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ success: false, error: { code: 'NOT_FOUND', message: 'No route GET /nope', status: 404 } });
  });

  it('answers invalid input with 400 VALIDATION_ERROR and field paths', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: 'x', plan: { months: 1.5 } } });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
    expect(error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['name', 'plan.months']);
  });

  it('answers malformed JSON with a 400 in the envelope', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"name":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
  });

  it('answers an unexpected error with 500 INTERNAL, a generic message and no stack', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      success: false,
      error: { code: 'INTERNAL', message: 'Something went wrong; the request was not completed', status: 500 },
    });
    expect(res.body).not.toMatch(/secret|postgres:|at .*\.ts/);
  });

  it('rate-limits a route that opts in with 429 RATE_LIMITED', async () => {
    expect((await app.inject({ method: 'GET', url: '/test/limited' })).statusCode).toBe(200);
    const res = await app.inject({ method: 'GET', url: '/test/limited' });
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });

  it('echoes a given x-request-id and makes one when absent', async () => {
    const given = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'desk-42.req-7' } });
    expect(given.headers['x-request-id']).toBe('desk-42.req-7');
    const made = await app.inject({ method: 'GET', url: '/nope' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is ready when the database answers and every migration is applied', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, data: { status: 'ready' } });
  });

  it('is not ready when the database is unreachable, or not migrated', async () => {
    const deadPool = createPool('postgres://gymstack_api:x@127.0.0.1:1/none', { connectionTimeoutMillis: 1_000 });
    const dead = await buildApp({ db: createDb(deadPool), pool: deadPool });
    const unmigrated = await createTestDatabase({ migrate: false });
    const bare = await buildApp({ db: unmigrated.api, pool: unmigrated.apiPool });
    try {
      const down = await dead.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json().error).toEqual({ code: 'UNAVAILABLE', message: 'The database is unreachable', status: 503 });
      const behind = await bare.inject({ method: 'GET', url: '/readyz' });
      expect(behind.statusCode).toBe(503);
    } finally {
      await Promise.all([dead.close(), bare.close()]);
      await deadPool.end();
      await unmigrated.drop();
    }
  });

  it('exposes the latency histogram by route and status, and the pool gauges, on /metrics', async () => {
    await app.inject({ method: 'GET', url: '/healthz' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/healthz",status_code="200"\} \d+/);
    expect(res.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\}/);
    for (const state of ['total', 'idle', 'waiting']) expect(res.body).toContain(`gymstack_pg_pool_connections{state="${state}"}`);
  });

  it('serves OpenAPI from the route schemas at /docs/json', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'GymStack cloud API' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics', '/test/echo', '/api/v1/branches']));
    expect(doc.paths['/test/echo'].post.requestBody.content['application/json'].schema.required).toEqual(['name', 'plan']);
    expect(doc.paths['/readyz'].get.responses).toHaveProperty('503');
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  describe('tenant routes', () => {
    it('refuse a caller the auth layer does not accept, with 401 UNAUTHENTICATED', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/branches' });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    });

    it("see only the caller's gym through request.db, with no gym_id filter in the query", async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/branches', headers: { 'x-test-gym': 'b' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().data).toEqual([{ gym_id: gyms.b!.scope.gymId, name: 'Main' }]);
    });

    it('roll back everything the handler wrote when it fails', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/branches-then-fail', headers: { 'x-test-gym': 'a' } });
      expect(res.statusCode).toBe(409);
      const after = await app.inject({ method: 'GET', url: '/api/v1/branches', headers: { 'x-test-gym': 'a' } });
      expect(after.json().data).toHaveLength(1);
    });

    it('default to refusing every caller until the auth layer supplies `authenticate`', async () => {
      const bare = await buildApp({ db: t.api, pool: t.apiPool, routes: { tenant: [branchRoutes] } });
      try {
        const res = await bare.inject({ method: 'GET', url: '/api/v1/branches', headers: { 'x-test-gym': 'a' } });
        expect(res.statusCode).toBe(401);
      } finally {
        await bare.close();
      }
    });
  });

  it('finishes an in-flight request before close() resolves', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const slow: Route = (a) => {
      a.get('/test/slow', async () => {
        entered();
        await released;
        return ok('done');
      });
    };
    const server = await buildApp({ db: t.api, pool: t.apiPool, routes: { public: [slow] } });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });

    const response = fetch(`${url}/test/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await inHandler;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);

    release();
    expect(await response).toEqual({ status: 200, body: { success: true, data: 'done' } });
    await closing;
    expect(closed).toBe(true);
  });
});
