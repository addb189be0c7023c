import { isChangeMessage, isControlMessage, type Message, type Row, ShapeStream } from '@electric-sql/client';
import { sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { buildApp } from '../src/app.js';
import { createDb, createPool } from '../src/db/pool.js';
import { withTenant } from '../src/db/tenant.js';
import { SNAPSHOT_CHUNK_ROWS } from '../src/http/get-shape.js';
import { compactChangeLog } from '../src/sync/change-log.js';
import { SHAPE_TABLES } from '../src/sync/shape-protocol.js';
import { testAuth } from './auth-support.js';
import { createWorld, type Gym, type World } from './world.js';

// GET /v1/shape driven by the real @electric-sql/client ShapeStream against the real app on a port.

let world: World;
let base: string;

async function addMembers(gym: Gym, count: number, prefix: string): Promise<void> {
  await withTenant(world.t.api, gym.seed.scope, async (trx) => {
    for (let start = 0; start < count; start += 500) {
      const rows = Array.from({ length: Math.min(500, count - start) }, (_, i) => ({
        gym_id: gym.gymId,
        id: uuid(),
        branch_id: gym.branchId,
        code: `${prefix}${start + i}`,
        full_name: `${prefix} Member ${start + i}`,
        phone: `+91${prefix === 'A' ? 7 : 6}${String(start + i).padStart(9, '0')}`,
        email: null,
        date_of_birth: null,
        gender: null,
        emergency_contact: null,
        medical_notes: null,
        goal: null,
        source: null,
        state_code: null,
      }));
      await trx.insertInto('members').values(rows).execute();
    }
  });
}

interface Collected {
  rows: Map<string, Row>;
  batches: Message<Row>[][];
  stream: ShapeStream<Row>;
  controller: AbortController;
  /** Resolves at the next up-to-date after the call (or a must-refetch when asked). */
  next(what?: 'up-to-date' | 'must-refetch'): Promise<Message<Row>[]>;
  requests: URL[];
}

/** A ShapeStream as a desk would run it, applying every message to a map. */
function follow(token: string, table: string, resume: { offset?: string; handle?: string } = {}): Collected {
  const controller = new AbortController();
  const requests: URL[] = [];
  const fetchClient: typeof fetch = (input, init) => {
    requests.push(new URL(input instanceof Request ? input.url : input.toString()));
    return fetch(input, init);
  };
  const stream = new ShapeStream<Row>({
    url: `${base}/v1/shape`,
    params: { table },
    headers: { Authorization: `Bearer ${token}` },
    signal: controller.signal,
    fetchClient,
    ...(resume.offset ? { offset: resume.offset as `${number}_${number}` } : {}),
    ...(resume.handle ? { handle: resume.handle } : {}),
  });
  const rows = new Map<string, Row>();
  const batches: Message<Row>[][] = [];
  const waiters: { what: string; resolve: (batch: Message<Row>[]) => void; seen: Message<Row>[] }[] = [];
  stream.subscribe(
    (messages) => {
      batches.push(messages);
      for (const m of messages) {
        if (isChangeMessage(m)) {
          if (m.headers.operation === 'delete') rows.delete(m.key);
          else rows.set(m.key, { ...(rows.get(m.key) ?? {}), ...m.value });
        } else if (m.headers.control === 'must-refetch') rows.clear();
      }
      for (const w of [...waiters]) {
        w.seen.push(...messages);
        if (messages.some((m) => isControlMessage(m) && m.headers.control === w.what)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(w.seen);
        }
      }
    },
    () => undefined,
  );
  return {
    rows,
    batches,
    stream,
    controller,
    requests,
    next: (what = 'up-to-date') => new Promise((resolve) => waiters.push({ what, resolve, seen: [] })),
  };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);
}

const get = (path: string, token?: string) => fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

beforeAll(async () => {
  world = await createWorld();
  await addMembers(world.gyms.a, SNAPSHOT_CHUNK_ROWS * 2 + 300, 'A');
  await addMembers(world.gyms.b, SNAPSHOT_CHUNK_ROWS + 500, 'B');
  base = await world.app.listen({ port: 0, host: '127.0.0.1' });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('GET /v1/shape with the real ShapeStream', () => {
  it('snapshots in chunks, then follows inserts, updates and soft deletes live, and resumes from a stored offset', async () => {
    const { a } = world.gyms;
    const desk = follow(a.tokens.desk, 'members');
    await within(desk.next(), 20_000, 'the snapshot');
    expect(desk.rows.size).toBe(SNAPSHOT_CHUNK_ROWS * 2 + 300 + 1);
    for (const row of desk.rows.values()) expect(row.gym_id).toBe(a.gymId);
    // offset=-1, then at least two chunk continuations, then the request that ends up-to-date.
    expect(desk.requests[0]?.searchParams.get('offset')).toBe('-1');
    expect(desk.requests.filter((u) => /^\d+_[1-9]\d*$/.test(u.searchParams.get('offset') ?? '')).length).toBeGreaterThanOrEqual(2);
    const first = desk.rows.get(`"public"."members"/"${a.ids.member}"`);
    expect(first).toMatchObject({ id: a.ids.member, code: 'GS1001', date_of_birth: '1990-04-01', deleted_at: null });

    // Live: an insert, an update and a soft delete arrive within the long poll.
    const live = within(desk.next(), 15_000, 'live changes');
    const added = uuid();
    await withTenant(world.t.api, a.seed.scope, async (trx) => {
      await trx
        .insertInto('members')
        .values({ gym_id: a.gymId, id: added, branch_id: a.branchId, code: 'LIVE1', full_name: 'Live One', phone: '+918000000001', email: null, date_of_birth: null, gender: null, emergency_contact: { name: 'X', phone: '+918000000009' }, medical_notes: null, goal: null, source: null, state_code: null })
        .execute();
    });
    let seen = await live;
    expect(seen.filter(isChangeMessage).map((m) => [m.key, m.headers.operation])).toEqual([[`"public"."members"/"${added}"`, 'insert']]);
    expect(desk.rows.get(`"public"."members"/"${added}"`)).toMatchObject({ full_name: 'Live One', emergency_contact: { name: 'X', phone: '+918000000009' } });

    const changes = within(desk.next(), 15_000, 'update and delete');
    await withTenant(world.t.api, a.seed.scope, async (trx) => {
      await trx.updateTable('members').set({ full_name: 'Live Renamed' }).where('id', '=', added).execute();
      await trx.updateTable('members').set({ deleted_at: new Date() }).where('id', '=', a.ids.member).execute();
    });
    seen = await changes;
    const ops = seen.filter(isChangeMessage).map((m) => m.headers.operation);
    expect(ops).toEqual(['update', 'delete']);
    const update = seen.find((m) => isChangeMessage(m) && m.headers.operation === 'update');
    expect(update && isChangeMessage(update) ? Object.keys(update.value).sort() : []).toEqual(['full_name', 'id']);
    expect(desk.rows.get(`"public"."members"/"${added}"`)?.full_name).toBe('Live Renamed');
    expect(desk.rows.has(`"public"."members"/"${a.ids.member}"`)).toBe(false);

    // Stop, store offset and handle, change things, resume: only the news arrive.
    const offset = desk.stream.lastOffset;
    const handle = desk.stream.shapeHandle as string;
    desk.controller.abort();
    await withTenant(world.t.api, a.seed.scope, (trx) => trx.updateTable('members').set({ goal: 'strength' }).where('id', '=', added).execute());
    const resumed = follow(a.tokens.desk, 'members', { offset, handle });
    seen = await within(resumed.next(), 15_000, 'the resumed stream');
    expect(seen.filter(isChangeMessage).map((m) => [m.headers.operation, m.value.goal])).toEqual([['update', 'strength']]);
    expect(resumed.requests[0]?.searchParams.get('offset')).toBe(offset);
    resumed.controller.abort();

    // Compaction past the stored offset: 409 must-refetch, then a full re-sync with a new handle.
    const stale = { offset: resumed.stream.lastOffset, handle: resumed.stream.shapeHandle as string };
    await withTenant(world.t.api, a.seed.scope, (trx) => trx.updateTable('members').set({ goal: 'cardio' }).where('id', '=', added).execute());
    await compactChangeLog(world.t.api, a.seed.scope, 1n << 62n);
    const refetch = await get(`/v1/shape?table=members&offset=${stale.offset}&handle=${stale.handle}`, a.tokens.desk);
    expect(refetch.status).toBe(409);
    expect(await refetch.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
    expect(refetch.headers.get('electric-handle')).not.toBe(stale.handle);
    const again = follow(a.tokens.desk, 'members', stale);
    await within(again.next('must-refetch'), 15_000, 'must-refetch');
    await within(again.next(), 20_000, 'the re-sync');
    expect(again.rows.size).toBe(SNAPSHOT_CHUNK_ROWS * 2 + 300 + 1); // one added, one deleted
    expect(again.rows.get(`"public"."members"/"${added}"`)?.goal).toBe('cardio');
    expect(again.stream.shapeHandle).not.toBe(stale.handle);
    again.controller.abort();
  }, 90_000);

  it('wakes a waiting live request with 409 when the handle changes under it', async () => {
    const { a } = world.gyms;
    const first = await get('/v1/shape?table=plans&offset=-1', a.tokens.desk);
    const handle = first.headers.get('electric-handle') as string;
    const caught = await get(`/v1/shape?table=plans&offset=${first.headers.get('electric-offset')}&handle=${handle}`, a.tokens.desk);
    expect(caught.headers.get('electric-up-to-date')).not.toBeNull();
    const waiting = get(`/v1/shape?table=plans&offset=${caught.headers.get('electric-offset')}&handle=${handle}&live=true&cursor=1`, a.tokens.desk);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await withTenant(world.t.api, a.seed.scope, (trx) => sql`select change_log_resnapshot('plans')`.execute(trx));
    const answer = await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer.status).toBe(409);
    expect(await answer.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
    expect(answer.headers.get('electric-handle')).not.toBe(handle);
  });

  it('answers protocol headers and typed values the client parses', async () => {
    const { a } = world.gyms;
    const res = await get('/v1/shape?table=member_credentials&offset=-1', a.tokens.desk);
    expect(res.status).toBe(200);
    for (const h of ['electric-handle', 'electric-offset', 'electric-schema']) expect(res.headers.get(h)).not.toBeNull();
    expect(res.headers.get('access-control-expose-headers')).toContain('electric-offset');
    const schema = JSON.parse(res.headers.get('electric-schema') as string) as Record<string, { type: string; pk_index?: number }>;
    expect(schema.id).toMatchObject({ type: 'uuid', pk_index: 0 });
    expect(schema.template?.type).toBe('bytea');
    const body = (await res.json()) as { key: string; value: Record<string, string>; headers: { operation: string } }[];
    expect(body[0]?.value.template).toBe(`\\x${Buffer.from('ciphertext').toString('hex')}`);
    expect(body[0]?.headers.operation).toBe('insert');
    expect(body.some((m) => 'control' in m.headers)).toBe(false); // the -1 snapshot carries no up-to-date

    // Invoices come whole, their printed document (snapshot) included, so a desk can reprint any of them.
    const invoices = await get('/v1/shape?table=invoices&offset=-1', a.tokens.desk);
    expect(JSON.parse(invoices.headers.get('electric-schema') as string).snapshot).toMatchObject({ type: 'jsonb', not_null: true });
    const invoiceRows = (await invoices.json()) as { value: Record<string, string> }[];
    expect(invoiceRows[0]?.value).toMatchObject({ number: 'D1/26-27/0001', snapshot: '{}' });

    const staff = await get('/v1/shape?table=staff&offset=-1', a.tokens.desk);
    const staffRows = (await staff.json()) as { value: Record<string, string> }[];
    expect(Object.keys(staffRows[0]?.value ?? {})).not.toContain('password_hash');
    expect(Object.keys(staffRows[0]?.value ?? {})).toContain('pin_hash');
    expect(['t', 'f']).toContain(staffRows[0]?.value.active);

    // Through the client: bool and int4 parse to booleans and numbers.
    const plans = follow(a.tokens.desk, 'plans');
    await within(plans.next(), 15_000, 'plans');
    const plan = [...plans.rows.values()][0];
    expect(plan?.tax_inclusive).toBe(true);
    expect(plan?.gst_rate_bps).toBe(1800);
    plans.controller.abort();
  });

  it('refuses bad requests: malformed offset, a where clause, no token, a staff token', async () => {
    const { a } = world.gyms;
    expect((await get('/v1/shape?table=members&offset=abc&handle=x', a.tokens.desk)).status).toBe(400);
    expect((await get('/v1/shape?table=members&offset=1_2_3&handle=x', a.tokens.desk)).status).toBe(400);
    expect((await get('/v1/shape?table=members&offset=-1&where=true', a.tokens.desk)).status).toBe(400);
    expect((await get('/v1/shape?table=devices&offset=-1', a.tokens.desk)).status).toBe(400);
    expect((await get('/v1/shape?table=members&offset=-1')).status).toBe(401);
    expect((await get('/v1/shape?table=members&offset=-1', a.tokens.owner)).status).toBe(403);
  });

  it("never gives a desk of gym A a row of gym B, whatever table, offset, handle or where", async () => {
    const { a, b } = world.gyms;
    const bIds = new Set<string>([b.gymId]);
    const bHandles: string[] = [];
    for (const table of SHAPE_TABLES.keys()) {
      const res = await get(`/v1/shape?table=${table}&offset=-1`, b.tokens.desk);
      bHandles.push(res.headers.get('electric-handle') as string);
    }
    for (const table of SHAPE_TABLES.keys()) {
      const stream = follow(a.tokens.desk, table);
      await within(stream.next(), 20_000, `${table} for A`);
      stream.controller.abort();
      for (const row of stream.rows.values()) {
        expect(row[table === 'gyms' ? 'id' : 'gym_id']).toBe(a.gymId);
        expect(bIds.has(String(row.id))).toBe(false);
      }
      const probes = [
        `offset=-1&where=gym_id%20is%20not%20null`,
        `offset=0_0&handle=${bHandles[0]}`,
        `offset=0_1&handle=${bHandles[0]}`,
        `offset=-1&handle=${bHandles[0]}`,
        `offset=0_0&handle=${bHandles[0]}&live=true&cursor=0`,
      ];
      for (const probe of probes) {
        const res = await get(`/v1/shape?table=${table}&${probe}`, a.tokens.desk);
        const text = await res.text();
        expect(text).not.toContain(b.gymId);
      }
    }
  }, 60_000);

  it('keeps commit order: a slow transaction holding a log position is never skipped', async () => {
    const { a } = world.gyms;
    const start = await get('/v1/shape?table=checkouts&offset=-1', a.tokens.desk);
    const handle = start.headers.get('electric-handle') as string;
    let offset = start.headers.get('electric-offset') as string;
    const drain = async () => {
      const ids: string[] = [];
      for (;;) {
        const res = await get(`/v1/shape?table=checkouts&offset=${offset}&handle=${handle}`, a.tokens.desk);
        const body = (await res.json()) as { value?: { id: string }; headers: { control?: string } }[];
        offset = res.headers.get('electric-offset') as string;
        ids.push(...body.flatMap((m) => (m.value ? [m.value.id] : [])));
        if (res.headers.get('electric-up-to-date')) return ids;
      }
    };
    await drain();

    const checkout = (id: string) => ({ gym_id: a.gymId, id, branch_id: a.branchId, member_id: a.ids.member, at: new Date(), device_id: null, staff_id: null });
    const slow = uuid();
    const fast = uuid();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let slowWrote!: () => void;
    const wrote = new Promise<void>((r) => (slowWrote = r));
    const slowTx = withTenant(world.t.api, a.seed.scope, async (trx) => {
      await trx.insertInto('checkouts').values(checkout(slow)).execute(); // takes its log position now
      slowWrote();
      await held; // ... and commits only later
    });
    await wrote;
    let fastDone = false;
    const fastTx = withTenant(world.t.api, a.seed.scope, (trx) => trx.insertInto('checkouts').values(checkout(fast)).execute()).then(() => {
      fastDone = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    // The fast writer waits for the slow one's position to commit; a reader meanwhile sees neither.
    expect(fastDone).toBe(false);
    expect(await drain()).toEqual([]);
    release();
    await Promise.all([slowTx, fastTx]);
    expect(await drain()).toEqual([slow, fast]);
  });

  it('on shutdown waits for a live request whose desk went away, so the database outlives it', async () => {
    const { a } = world.gyms;
    // The app's own pool of one connection, ended after the app as the server closes its database.
    const pool = createPool(world.t.urls.api, { max: 1 });
    const errors: string[] = [];
    const logs = new Writable({
      write(line: Buffer, _encoding, done) {
        if ((JSON.parse(line.toString()) as { level: number }).level >= 50) errors.push(line.toString());
        done();
      },
    });
    const app = await buildApp({ db: createDb(pool), pool, auth: testAuth(), logger: { level: 'error', stream: logs } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const at = (path: string, signal?: AbortSignal) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${a.tokens.desk}` }, ...(signal ? { signal } : {}) });
    const first = await at('/v1/shape?table=plans&offset=-1');
    const handle = first.headers.get('electric-handle') as string;
    const caught = await at(`/v1/shape?table=plans&offset=${first.headers.get('electric-offset')}&handle=${handle}`);
    const leave = new AbortController();
    const waiting = at(`/v1/shape?table=plans&offset=${caught.headers.get('electric-offset')}&handle=${handle}&live=true&cursor=1`, leave.signal).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 300));
    // The request's last look at the log must wait for the one connection, held here.
    const held = await pool.connect();
    leave.abort(); // a desk shutting down first (as `npm start` stops the desk, then the cloud)
    expect(await waiting).toBe('aborted');
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(closed).toBe(false);
    held.release();
    await closing;
    await pool.end();
    expect(errors).toEqual([]);
  });
});
