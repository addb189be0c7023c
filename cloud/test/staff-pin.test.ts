import { verify } from '@node-rs/argon2';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/permissions.js';
import { withTenant } from '../src/db/tenant.js';
import { call, createWorld, type Gym, type World } from './world.js';

// Desk PINs set through the REST API (POST and PUT /api/v1/staff): stored only as an argon2id hash that
// the desk's own `verify` accepts, never answered, audited without the PIN or the hash, and carried to the
// desks by the staff shape's change log.

interface LogEntry {
  pos: string;
  op: string;
  vals: Record<string, unknown>;
}

describe('staff desk PINs', () => {
  let w: World;
  let a: Gym;
  let seq = 0;

  async function api(role: Role, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) {
    const res = await call(w.app, a.tokens[role], { method, url, body });
    return { status: res.statusCode, text: res.body, data: res.json().data, error: res.json().error };
  }
  const email = () => `pin${++seq}@alpha.test`;

  /** The stored hash, read as the API role in gym A's scope. */
  const pinHashOf = (staffId: string) =>
    withTenant(w.t.api, a.seed.scope, async (trx) => (await trx.selectFrom('staff').select('pin_hash').where('id', '=', staffId).executeTakeFirstOrThrow()).pin_hash);
  const rowOf = (staffId: string) => withTenant(w.t.api, a.seed.scope, (trx) => trx.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirstOrThrow());

  /** The change log's entries for one staff row, oldest first. */
  const logOf = (staffId: string) =>
    withTenant(w.t.api, a.seed.scope, async (trx) => {
      const { rows } = await sql<LogEntry>`select pos::text as pos, op, vals from change_log where tbl = 'staff' and row_id = ${staffId} order by pos`.execute(trx);
      return rows;
    });
  const lastLogOf = async (staffId: string) => (await logOf(staffId)).at(-1);

  const auditOf = async (staffId: string) => (await api('owner', 'GET', `/audit-log?entity=staff&entityId=${staffId}`)).data as { action: string; old: unknown; new: unknown }[];

  /** Nothing an answer or audit row carries may reveal the PIN or its hash. */
  const expectNoSecret = (text: string, pin: string) => {
    expect(text).not.toMatch(/argon2|pin_hash|pinHash|"pin"/);
    expect(text).not.toContain(pin);
  };

  beforeAll(async () => {
    w = await createWorld();
    a = w.gyms.a;
  });
  afterAll(() => w?.close());

  it('sets a PIN on create: answered only as hasPin, stored as argon2id the desk verifies, audited and logged for desks', async () => {
    const created = await api('owner', 'POST', '/staff', { name: 'Pin Desk', role: 'frontdesk', branchIds: [a.branchId], email: email(), pin: '482916' });
    expect(created.status, created.text).toBe(201);
    expect(created.data).toMatchObject({ name: 'Pin Desk', role: 'frontdesk', hasPin: true });
    expect(Object.keys(created.data).sort()).toEqual(['active', 'branchIds', 'email', 'hasPin', 'id', 'name', 'phone', 'role']);
    expectNoSecret(created.text, '482916');

    const hash = await pinHashOf(created.data.id);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verify(hash as string, '482916')).toBe(true);
    expect(await verify(hash as string, '482917')).toBe(false);

    const audit = await auditOf(created.data.id);
    expect(audit.map((e) => e.action)).toEqual(['staff.pin', 'staff.create']);
    expect(audit[0]).toMatchObject({ old: null, new: { hasPin: true } });
    expectNoSecret(JSON.stringify(audit), '482916');

    // Desks receive the row, hash included, from the change log.
    const log = await logOf(created.data.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ op: 'insert', vals: { id: created.data.id, role: 'frontdesk', pin_hash: hash } });

    // A staff member made without a PIN has none.
    const plain = await api('owner', 'POST', '/staff', { name: 'No Pin', role: 'frontdesk', branchIds: [a.branchId], email: email() });
    expect(plain.data.hasPin).toBe(false);
    expect(await pinHashOf(plain.data.id)).toBeNull();
    expect((await auditOf(plain.data.id)).map((e) => e.action)).toEqual(['staff.create']);
  });

  it('sets, changes and clears a PIN on update; the change log carries each new hash', async () => {
    const { data: person } = await api('owner', 'POST', '/staff', { name: 'Later Pin', role: 'manager', branchIds: [a.branchId], email: email() });
    expect(person.hasPin).toBe(false);

    const set = await api('owner', 'PUT', `/staff/${person.id}`, { pin: '1357' });
    expect(set.status, set.text).toBe(200);
    expect(set.data).toMatchObject({ id: person.id, name: 'Later Pin', branchIds: [a.branchId], hasPin: true });
    expectNoSecret(set.text, '1357');
    const first = await pinHashOf(person.id);
    expect(await verify(first as string, '1357')).toBe(true);
    expect(await lastLogOf(person.id)).toMatchObject({ op: 'update', vals: { id: person.id, pin_hash: first } });

    const changed = await api('owner', 'PUT', `/staff/${person.id}`, { pin: '24680135' });
    expect(changed.data.hasPin).toBe(true);
    const second = await pinHashOf(person.id);
    expect(second).not.toBe(first);
    expect(await verify(second as string, '24680135')).toBe(true);
    expect(await verify(second as string, '1357')).toBe(false);
    expect((await lastLogOf(person.id))?.vals.pin_hash).toBe(second);

    // Other fields alone leave the PIN (and the branches) as they are.
    const renamed = await api('owner', 'PUT', `/staff/${person.id}`, { name: 'Renamed Pin' });
    expect(renamed.data).toMatchObject({ name: 'Renamed Pin', branchIds: [a.branchId], hasPin: true });
    expect(await pinHashOf(person.id)).toBe(second);
    expect((await lastLogOf(person.id))?.vals).not.toHaveProperty('pin_hash');

    const cleared = await api('owner', 'PUT', `/staff/${person.id}`, { pin: null });
    expect(cleared.status).toBe(200);
    expect(cleared.data.hasPin).toBe(false);
    expect(await pinHashOf(person.id)).toBeNull();
    expect(await lastLogOf(person.id)).toMatchObject({ op: 'update', vals: { pin_hash: null } });

    // A PIN-only change is audited as staff.pin alone; a rename as staff.update.
    const audit = await auditOf(person.id);
    expect(audit.map((e) => e.action)).toEqual(['staff.pin', 'staff.update', 'staff.pin', 'staff.pin', 'staff.create']);
    expect(audit[0]).toMatchObject({ old: { hasPin: true }, new: { hasPin: false } });
    expect(audit[3]).toMatchObject({ old: { hasPin: false }, new: { hasPin: true } });
    expect(audit[1]).toMatchObject({ old: { name: 'Later Pin', hasPin: true }, new: { name: 'Renamed Pin', hasPin: true } });
    expectNoSecret(JSON.stringify(audit), '24680135');
    expectNoSecret(JSON.stringify(audit), '1357');
  });

  it('never answers a PIN or hash in a list, and a desk receives the new hash through its staff shape', async () => {
    const { data: person } = await api('owner', 'POST', '/staff', { name: 'Shape Pin', role: 'frontdesk', branchIds: [a.branchId], email: email(), pin: '9182' });
    const list = await api('owner', 'GET', '/staff?perPage=100');
    expectNoSecret(list.text, '9182');
    expect(list.data.find((s: { id: string }) => s.id === person.id)).toMatchObject({ hasPin: true });

    const shape = (query: string) => w.app.inject({ method: 'GET', url: `/v1/shape?table=staff&${query}`, headers: { authorization: `Bearer ${a.tokens.desk}` } });
    let res = await shape('offset=-1');
    const handle = res.headers['electric-handle'] as string;
    let offset = res.headers['electric-offset'] as string;
    const snapshot = res.json() as { value: Record<string, string> }[];
    expect(snapshot.find((m) => m.value.id === person.id)?.value.pin_hash).toBe(await pinHashOf(person.id));
    // Catch up to the head, then change the PIN: the next request brings the new hash.
    while (!res.headers['electric-up-to-date']) {
      res = await shape(`offset=${offset}&handle=${handle}`);
      offset = res.headers['electric-offset'] as string;
    }
    await api('owner', 'PUT', `/staff/${person.id}`, { pin: '7364' });
    res = await shape(`offset=${offset}&handle=${handle}`);
    const updates = (res.json() as { value?: Record<string, string>; headers: { operation?: string } }[]).filter((m) => m.value?.id === person.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.headers.operation).toBe('update');
    const hash = updates[0]?.value?.pin_hash as string;
    expect(hash).toBe(await pinHashOf(person.id));
    expect(await verify(hash, '7364')).toBe(true);
  });

  it("lets a manager set the PINs of staff below them, and their own, but never an owner's or another manager's", async () => {
    const { data: owner2 } = await api('owner', 'POST', '/staff', { name: 'Branch Owner', role: 'owner', branchIds: [a.branchId], email: email() });
    const { data: peer } = await api('owner', 'POST', '/staff', { name: 'Peer Manager', role: 'manager', branchIds: [a.branchId], email: email() });
    const { data: desk } = await api('owner', 'POST', '/staff', { name: 'Managed Desk', role: 'frontdesk', branchIds: [a.branchId], email: email() });

    // Below them: allowed, and the branches stay as they were.
    const ok = await api('manager', 'PUT', `/staff/${desk.id}`, { pin: '5566' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.data).toMatchObject({ hasPin: true, branchIds: [a.branchId] });
    const made = await api('manager', 'POST', '/staff', { name: 'Manager Made', role: 'frontdesk', branchIds: [a.branchId], email: email(), pin: '6677' });
    expect(made.status, made.text).toBe(201);
    expect(await verify((await pinHashOf(made.data.id)) as string, '6677')).toBe(true);

    // An owner (one the manager can see, working at their branch) or a peer: 403, nothing written.
    const before = { owner: await rowOf(owner2.id), peer: await rowOf(peer.id) };
    for (const target of [owner2.id, peer.id]) {
      const refused = await api('manager', 'PUT', `/staff/${target}`, { pin: '1111' });
      expect(refused.status).toBe(403);
      expect(refused.error.code).toBe('FORBIDDEN');
    }
    expect(await rowOf(owner2.id)).toEqual(before.owner);
    expect(await rowOf(peer.id)).toEqual(before.peer);
    const ownerMade = await api('manager', 'POST', '/staff', { name: 'Made Owner', role: 'owner', branchIds: [a.branchId], email: email(), pin: '2222' });
    expect(ownerMade.status).toBe(403);
    expect(ownerMade.error.code).toBe('FORBIDDEN');
    // The gym's owner works at every branch, so is out of a branch manager's scope altogether: 404, as any unseen row.
    expect((await api('manager', 'PUT', `/staff/${a.ids.owner}`, { pin: '3333' })).status).toBe(404);
    expect(await pinHashOf(a.ids.owner)).toBeNull();

    // Their own PIN, as at the desk; but not their own details along with it.
    const own = await api('manager', 'PUT', `/staff/${a.ids.manager}`, { pin: '8080' });
    expect(own.status, own.text).toBe(200);
    expect(await verify((await pinHashOf(a.ids.manager)) as string, '8080')).toBe(true);
    expect((await api('manager', 'PUT', `/staff/${a.ids.manager}`, { pin: '9090', name: 'Promoted' })).status).toBe(403);
    expect(await verify((await pinHashOf(a.ids.manager)) as string, '8080')).toBe(true);

    // A desk token, a frontdesk and a trainer may not change staff at all.
    for (const role of ['desk', 'frontdesk', 'trainer'] as const) {
      const res = await api(role, 'PUT', `/staff/${desk.id}`, { pin: '4444' });
      expect(res.status, role).toBe(403);
    }
    expect(await verify((await pinHashOf(desk.id)) as string, '5566')).toBe(true);
  });

  it('answers 400 VALIDATION_ERROR at `pin` for a PIN the desk would refuse, writing nothing', async () => {
    const { data: person } = await api('owner', 'POST', '/staff', { name: 'Bad Pin', role: 'frontdesk', branchIds: [a.branchId], email: email(), pin: '1234' });
    const before = await rowOf(person.id);
    const logBefore = await logOf(person.id);
    for (const pin of ['12', '123456789', 'abcd', '12 34', 1234, '']) {
      const put = await api('owner', 'PUT', `/staff/${person.id}`, { pin });
      expect(put.status, String(pin)).toBe(400);
      expect(put.error.code).toBe('VALIDATION_ERROR');
      expect(put.error.issues.map((i: { path: string }) => i.path)).toEqual(['pin']);
      const post = await api('owner', 'POST', '/staff', { name: 'Never Made', role: 'frontdesk', branchIds: [a.branchId], email: email(), pin });
      expect(post.status, String(pin)).toBe(400);
      expect(post.error.issues.map((i: { path: string }) => i.path)).toEqual(['pin']);
    }
    expect((await api('owner', 'PUT', `/staff/${person.id}`, { pin: '12' })).error.issues[0].message).toBe('PIN must be 4 to 8 digits');
    expect(await rowOf(person.id)).toEqual(before);
    expect(await logOf(person.id)).toEqual(logBefore);
    const staff = await api('owner', 'GET', '/staff?perPage=100');
    expect(staff.data.some((s: { name: string }) => s.name === 'Never Made')).toBe(false);
  });
});
