/**
 * Desks that are away for long, or out of step (DESIGN 6, "what every sync test must cover"): a desk
 * thirty days offline with 20,000 pending mutations, a cloud that compacted its log past a desk's
 * offsets while the desk held local writes, two gyms that never see each other's rows, desk clocks a
 * day fast and a day slow, and a desk whose app speaks a sync schema the cloud no longer takes.
 * Every test ends with exact counts in the cloud and equal digests on every desk of the gym.
 */
import { type PushRequest, SYNC_SCHEMA_VERSION, addDays } from '@gymstack/shared';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TenantScope } from '../../cloud/src/db/tenant.js';
import { compactChangeLog } from '../../cloud/src/sync/change-log.js';
import { DB_FILE } from '../../desktop/src/core/init.js';
import { SYNCED_TABLES } from '../../desktop/src/core/sync/tables.js';
import { type CloudProcess, createCloudDatabase, startCloudProcess } from './cloud-process.js';
import { type DeskOptions, type SyncDesk, eventually, loginOwner, pairDesk, settled } from './desk.js';
import { cloudDigests } from './digest.js';
import { type OnboardedGym, createPlan, onboardGym, pairingCode } from './gym.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Desk A's outbox after thirty days away. */
const OFFLINE_MUTATIONS = 20_000;
/** Desk A's clock moves this much per mutation made offline: 20,000 of them span a little over 30 days. */
const STEP_MS = 130_000;
const ANNUAL_PAISE = 1_200_000;

let database: Awaited<ReturnType<typeof createCloudDatabase>>;
let cloud: CloudProcess;
let admin: pg.Client;
const desks: SyncDesk[] = [];

/** Gym A: desk A (its clock and network under the test's control) and desk B (real clock). */
let gymA: OnboardedGym;
let annualA: string;
let a: SyncDesk;
let b: SyncDesk;
/** Desk A's clock is real time plus this: it starts a month (and a day) back, and moves as the test says. */
let aOffsetMs = -(OFFLINE_MUTATIONS * STEP_MS) - DAY;
/** Members sold an annual plan on desk A while it was online. */
const roster: string[] = [];

let phone = 0;
const nextPhone = () => `+9197${String(10_000_000 + ++phone).slice(-8)}`;

/**
 * A desk's fetch with the test's hands on it: it records which tables got 409 must-refetch, can hold
 * pushes (they wait, then go through) and can make the desk speak another sync schema version.
 */
function deskNetwork() {
  let held: { promise: Promise<void>; release: () => void } | null = null;
  const net = {
    refetched: new Set<string>(),
    /** The schema version the desk's pushes carry instead of its own; null: its own. */
    schemaVersion: null as number | null,
    hold(): void {
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      held = { promise, release };
    },
    release(): void {
      held?.release();
      held = null;
    },
    fetch: (async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/api/v1/sync/push') {
        if (held) await held.promise;
        if (net.schemaVersion !== null) init = { ...init, body: JSON.stringify({ ...(JSON.parse(String(init?.body)) as PushRequest), schemaVersion: net.schemaVersion }) };
      }
      const response = await fetch(input, init);
      if (url.pathname === '/v1/shape' && response.status === 409) net.refetched.add(url.searchParams.get('table') ?? '?');
      return response;
    }) as typeof fetch,
  };
  return net;
}
const aNet = deskNetwork();

async function pair(gym: OnboardedGym, name: string, options: DeskOptions = {}): Promise<SyncDesk> {
  const desk = await pairDesk(cloud, await pairingCode(cloud.url, gym.ownerToken, gym.branchId), name, options);
  desks.push(desk);
  await loginOwner(desk);
  return desk;
}

/** A new member, a sale paid in full, and an allowed check-in: three mutations. */
async function walkIn(desk: SyncDesk, planId: string, name: string, paise: number): Promise<{ memberId: string; membershipId: string }> {
  const member = await desk.core.call('members/create', { fullName: name, phone: nextPhone() });
  const sale = await desk.core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'cash', amountPaise: paise } });
  const checkin = await desk.core.call('checkins/create', { method: 'manual', memberId: member.id });
  expect(checkin.checkin.verdict).toBe('allow');
  return { memberId: member.id, membershipId: sale.membership.id };
}

async function cloudRows<R extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<R[]> {
  return (await admin.query<R>(text, values)).rows;
}

/** Row counts of a gym in the cloud, every row (the shapes' filters aside). */
async function cloudCounts(gymId: string): Promise<Record<string, number>> {
  const [row] = await cloudRows<Record<string, string>>(
    `select (select count(*) from members where gym_id = $1) as members,
            (select count(*) from memberships where gym_id = $1) as memberships,
            (select count(*) from freezes where gym_id = $1) as freezes,
            (select count(*) from payments where gym_id = $1) as payments,
            (select count(*) from invoices where gym_id = $1) as invoices,
            (select count(*) from checkins where gym_id = $1) as checkins,
            (select count(*) from checkins where gym_id = $1 and verdict = 'allow') as allowed,
            (select count(*) from checkouts where gym_id = $1) as checkouts,
            (select count(*) from member_credentials where gym_id = $1) as credentials,
            (select count(*) from sync_mutations where gym_id = $1 and status = 'applied') as applied,
            (select count(*) from sync_mutations where gym_id = $1 and status <> 'applied') as refused`,
    [gymId],
  );
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}

/** One read of a desk's file, on a connection of its own. */
function read<T>(desk: SyncDesk, query: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(join(desk.dataDir, DB_FILE), { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

/** One value from a desk's file (the first column of the first row), or undefined. */
const value = <T = string>(desk: SyncDesk, text: string, ...params: unknown[]): T | undefined => read(desk, (db) => db.prepare(text).pluck().get(...params) as T | undefined);

const deviceOf = (desk: SyncDesk) => value(desk, 'select device_id from sync_link') as string;

/** Waits for `group` (the desks of one gym) to hold what the cloud holds; on timeout, fails with the tables that differ. */
async function expectConverged(gymId: string, group: SyncDesk[], what: string): Promise<void> {
  const same = async () => {
    const cloudNow = JSON.stringify(await cloudDigests(database.url, gymId));
    return group.every((desk) => JSON.stringify(desk.digests()) === cloudNow);
  };
  await eventually(same, 90_000, what).catch(() => undefined);
  const cloudNow = await cloudDigests(database.url, gymId);
  for (const desk of group) expect(desk.digests()).toEqual(cloudNow);
}

/** What each synced table of a desk holds: `table -> { row id -> gym id }`, soft-deleted rows included. */
function deskRows(desk: SyncDesk): Map<string, Map<string, string>> {
  return read(desk, (db) => {
    const out = new Map<string, Map<string, string>>();
    for (const table of SYNCED_TABLES) {
      const gymColumn = table.desk === 'gym' ? 'id' : 'gym_id';
      const rows = db.prepare(`select id, ${gymColumn} as gym from "${table.desk}"`).all() as { id: string; gym: string }[];
      out.set(table.shape, new Map(rows.map((r) => [r.id, r.gym])));
    }
    return out;
  });
}

/** Every row id of a gym in the cloud, by table, deleted rows included. */
async function cloudIds(gymId: string): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const table of SYNCED_TABLES) {
    const gymColumn = table.shape === 'gyms' ? 'id' : 'gym_id';
    const rows = await cloudRows<{ id: string }>(`select id from ${table.shape} where ${gymColumn} = $1`, [gymId]);
    out.set(table.shape, new Set(rows.map((r) => r.id)));
  }
  return out;
}

/** The stored handle and offset of each of a desk's shapes. */
function shapeState(desk: SyncDesk): Map<string, { handle: string; offset: string }> {
  const rows = read(desk, (db) => db.prepare('select table_name, handle, "offset" from sync_shapes').all() as { table_name: string; handle: string; offset: string }[]);
  return new Map(rows.map((r) => [r.table_name, { handle: r.handle, offset: r.offset }]));
}

const has = (desk: SyncDesk, table: string, id: string) => value(desk, `select 1 from "${table}" where id = ? and deleted_at is null`, id) !== undefined;

beforeAll(async () => {
  database = await createCloudDatabase();
  cloud = await startCloudProcess({ databaseUrl: database.url, env: { LOG_LEVEL: 'warn' } });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  gymA = await onboardGym(cloud.url, 'Away');
  annualA = (await createPlan(cloud.url, gymA.ownerToken, { name: 'Annual', duration: { unit: 'months', count: 12 }, pricePaise: ANNUAL_PAISE })).id;
  a = await pair(gymA, 'Desk A', { now: () => new Date(Date.now() + aOffsetMs), fetch: aNet.fetch });
  b = await pair(gymA, 'Desk B');
});

afterAll(async () => {
  aNet.release();
  for (const desk of desks) await desk.close();
  await admin?.end();
  await cloud?.stop();
  await database?.db.drop();
});

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`cloud output (tail):\n${cloud.output().slice(-20_000)}`)));

describe('a desk away for long', () => {
  it('drains 20,000 mutations made over thirty days offline; the cloud counts them exactly and the desks converge', { timeout: 360_000 }, async () => {
    // While online, a month ago by desk A's clock: a hundred members on annual plans, paid in full.
    for (let i = 0; i < 100; i++) {
      const member = await a.core.call('members/create', { fullName: `Member ${i}`, phone: nextPhone() });
      await a.core.call('memberships/sell', { memberId: member.id, planId: annualA, payment: { method: 'cash', amountPaise: ANNUAL_PAISE } });
      roster.push(member.id);
    }
    await settled(a);
    await expectConverged(gymA.gymId, [a, b], 'the hundred members to reach desk B');
    const online = await cloudCounts(gymA.gymId);
    expect(online).toMatchObject({ members: 100, memberships: 100, payments: 100, applied: 200, refused: 0 });

    await a.proxy.pause();
    const made = { members: 0, sales: 0, payments: 0, renewals: 0, checkins: 0, allowed: 0 };
    const checkIn = async (by: { memberId: string } | { credential: { kind: 'card'; value: string } }) => {
      const result = await a.core.call('checkins/create', 'memberId' in by ? { method: 'manual', ...by } : { method: 'card', ...by });
      made.checkins++;
      if (result.checkin.verdict === 'allow') made.allowed++;
    };
    let unpaid: string | null = null;
    let turn = 0;
    let n = 0;
    const started = Date.now();
    while (n < OFFLINE_MUTATIONS) {
      aOffsetMs += STEP_MS;
      if (n % 1_000 === 0) {
        // A new member whose annual plan is half paid now, the rest later.
        const member = await a.core.call('members/create', { fullName: `Offline Member ${made.members}`, phone: nextPhone() });
        aOffsetMs += STEP_MS;
        const sale = await a.core.call('memberships/sell', { memberId: member.id, planId: annualA, payment: { method: 'cash', amountPaise: ANNUAL_PAISE / 2 } });
        roster.push(member.id);
        unpaid = sale.membership.id;
        made.members++;
        made.sales++;
        n += 2;
      } else if (n % 1_000 === 500 && unpaid) {
        await a.core.call('payments/record', { membershipId: unpaid, method: 'upi_offline', amountPaise: ANNUAL_PAISE / 2, reference: `UPI-${n}` });
        unpaid = null;
        made.payments++;
        n++;
      } else if (n % 2_000 === 250) {
        await a.core.call('memberships/renew', { memberId: roster[made.renewals] as string, planId: annualA, payment: { method: 'card_terminal', amountPaise: ANNUAL_PAISE, reference: `CARD-${n}` } });
        made.renewals++;
        n++;
      } else if (n % 997 === 0) {
        // A card nobody holds: turned away, and recorded.
        await checkIn({ credential: { kind: 'card', value: `LOST${n}` } });
        n++;
      } else if (n % 1_999 === 0) {
        // The last member again, two minutes later: turned away by anti-passback, and recorded.
        await checkIn({ memberId: roster[(turn - 1) % roster.length] as string });
        n++;
      } else {
        await checkIn({ memberId: roster[turn++ % roster.length] as string });
        n++;
      }
      // Let timers and sockets run now and then: the desk keeps trying the cloud, which stays away.
      if (n % 200 < 2) await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(`desk A: ${OFFLINE_MUTATIONS} offline writes in ${Date.now() - started} ms`);
    const denied = made.checkins - made.allowed;
    expect(made).toMatchObject({ members: 20, sales: 20, payments: 20, renewals: 10, checkins: OFFLINE_MUTATIONS - 70 });
    expect(denied).toBe(20 + 10);
    const away = await a.status();
    expect(away.state).toBe('offline');
    expect(away.pending).toBe(OFFLINE_MUTATIONS);

    // The next morning, with desk B still switched off: desk A's app starts with the network back and
    // its clock right again, and sends its month before it reads anything. Then desk B starts, and
    // catches up on the month from the offsets it stored.
    let drained = 0;
    await b.restart(async () => {
      await a.restart(async () => {
        aOffsetMs = 0;
        await a.proxy.resume();
      });
      const draining = Date.now();
      await settled(a, 300_000);
      drained = Date.now() - draining;
    });
    console.log(`desk A: drained ${OFFLINE_MUTATIONS} mutations in ${drained} ms`);
    await Promise.all([loginOwner(a), loginOwner(b)]);

    expect(await cloudCounts(gymA.gymId)).toEqual({
      members: 120,
      memberships: 130,
      freezes: 0,
      payments: 150,
      invoices: 150,
      checkins: made.checkins,
      allowed: made.allowed,
      checkouts: 0,
      credentials: 0,
      applied: 200 + OFFLINE_MUTATIONS,
      refused: 0,
    });
    // Every seq of desk A once, none missing.
    const seqs = await cloudRows('select count(distinct seq)::int as n, min(seq)::int as min, max(seq)::int as max from sync_mutations where device_id = $1', [deviceOf(a)]);
    expect(seqs).toEqual([{ n: 200 + OFFLINE_MUTATIONS, min: 1, max: 200 + OFFLINE_MUTATIONS }]);
    expect((await a.status()).rejected).toBe(0);
    await expectConverged(gymA.gymId, [a, b], 'desk B to hold all of desk A’s month');
  });

  it('keeps its pending writes through a must-refetch after the cloud compacted its log past the desk’s offsets', async () => {
    await Promise.all([settled(a), settled(b)]);
    const before = shapeState(a);
    expect(before.size).toBe(SYNCED_TABLES.length);

    await a.proxy.pause();
    // Offline on desk A: a walk-in, two regulars, and the walk-in leaving: six mutations.
    const walker = await walkIn(a, annualA, 'Asha Compacted', ANNUAL_PAISE);
    const regulars = [];
    for (const memberId of roster.slice(0, 2)) regulars.push((await a.core.call('checkins/create', { method: 'manual', memberId })).checkin);
    await a.core.call('checkins/checkout', { memberId: walker.memberId });
    expect((await a.status()).pending).toBe(6);
    const idsOn = (text: string, param: string) => read(a, (db) => db.prepare(text).pluck().all(param) as string[]);
    const aRows = {
      members: [walker.memberId],
      memberships: [walker.membershipId],
      payments: idsOn('select id from payments where membership_id = ?', walker.membershipId),
      invoices: idsOn('select id from invoices where membership_id = ?', walker.membershipId),
      checkins: [...idsOn('select id from checkins where member_id = ?', walker.memberId), ...regulars.map((c) => c.id)],
      checkouts: idsOn('select id from checkouts where member_id = ?', walker.memberId),
    };
    expect(Object.values(aRows).map((ids) => ids.length)).toEqual([1, 1, 1, 1, 3, 1]);

    // Meanwhile desk B: a walk-in, a card and a profile edit.
    const fromB = await walkIn(b, annualA, 'Bilal Meanwhile', ANNUAL_PAISE);
    await b.core.call('cards/assign', { memberId: roster[2] as string, number: 'CARD0002' });
    await b.core.call('members/update', { memberId: roster[3] as string, patch: { goal: 'strength' } });
    await settled(b);

    // The cloud forgets its log up to the head: every one of desk A's offsets is now below the floor.
    const scope: TenantScope = { gymId: gymA.gymId, userId: gymA.ownerId, role: 'owner', branchIds: [], memberId: null, deviceId: null, ip: '127.0.0.1' };
    const floor = await compactChangeLog(database.db.owner, scope, 1n << 62n);
    for (const [table, { offset }] of before) expect(BigInt(offset.split('_')[0] as string), table).toBeLessThan(floor);
    expect(await cloudRows('select 1 from change_log where gym_id = $1', [gymA.gymId])).toHaveLength(0);

    // Back online, its pushes held at the door: every table is re-read from a new snapshot first.
    aNet.refetched.clear();
    aNet.hold();
    await a.proxy.resume();
    await eventually(
      () => {
        const after = shapeState(a);
        return [...before].every(([table, { handle }]) => {
          const now = after.get(table);
          return now !== undefined && now.handle !== handle && !now.offset.startsWith('-');
        });
      },
      60_000,
      'desk A to re-read every table',
    );
    expect([...aNet.refetched].sort()).toEqual(SYNCED_TABLES.map((t) => t.shape).sort());
    // The re-read brought desk B's work, and left desk A's own pending rows alone.
    expect(has(a, 'members', fromB.memberId)).toBe(true);
    expect(value(a, "select member_id from member_credentials where value = 'CARD0002'")).toBe(roster[2]);
    expect(value(a, 'select goal from members where id = ?', roster[3])).toBe('strength');
    for (const [table, ids] of Object.entries(aRows)) for (const id of ids) expect(has(a, table, id), `${table} ${id}`).toBe(true);
    expect((await a.status()).pending).toBe(6);

    aNet.release();
    await Promise.all([settled(a), settled(b)]);
    const ids = await cloudIds(gymA.gymId);
    for (const [table, rows] of Object.entries(aRows)) for (const id of rows) expect(ids.get(table)?.has(id), `${table} ${id} in the cloud`).toBe(true);
    expect(await cloudCounts(gymA.gymId)).toMatchObject({ members: 122, memberships: 132, payments: 152, checkouts: 1, credentials: 1, refused: 0 });
    await expectConverged(gymA.gymId, [a, b], 'both desks and the cloud to agree after the re-read');
  });
});

describe('two gyms', () => {
  it('never sends a desk a row of another gym', async () => {
    const gymZ = await onboardGym(cloud.url, 'Elsewhere');
    const planZ = (await createPlan(cloud.url, gymZ.ownerToken, { name: 'Freezable', maxFreezeDays: 30 })).id;
    const z = await pair(gymZ, 'Desk Z');
    const walkers = [];
    for (let i = 0; i < 3; i++) walkers.push(await walkIn(z, planZ, `Zara ${i}`, 150_000));
    const [first] = walkers;
    if (!first) throw new Error('no walk-ins');
    await z.core.call('cards/assign', { memberId: first.memberId, number: 'ZCARD001' });
    await z.core.call('checkins/checkout', { memberId: first.memberId });
    const start = value(z, 'select start_date from memberships where id = ?', first.membershipId) as string;
    await z.core.call('memberships/freeze', { membershipId: first.membershipId, from: addDays(start, 10), to: addDays(start, 14), reason: 'Travel' });
    await settled(z);
    // Desk A works too, so both gyms' logs move while the other's desks listen.
    await a.core.call('checkins/create', { method: 'manual', memberId: roster[4] as string });
    await Promise.all([settled(a), settled(b), settled(z)]);
    await expectConverged(gymZ.gymId, [z], 'desk Z to hold its gym');
    await expectConverged(gymA.gymId, [a, b], 'gym A’s desks to hold theirs');

    const idsA = await cloudIds(gymA.gymId);
    const idsZ = await cloudIds(gymZ.gymId);
    for (const [desk, own, other] of [
      [a, gymA.gymId, idsZ],
      [b, gymA.gymId, idsZ],
      [z, gymZ.gymId, idsA],
    ] as const) {
      for (const [table, rows] of deskRows(desk)) {
        expect(new Set(rows.values()), `${table}: gym ids`).toEqual(new Set(rows.size > 0 ? [own] : []));
        const leaked = [...rows.keys()].filter((id) => other.get(table)?.has(id));
        expect(leaked, `${table}: rows of the other gym`).toEqual([]);
      }
    }
    // Each gym has rows in every table, so the checks above looked at something.
    for (const ids of [idsA, idsZ]) {
      for (const table of SYNCED_TABLES) if (table.shape !== 'freezes' && table.shape !== 'member_credentials') expect(ids.get(table.shape)?.size, table.shape).toBeGreaterThan(0);
    }
    expect(idsZ.get('freezes')?.size).toBe(1);
    expect(idsZ.get('member_credentials')?.size).toBe(1);
    expect(deskRows(z).get('freezes')?.size).toBe(1);
  });
});

describe('desk clocks and app versions', () => {
  let gymC: OnboardedGym;
  let planC: string;
  let fast: SyncDesk;
  let slow: SyncDesk;

  beforeAll(async () => {
    gymC = await onboardGym(cloud.url, 'Clockwork');
    planC = (await createPlan(cloud.url, gymC.ownerToken)).id;
  });

  it('pairs and syncs desks whose clocks are a day fast and a day slow; order comes from the cloud, never the clocks', async () => {
    fast = await pair(gymC, 'Fast desk', { now: () => new Date(Date.now() + DAY) });
    slow = await pair(gymC, 'Slow desk', { now: () => new Date(Date.now() - DAY) });
    expect((await fast.status()).state).toBe('online');
    expect((await slow.status()).state).toBe('online');

    // A member signed up on the slow desk, renewed on the fast one: the renewal is dated two days
    // after the sale by the desks' clocks, and is applied after it because it was pushed after it.
    const m1 = await walkIn(slow, planC, 'Meera Slow', 150_000);
    await settled(slow);
    await eventually(() => has(fast, 'memberships', m1.membershipId), 30_000, 'the sale to reach the fast desk');
    await fast.core.call('memberships/renew', { memberId: m1.memberId, planId: planC, payment: { method: 'upi_offline', amountPaise: 150_000, reference: 'UPI-FAST-1' } });
    await settled(fast);

    // And the other way round: signed up on the fast desk, renewed on the slow one. The fast desk's sale
    // starts on its today, tomorrow by the slow desk's calendar, which turns the member away for now:
    // a verdict the desk made, recorded and synced like any other.
    const m2 = await walkIn(fast, planC, 'Farhan Fast', 150_000);
    await settled(fast);
    await eventually(() => has(slow, 'memberships', m2.membershipId), 30_000, 'the sale to reach the slow desk');
    await slow.core.call('memberships/renew', { memberId: m2.memberId, planId: planC, payment: { method: 'cash', amountPaise: 150_000 } });
    expect((await slow.core.call('checkins/create', { method: 'manual', memberId: m2.memberId })).checkin).toMatchObject({ verdict: 'deny', reason: 'NOT_STARTED' });
    await settled(slow);

    // Profile edits: the later applied wins, though the slow desk stamps its edit two days earlier.
    await fast.core.call('members/update', { memberId: m1.memberId, patch: { goal: 'endurance' } });
    await settled(fast);
    await eventually(() => value(slow, 'select goal from members where id = ?', m1.memberId) === 'endurance', 30_000, 'the edit to reach the slow desk');
    await slow.core.call('members/update', { memberId: m1.memberId, patch: { goal: 'strength' } });
    await settled(slow);

    // Both offline for a while, each working on its own: the fast desk lets in the slow desk's member
    // (two days after their last visit by the clocks), the slow desk renews them once more.
    await Promise.all([fast.proxy.pause(), slow.proxy.pause()]);
    await walkIn(fast, planC, 'Farida Offline', 150_000);
    expect((await fast.core.call('checkins/create', { method: 'manual', memberId: m1.memberId })).checkin.verdict).toBe('allow');
    await walkIn(slow, planC, 'Sunil Offline', 150_000);
    await slow.core.call('memberships/renew', { memberId: m1.memberId, planId: planC, payment: { method: 'cash', amountPaise: 150_000 } });
    expect([(await fast.status()).pending, (await slow.status()).pending]).toEqual([4, 4]);
    await Promise.all([fast.proxy.resume(), slow.proxy.resume()]);
    await Promise.all([settled(fast), settled(slow)]);

    expect(await cloudCounts(gymC.gymId)).toMatchObject({ members: 4, memberships: 7, payments: 7, invoices: 7, checkins: 6, allowed: 5, refused: 0 });
    // Member 1's three terms follow one another, whichever desk sold them and whatever its clock said.
    const terms = await cloudRows<{ start: string; end: string }>(
      "select start_date::text as start, end_date::text as end from memberships where member_id = $1 order by start_date",
      [m1.memberId],
    );
    expect(terms).toHaveLength(3);
    for (let i = 1; i < terms.length; i++) expect(terms[i]?.start).toBe(addDays(terms[i - 1]?.end as string, 1));
    expect([(await fast.status()).rejected, (await slow.status()).rejected]).toEqual([0, 0]);
    const [goal] = await cloudRows<{ goal: string }>('select goal from members where id = $1', [m1.memberId]);
    expect(goal?.goal).toBe('strength');
    // The desks' instants are kept as they stamped them: the cloud orders by seq, not by these.
    const [renewal] = await cloudRows<{ received_at: Date }>("select received_at from payments where reference = 'UPI-FAST-1'");
    expect(Math.abs((renewal?.received_at.getTime() ?? 0) - Date.now() - DAY)).toBeLessThan(10 * MINUTE);
    await expectConverged(gymC.gymId, [fast, slow], 'the fast and slow desks to agree');
  });

  it('shows a schema version mismatch as an error and keeps the outbox; after the app update and a restart it pushes it', async () => {
    const net = deskNetwork();
    // A desk app on a sync schema this cloud cannot read (the desk updated ahead of the cloud: versions
    // start at 1 and the cloud still applies 1, so no desk can be too old for it yet).
    net.schemaVersion = SYNC_SCHEMA_VERSION + 1;
    const old = await pair(gymC, 'Old desk', { fetch: net.fetch });
    const walker = await walkIn(old, planC, 'Olga Outdated', 150_000);
    await eventually(async () => (await old.status()).state === 'error', 30_000, 'the old desk to show the mismatch');
    const status = await old.status();
    expect(status.error?.code).toBe('SCHEMA_VERSION_MISMATCH');
    expect(status.pending).toBe(3);
    expect(status.rejected).toBe(0);
    expect(await cloudRows('select 1 from sync_mutations where device_id = $1', [deviceOf(old)])).toHaveLength(0);
    expect(await cloudRows('select 1 from members where id = $1', [walker.memberId])).toHaveLength(0);
    // Still reading: the others' work reaches it.
    const m = await walkIn(fast, planC, 'Fiona Fresh', 150_000);
    await eventually(() => has(old, 'members', m.memberId), 30_000, 'the fast desk’s member to reach the old desk');
    expect((await old.status()).state).toBe('error');

    // The app is brought to the version the cloud applies and restarts (offline at first, to see what it kept).
    net.schemaVersion = null;
    await old.proxy.pause();
    await old.restart((file) => {
      const { n } = file.prepare('select count(*) as n from outbox where seq > (select acked_seq from sync_link)').get() as { n: number };
      expect(n).toBe(3);
    });
    expect((await old.status()).pending).toBe(3);
    await old.proxy.resume();
    await Promise.all([settled(old), settled(fast), settled(slow)]);
    expect((await old.status()).rejected).toBe(0);
    expect(await cloudRows('select status from sync_mutations where device_id = $1 order by seq', [deviceOf(old)])).toEqual([{ status: 'applied' }, { status: 'applied' }, { status: 'applied' }]);
    expect(await cloudRows('select 1 from members where id = $1', [walker.memberId])).toHaveLength(1);
    await expectConverged(gymC.gymId, [fast, slow, old], 'the updated desk to catch up and agree');
  });
});
