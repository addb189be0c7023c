/**
 * Sync under faults (DESIGN 6, "what every sync test must cover"): a push cut mid-batch either way, the
 * cloud killed mid-push, shape responses cut mid-stream, and the cloud restarted under live polls. Two
 * desks of one gym (a third for a first sync) and the cloud as a separate process; every fault is made
 * by the desks' TCP proxies or by signalling the cloud, and every test ends on exact counts and equal
 * digests. The tests run in order on one gym: desk B sits out the killed push and reads its backlog in
 * the next test.
 */
import { MAX_PUSH_ENTRIES, type PushRequest, type PushResponse, type PushResult } from '@gymstack/shared';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CloudProcess, createCloudDatabase, startCloudProcess } from './cloud-process.js';
import { type SyncDesk, eventually, loginOwner, pairDesk, settled } from './desk.js';
import { type Digests, cloudDigests } from './digest.js';
import { type OnboardedGym, createPlan, onboardGym, pairingCode } from './gym.js';

/** Entries per push: the first push after an outage carries this many. */
const BATCH = MAX_PUSH_ENTRIES;
/** Upstream cut: past any request but a push of a full batch (~240 KB of check-ins), and well inside that one. */
const CUT_PUSH_BODY = 40_000;
/** Downstream cut: past the token's answer (~1 KB), inside the push's answer for a full batch (~40 KB). */
const CUT_PUSH_ANSWER = 10_000;
/** Shape cut: inside a 1000-entry chunk of check-ins (~620 KB), past any small answer. */
const CUT_SHAPE = 100_000;

let database: Awaited<ReturnType<typeof createCloudDatabase>>;
let cloud: CloudProcess;
let gym: OnboardedGym;
let planId: string;
let a: SyncDesk;
let b: SyncDesk;
let deviceA: string;
/** The members desk A signed up, checked in again and again (the desk records the anti-passback denials too). */
const regulars: string[] = [];

/** One push a desk sent: the seqs it carried and the size of its body, and the cloud's answer or the failure. */
interface PushRecord {
  first: number;
  last: number;
  bytes: number;
  response?: PushResponse;
  error?: string;
}

/** One shape request a desk made, and whether its answer arrived whole (unknown while a live one waits). */
interface ShapeRecord {
  table: string;
  offset: string;
  live: boolean;
  complete?: boolean;
  error?: string;
}

const why = (error: unknown) => String((error as { cause?: unknown }).cause ?? error);

/**
 * A desk's fetch that records its pushes and shape requests and how each answer ended. The answer goes
 * on to the desk untouched; a second reader of the same body sees what the desk's own read sees.
 */
function watchedFetch(log: { pushes: PushRecord[]; shapes: ShapeRecord[] }): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    let record: PushRecord | ShapeRecord;
    if (url.pathname === '/api/v1/sync/push') {
      const body = String(init?.body);
      const { entries } = JSON.parse(body) as PushRequest;
      record = { first: entries[0]?.seq ?? 0, last: entries.at(-1)?.seq ?? 0, bytes: Buffer.byteLength(body) };
      log.pushes.push(record);
    } else if (url.pathname === '/v1/shape') {
      const { searchParams: q } = url;
      record = { table: q.get('table') ?? '', offset: q.get('offset') ?? '', live: q.get('live') === 'true' };
      log.shapes.push(record);
    } else {
      return fetch(input, init);
    }
    const seen = record;
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      seen.error = why(error);
      throw error;
    }
    response
      .clone()
      .text()
      .then(
        (text) => {
          if ('table' in seen) seen.complete = true;
          else if (response.ok) seen.response = (JSON.parse(text) as { data: PushResponse }).data;
        },
        (error: unknown) => {
          if ('table' in seen) seen.complete = false;
          seen.error = why(error);
        },
      );
    return response;
  };
}

/** Desk A's pushes and desk B's shape requests, as they went. */
const trafficA = { pushes: [] as PushRecord[], shapes: [] as ShapeRecord[] };
const trafficB = { pushes: [] as PushRecord[], shapes: [] as ShapeRecord[] };

/** The cloud's answers to the pushes from `from` on, entry by entry, and the pushes that got none. */
function answersSince(from: number): { failed: PushRecord[]; results: PushResult[]; answered: PushRecord[] } {
  const sent = trafficA.pushes.slice(from);
  return {
    failed: sent.filter((p) => !p.response),
    answered: sent.filter((p) => p.response),
    results: sent.flatMap((p) => p.response?.results ?? []),
  };
}

const seqsOf = (results: PushResult[], status: PushResult['status']) => results.filter((r) => r.status === status).map((r) => r.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let phone = 0;
const nextPhone = () => `+9198${String(10_000_000 + ++phone).slice(-8)}`;

/** `count` walk-ins at `desk`: a new member, a paid sale and an allowed check-in each (three mutations). */
async function walkIns(desk: SyncDesk, label: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const member = await desk.core.call('members/create', { fullName: `${label} ${i}`, phone: nextPhone() });
    await desk.core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'cash', amountPaise: 150_000 } });
    const { checkin } = await desk.core.call('checkins/create', { method: 'manual', memberId: member.id });
    if (checkin.verdict !== 'allow') throw new Error(`${label} ${i} was turned away: ${checkin.reason}`);
    ids.push(member.id);
  }
  return ids;
}

/** `count` more check-ins at desk A, round the regulars: each is recorded, allowed or denied. */
async function checkIns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await a.core.call('checkins/create', { method: 'manual', memberId: regulars[i % regulars.length] as string });
}

/** Every `every`-th change a profile edit, the rest check-ins: the cloud takes a run of check-ins in one transaction, so short runs commit a batch bit by bit. */
async function mixedBacklog(count: number, every: number): Promise<{ checkins: number }> {
  let checkins = 0;
  for (let i = 0; i < count; i++) {
    const memberId = regulars[i % regulars.length] as string;
    if (i % every === every - 1) await a.core.call('members/update', { memberId, patch: { email: `regular${i}@example.com` } });
    else {
      await a.core.call('checkins/create', { method: 'manual', memberId });
      checkins++;
    }
  }
  return { checkins };
}

/** The cloud's database as its owner, for what the shapes do not show (sync bookkeeping). */
async function cloudQuery<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** What the cloud keeps of desk A's pushes: its last settled seq, and its settled mutations. */
async function cloudSyncState(): Promise<{ lastSeq: number; applied: number; rejected: number; seqs: number }> {
  const [state] = await cloudQuery<{ last_seq: number }>('select last_seq from device_sync_state where device_id = $1', [deviceA]);
  const [counts] = await cloudQuery<{ applied: string; rejected: string; seqs: string }>(
    `select count(*) filter (where status = 'applied') as applied, count(*) filter (where status = 'rejected') as rejected,
            count(distinct seq) as seqs
       from sync_mutations where device_id = $1`,
    [deviceA],
  );
  return { lastSeq: Number(state?.last_seq ?? 0), applied: Number(counts?.applied), rejected: Number(counts?.rejected), seqs: Number(counts?.seqs) };
}

const lastOutboxSeq = (desk: SyncDesk) => desk.read((db) => (db.prepare('select coalesce(max(seq), 0) as seq from outbox').get() as { seq: number }).seq);
const ackedSeq = (desk: SyncDesk) => desk.read((db) => (db.prepare('select acked_seq from sync_link').get() as { acked_seq: number }).acked_seq);

/** Every seq desk A ever queued settled once in the cloud, applied, none refused, and acknowledged. */
async function expectExactlyOnce(): Promise<void> {
  const last = lastOutboxSeq(a);
  expect(await cloudSyncState()).toEqual({ lastSeq: last, applied: last, rejected: 0, seqs: last });
  expect(ackedSeq(a)).toBe(last);
  expect((await a.status()).rejected).toBe(0);
}

/** Row counts per table, from digests. */
const rows = (digests: Digests) => Object.fromEntries(Object.entries(digests).map(([table, d]) => [table, d.rows]));
/** `before` plus `added` rows per table. */
const plus = (before: Digests, added: Record<string, number>) => Object.fromEntries(Object.entries(before).map(([table, d]) => [table, d.rows + (added[table] ?? 0)]));

/** Waits for `desks` to hold what the cloud holds; on timeout, fails with the tables that differ. */
async function expectConverged(desks: SyncDesk[], what: string): Promise<Digests> {
  const same = async () => {
    const cloudNow = JSON.stringify(await cloudDigests(database.url, gym.gymId));
    return desks.every((desk) => JSON.stringify(desk.digests()) === cloudNow);
  };
  await eventually(same, 60_000, what).catch(() => undefined);
  const cloudNow = await cloudDigests(database.url, gym.gymId);
  for (const desk of desks) expect(desk.digests()).toEqual(cloudNow);
  return cloudNow;
}

/** Waits until Postgres has no session of the cloud's left: a killed cloud's last transactions are settled. */
async function cloudSessionsGone(): Promise<void> {
  await eventually(
    async () => {
      const [row] = await cloudQuery<{ n: string }>(`select count(*) as n from pg_stat_activity
          where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()`);
      return Number(row?.n) === 0;
    },
    30_000,
    "Postgres to end the killed cloud's sessions",
  );
}

beforeAll(async () => {
  database = await createCloudDatabase();
  cloud = await startCloudProcess({ databaseUrl: database.url, env: { LOG_LEVEL: 'warn' } });
  gym = await onboardGym(cloud.url, 'Faults');
  planId = (await createPlan(cloud.url, gym.ownerToken)).id;
  a = await pairDesk(cloud, await pairingCode(cloud.url, gym.ownerToken, gym.branchId), 'Desk A', { fetch: watchedFetch(trafficA) });
  b = await pairDesk(cloud, await pairingCode(cloud.url, gym.ownerToken, gym.branchId), 'Desk B', { fetch: watchedFetch(trafficB) });
  deviceA = (await a.core.call('desk/info', {})).deviceId;
  await Promise.all([loginOwner(a), loginOwner(b)]);
  regulars.push(...(await walkIns(a, 'Regular', 20)));
  await settled(a);
  await expectConverged([a, b], 'the regulars to reach desk B');
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await cloud?.stop();
  await database?.db.drop();
});

beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`cloud output:\n${cloud.output().slice(-20_000)}`)));

describe('a push cut mid-batch', () => {
  // Offline work of more than one batch: walk-ins (member, sale, check-in), then check-ins.
  const WALK_INS = 20;
  const CHECK_INS = BATCH + 20 - 3 * WALK_INS;
  const added = { members: WALK_INS, memberships: WALK_INS, payments: WALK_INS, invoices: WALK_INS, checkins: WALK_INS + CHECK_INS };

  /**
   * Desk A works offline through more than one batch; then the app starts again with the network back
   * and the fault armed. A starting desk pushes before it reads any table, and its only requests before
   * the first push are for a token, so the first long request or answer through the proxy is that push's.
   */
  async function offlineThenStart(label: string, arm: () => Promise<void>) {
    const before = await cloudDigests(database.url, gym.gymId);
    const start = ackedSeq(a);
    await a.proxy.pause();
    await walkIns(a, label, WALK_INS);
    await checkIns(CHECK_INS);
    const last = lastOutboxSeq(a);
    expect(last - start).toBe(3 * WALK_INS + CHECK_INS);

    const from = trafficA.pushes.length;
    let cut: Promise<void> | undefined;
    await a.restart(async () => {
      await a.proxy.resume();
      cut = arm();
    });
    await loginOwner(a);
    await cut;
    await settled(a);
    return { before, start, last, ...answersSince(from) };
  }

  it('upstream: the cloud gets half a request, applies none of it, and takes the batch whole on the retry', async () => {
    const { before, start, last, failed, results } = await offlineThenStart('Upstream', () => a.proxy.cutAfterBytes(CUT_PUSH_BODY, 'up'));
    // The one push cut: the first full batch, whose body was longer than what got through.
    expect(failed).toEqual([expect.objectContaining({ first: start + 1, last: start + BATCH })]);
    expect(failed[0]?.bytes).toBeGreaterThan(CUT_PUSH_BODY);
    // None of it had been applied: the later pushes applied every entry, once, in order.
    expect(seqsOf(results, 'duplicate')).toEqual([]);
    expect(seqsOf(results, 'applied')).toEqual(range(start + 1, last));
    await expectExactlyOnce();

    const after = await expectConverged([a, b], 'both desks to hold what desk A did offline');
    expect(rows(after)).toEqual(plus(before, added));
  });

  it('downstream: the cloud applies the batch, the desk never hears, pushes it again, and the cloud answers duplicates', async () => {
    const { before, start, last, failed, answered, results } = await offlineThenStart('Downstream', () => a.proxy.cutAfterBytes(CUT_PUSH_ANSWER, 'down'));
    expect(failed).toEqual([expect.objectContaining({ first: start + 1, last: start + BATCH })]);
    // The same batch again: all of it applied already, so all duplicates, and the cloud says how far it got.
    expect(answered[0]).toMatchObject({ first: start + 1, last: start + BATCH, response: { lastSeq: start + BATCH, stopped: null } });
    expect(seqsOf(results, 'duplicate')).toEqual(range(start + 1, start + BATCH));
    expect(seqsOf(results, 'applied')).toEqual(range(start + BATCH + 1, last));
    await expectExactlyOnce();

    const after = await expectConverged([a, b], 'both desks to hold what desk A did offline');
    expect(rows(after)).toEqual(plus(before, added));
  });
});

describe('the cloud killed mid-push', () => {
  const BACKLOG = 2_100;

  it('loses only the unacknowledged tail of the batch in flight; the desk pushes it again and each change lands once', async () => {
    // Desk B is off while this backlog lands, and reads it in the next test.
    await b.shutdown();
    const before = await cloudDigests(database.url, gym.gymId);
    const start = ackedSeq(a);
    await a.proxy.pause();
    const made = await mixedBacklog(BACKLOG, 10);
    const last = lastOutboxSeq(a);
    expect(last - start).toBe(BACKLOG);

    const from = trafficA.pushes.length;
    await a.proxy.resume();
    // Killed well into the second batch: the first is acknowledged, the second part-applied, unanswered.
    await eventually(async () => (await cloudSyncState()).lastSeq >= start + BATCH + 50, 60_000, 'the cloud to be into the second batch');
    await cloud.kill('SIGKILL');
    await cloudSessionsGone();
    const ackedAtKill = ackedSeq(a);
    const appliedAtKill = (await cloudSyncState()).lastSeq;
    expect(ackedAtKill).toBe(start + BATCH);
    expect(appliedAtKill).toBeGreaterThan(ackedAtKill);
    expect(appliedAtKill).toBeLessThan(start + 2 * BATCH);

    await cloud.restart();
    await settled(a);

    const { failed, results } = answersSince(from);
    expect(failed.some((p) => p.first === start + BATCH + 1)).toBe(true);
    // What the killed cloud had committed comes back as duplicates, exactly; the rest is applied once.
    expect(seqsOf(results, 'duplicate')).toEqual(range(ackedAtKill + 1, appliedAtKill));
    expect(seqsOf(results, 'applied')).toEqual([...range(start + 1, ackedAtKill), ...range(appliedAtKill + 1, last)]);
    await expectExactlyOnce();

    const after = await expectConverged([a], 'desk A to hold what the cloud holds');
    expect(rows(after)).toEqual(plus(before, { checkins: made.checkins }));
  });
});

describe('shape responses cut mid-stream', () => {
  it('a desk reading a backlog in 1000-entry chunks resumes from its stored offset after each cut', async () => {
    const shape = () => b.read((db) => db.prepare(`select handle, "offset" from sync_shapes where table_name = 'checkins'`).get() as { handle: string; offset: string });
    const stored = shape();
    const from = trafficB.shapes.length;
    // Desk B was off through the killed push: it starts with that whole backlog of check-ins to read.
    const cuts = b.proxy.cutAfterBytes(CUT_SHAPE, 'down', 3);
    await b.restart();
    await cuts;
    await settled(b);

    const digests = await expectConverged([a, b], 'desk B to read the backlog');
    const checkins = trafficB.shapes.slice(from).filter((r) => r.table === 'checkins' && !r.live);
    // The three cut answers were all check-in chunks (nothing else is that long)...
    expect(checkins.filter((r) => r.complete === false && !/abort/i.test(r.error ?? ''))).toHaveLength(3);
    // ...and the desk went back to its stored offset after them, never to the start.
    expect(checkins[0]?.offset).toBe(stored.offset);
    expect(checkins.filter((r) => r.offset === stored.offset).length).toBeGreaterThanOrEqual(2);
    expect(checkins.filter((r) => r.offset === '-1')).toEqual([]);
    // Resumed, not re-read: the same shape handle, now at a later offset.
    expect(shape()).toEqual({ handle: stored.handle, offset: expect.not.stringMatching(`^${stored.offset}$`) });
    const counted = b.read((db) => db.prepare('select count(*) as n, count(distinct id) as ids from checkins').get());
    expect(counted).toEqual({ n: digests.checkins?.rows, ids: digests.checkins?.rows });
  });

  it("a new desk's first sync of a big table, in 1000-row snapshot chunks, starts that table over after each cut", async () => {
    const traffic = { pushes: [] as PushRecord[], shapes: [] as ShapeRecord[] };
    let cuts: Promise<void> | undefined;
    const c = await pairDesk(cloud, await pairingCode(cloud.url, gym.ownerToken, gym.branchId), 'Desk C', {
      fetch: watchedFetch(traffic),
      beforePair: (proxy) => {
        cuts = proxy.cutAfterBytes(CUT_SHAPE, 'down', 3);
      },
    });
    try {
      await cuts;
      const digests = await expectConverged([a, b, c], 'desk C to download the gym');
      expect(digests.checkins?.rows).toBeGreaterThan(2 * 1_000);
      // Three snapshot answers cut (the first, or a later chunk: `<base>_<after id>`)...
      const isSnapshot = (offset: string) => offset === '-1' || /^\d+_[1-9]\d*$/.test(offset);
      const cut = traffic.shapes.filter((r) => r.complete === false && !/abort/i.test(r.error ?? ''));
      expect(cut).toHaveLength(3);
      for (const r of cut) expect(isSnapshot(r.offset)).toBe(true);
      // ...and each such table read again from the start, as nothing of a snapshot is kept until it is whole.
      for (const table of new Set(cut.map((r) => r.table))) {
        expect(traffic.shapes.filter((r) => r.table === table && r.offset === '-1').length).toBeGreaterThanOrEqual(2);
      }
    } finally {
      await c.close();
    }
  });
});

describe('the cloud restarted under live polls', () => {
  /** With both desks up to date and waiting on live requests, `restart` the cloud; then desk A signs a member up. */
  async function changeAfter(restart: () => Promise<void>, how: string): Promise<void> {
    await Promise.all([settled(a), settled(b)]);
    // Desk B's tables each wait on a long poll when the cloud goes.
    expect(b.proxy.connections.live).toBeGreaterThan(0);
    await restart();
    const [member] = await walkIns(a, `After ${how}`, 1);
    const onB = () => b.read((db) => db.prepare('select id from members where id = ?').get(member)) !== undefined;
    await eventually(onB, 60_000, `the member signed up after the cloud was ${how} to reach desk B`);
    await expectConverged([a, b], `both desks to agree after the cloud was ${how}`);
    await expectExactlyOnce();
  }

  it('stopped (SIGTERM, live polls answered) and started again: a change made afterwards reaches the other desk', async () => {
    await changeAfter(() => cloud.restart(), 'stopped');
  });

  it('killed (SIGKILL, live polls torn down) and started again: a change made afterwards reaches the other desk', async () => {
    await changeAfter(async () => {
      await cloud.kill('SIGKILL');
      await cloud.restart();
    }, 'killed');
  });
});
