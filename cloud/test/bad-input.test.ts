import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digest } from './api-routes.js';
import { call, createWorld, type World } from './world.js';

/** Anything but a UUIDv7: every `:id` is one. */
const notAnId = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.uuid({ version: 4 }), fc.integer().map(String)).filter((s) => s.trim() !== '');

/** Every field name a body schema has; each gets a value no schema accepts for it. */
const fieldNames = [
  'name', 'fullName', 'phone', 'email', 'branchId', 'branchIds', 'memberId', 'planId', 'membershipId', 'trainerId', 'method',
  'amountPaise', 'reference', 'from', 'to', 'reason', 'role', 'password', 'timeZone', 'stateCode', 'gstin', 'legalName',
  'address', 'antiPassbackMinutes', 'duesBlockPaise', 'discountPaise', 'start', 'payment', 'duration', 'pricePaise',
  'access', 'credential', 'memberCode', 'graceDays', 'currentPassword', 'newPassword',
];
const badValue = fc.oneof(fc.integer({ min: -1_000_000, max: -1 }), fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), fc.constant({ nested: true }));
const badObject = fc.dictionary(fc.constantFrom(...fieldNames), badValue, { minKeys: 1, maxKeys: 4 });
const notAnObject = fc.oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.integer(), fc.string(), fc.boolean(), fc.constant(null));
/** Raw request text: malformed JSON, or JSON of the wrong shape. */
const badBody = fc.oneof(
  badObject.map((v) => JSON.stringify(v)),
  notAnObject.map((v) => JSON.stringify(v)),
  fc.constantFrom('{', '{"name":', '[1,', 'nul', '{"a":1}}'),
);
const queryKeys = ['page', 'perPage', 'status', 'hasDues', 'expiringWithinDays', 'q', 'branchId', 'includeArchived', 'entity', 'entityId', 'trainerId', 'memberId'];
const badQuery = fc.dictionary(fc.constantFrom(...queryKeys), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('-1', '0', '1e9', 'yes', '999999999')), { maxKeys: 3 });

/** The failure envelope: a code, a message, and for invalid fields their paths. */
function expectFailure(res: LightMyRequestResponse, what: string): void {
  const { success, error } = res.json();
  expect(success, what).toBe(false);
  expect(error.code, what).toMatch(/^[A-Z_]+$/);
  expect(error.message.length, what).toBeGreaterThan(0);
  if (error.code === 'VALIDATION_ERROR') {
    expect(error.issues.length, what).toBeGreaterThan(0);
    for (const issue of error.issues) expect(typeof issue.path, what).toBe('string');
  }
}

describe('bad input', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(() => w?.close());

  it('never gets a 5xx, never writes, and every failure carries a code and a message', async () => {
    const a = w.gyms.a;
    const before = await digest(w.t.owner, a.seed.scope);
    const routes = w.routes;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), notAnId, badBody, badQuery, async (route, id, body, query) => {
        const url = `/api/v1${route.url.replace(':id', encodeURIComponent(id))}?${new URLSearchParams(query)}`;
        const res = await w.app.inject({
          method: route.method,
          url,
          headers: { authorization: `Bearer ${a.tokens.owner}`, 'content-type': 'application/json' },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: body }),
        });
        const what = `${route.method} ${url} ${body}: ${res.statusCode} ${res.body.slice(0, 300)}`;
        expect(res.statusCode, what).toBeLessThan(500);
        // Only a list can take junk and still answer; anything that would write must refuse.
        if (route.method !== 'GET' || route.url.includes(':id')) expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
        if (res.statusCode >= 400) expectFailure(res, what);
      }),
      { numRuns: 400 },
    );
    expect(await digest(w.t.owner, a.seed.scope)).toEqual(before);
  });

  it('names the invalid fields by path: body fields, query.x, params.x', async () => {
    const owner = w.gyms.a.tokens.owner;
    const paths = async (res: Promise<LightMyRequestResponse>) => (await res).json().error.issues.map((i: { path: string }) => i.path).sort();
    expect(await paths(call(w.app, owner, { method: 'POST', url: '/members', body: { fullName: '', phone: '12', emergencyContact: { name: 'A', phone: 'x' } } }))).toEqual([
      'emergencyContact.phone',
      'fullName',
      'phone',
    ]);
    expect(await paths(call(w.app, owner, { method: 'GET', url: '/members?perPage=0' }))).toEqual(['query.perPage']);
    expect(await paths(call(w.app, owner, { method: 'GET', url: '/members/42' }))).toEqual(['params.id']);
    expect(await paths(call(w.app, owner, { method: 'PUT', url: '/gym/config', body: { colour: 'red' } }))).toEqual(['']);
  });
});
