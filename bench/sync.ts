/**
 * The sync group (issue 4, "Figures"): a desk's first sync of a large gym, a desk draining 10,000
 * queued check-ins, and how soon a check-in on one desk shows on another. See docs/benchmarks.md, "Sync".
 *
 * One run: Postgres from DATABASE_URL (a superuser URL; a scratch database is created and dropped),
 * else an embedded cluster (bench/cloud/database.ts); two gyms seeded in SQL (bench/sync/seed.ts); the
 * cloud started as its own process (bench/cloud/server.ts, as `npm run cloud` starts it); real desk
 * cores in this process (bench/sync/desk.ts), each paired with a code the gym's owner makes through
 * the API, syncing with the real `@electric-sql/client` and outbox push.
 *
 * - `sync.initial_s`: `setup/pair` of an empty desk with the large gym (5,000 members, 5,000
 *   memberships, 10,000 payments and invoices, 200,000 check-ins in the last 90 days), i.e. pairing
 *   and the first sync of every table. Baseline: the rows that desk stored, dumped to JSON, read back
 *   and inserted into a fresh desk database with prepared statements in one transaction (bench/sync/bulk.ts).
 * - `sync.push_ops`: a desk of the small gym (1,000 members) records 10,000 check-ins offline, its
 *   clock moving 3 s per check-in; back online, the time until its outbox is acknowledged.
 * - `sync.latency_p95_ms`: two desks of the small gym; check-ins on A one at a time, each timed from
 *   just before A's call until B's database holds the row.
 *
 * Environment: BENCH_SYNC_ONLY=initial,push,latency; BENCH_SYNC_CHECKINS (200000, the large gym's
 * history); BENCH_SYNC_PUSH (10000); BENCH_SYNC_LATENCY (200 samples); BENCH_SYNC_PAUSE_MS (100,
 * between them); BENCH_SYNC_PUSH_DOWNLOADS=0 (the push desk's own downloads stay cut while it drains,
 * a diagnostic); BENCH_SYNC_LOG_LEVEL (the server's LOG_LEVEL, default info); BENCH_SYNC_KEEP=1 (keep
 * the database, the server log and the dump).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { hash } from '@node-rs/argon2';
import { v7 as uuid } from 'uuid';
import { SYNC_SCHEMA_VERSION } from '@gymstack/shared';
import { generateSigningKeys, TokenService } from '@gymstack/cloud';
import pg from 'pg';
import { pairingCode } from '../test/sync/gym.js';
import { captureStatements } from './cloud/capture.js';
import { type CpuShares, measureCpu } from './cloud/cpu.js';
import { createBenchDatabase } from './cloud/database.js';
import { type BenchServer, startBenchServer } from './cloud/server.js';
import { type BenchResults, percentile, round, withBaseline } from './measure.js';
import { dumpSynced, loadSynced, syncedDeskTables } from './sync/bulk.js';
import { type BenchDesk, openBenchDesk, settled, until } from './sync/desk.js';
import { type SyncGym, seedSyncGym } from './sync/seed.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const LARGE = { members: 5_000, paymentsPerMembership: 2, checkins: env('BENCH_SYNC_CHECKINS', 200_000), days: 90 };
const SMALL = { members: 1_000, paymentsPerMembership: 1, checkins: 2_000, days: 90 };
const PUSH_OPS = env('BENCH_SYNC_PUSH', 10_000);
/** The push desk's clock moves this much per check-in: a member comes back every 1,000 × 3 s = 50 min, well past anti-passback. */
const PUSH_STEP_MS = 3_000;
/** 0: the push desk's downloads stay cut while it drains (a diagnostic: the drain without its own shape requests). */
const PUSH_DOWNLOADS = process.env.BENCH_SYNC_PUSH_DOWNLOADS !== '0';
const LATENCY_SAMPLES = env('BENCH_SYNC_LATENCY', 200);
const LATENCY_PAUSE_MS = env('BENCH_SYNC_PAUSE_MS', 100);
const ONLY = new Set((process.env.BENCH_SYNC_ONLY ?? 'initial,push,latency').split(',').map((s) => s.trim()));
const PIN = '1111';

const say = (line: string) => console.log(`  ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secondsSince = (start: number) => (performance.now() - start) / 1000;

interface Cloud {
  server: BenchServer;
  service: TokenService;
  keys: ReturnType<typeof generateSigningKeys>;
  apiUrl: string;
  superUrl: string;
}

const ownerToken = (cloud: Cloud, gym: SyncGym) => cloud.service.sign({ gymId: gym.gymId, userId: gym.ownerId, role: 'owner', branchIds: [] });

/** An empty desk paired with `gym` through a code its owner makes over the API; resolves after the first sync, with the seconds `setup/pair` took. */
async function pairedDesk(cloud: Cloud, gym: SyncGym, label: string): Promise<{ desk: BenchDesk; seconds: number }> {
  const code = await pairingCode(cloud.server.url, await ownerToken(cloud, gym), gym.branchId);
  const desk = await openBenchDesk(label);
  try {
    const started = performance.now();
    await desk.core.call('setup/pair', { cloudUrl: cloud.server.url, code, deskName: `Bench ${label}` });
    return { desk, seconds: secondsSince(started) };
  } catch (error) {
    await desk.close();
    throw error;
  }
}

/** Rows per desk table that sync fills. */
function deskCounts(desk: BenchDesk): Record<string, number> {
  const db = desk.sqlite();
  return Object.fromEntries(syncedDeskTables.map((t) => [t, (db.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n]));
}

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${n.toLocaleString('en')} ${k}`)
    .join(', ');

function cpuNote(cpu: CpuShares, count: number, what: string): string {
  const ms = (s: number) => ((1000 * s) / count).toFixed(count === 1 ? 0 : 3);
  const warn = cpu.otherShare > 0.05 ? ` !! other processes took ${(100 * cpu.otherShare).toFixed(0)}% of the CPU: figures skewed` : '';
  return `cpu/${what}: server ${ms(cpu.server)} ms, postgres ${ms(cpu.postgres)} ms, desk (this process) ${ms(cpu.client)} ms, other ${ms(cpu.other)} ms${warn}`;
}

// ---------------------------------------------------------------------------------------------------

async function initialSync(cloud: Cloud, gym: SyncGym, dir: string): Promise<BenchResults> {
  const { result, cpu } = await measureCpu(cloud.server.pid, () => pairedDesk(cloud, gym, 'initial'));
  const { desk, seconds } = result;
  const file = path.join(dir, 'synced.json');
  try {
    const counts = deskCounts(desk);
    say(`initial: setup/pair with ${gym.counts.checkins.toLocaleString('en')} check-ins in the gym took ${seconds.toFixed(2)} s; the desk holds ${list(counts)}`);
    say(`initial: ${cpuNote(cpu, 1, 'first sync')}`);
    const expected: Record<string, number> = { members: gym.counts.members, memberships: gym.counts.memberships, payments: gym.counts.payments, invoices: gym.counts.invoices, checkins: gym.counts.checkins };
    for (const [table, n] of Object.entries(expected)) if (counts[table] !== n) throw new Error(`The first sync left ${counts[table]} ${table} on the desk; the gym has ${n}`);
    dumpSynced(desk.sqlite(), file);
  } finally {
    await desk.close();
  }
  // Twice, the first one dropped: it warms the page cache for the file and the code paths.
  await loadSynced(file, path.join(dir, 'bulk-warm'));
  const bulk = await loadSynced(file, path.join(dir, 'bulk'));
  say(`initial baseline: read ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB of JSON and inserted ${bulk.rows.toLocaleString('en')} rows in ${bulk.seconds.toFixed(2)} s (ratio ${(seconds / bulk.seconds).toFixed(2)})`);
  for (const d of ['bulk-warm', 'bulk']) rmSync(path.join(dir, d), { recursive: true, force: true });
  return { 'sync.initial_s': withBaseline(seconds, bulk.seconds, 's') };
}

// ---------------------------------------------------------------------------------------------------

/** The SQL of one push of `n` check-ins, statement by statement (the same text folded), with its time. */
interface PushProfile {
  n: number;
  statements: { sql: string; count: number; ms: number }[];
}

/**
 * The SQL a push runs, captured through an in-process app as the cloud bench captures its routes' SQL
 * (bench/cloud/capture.ts): a warm-up batch, then a batch of `n` check-ins, from the gym's history desk
 * (which has never pushed, so its seqs start at 1), with a staff id as a desk signed in sends it.
 */
async function pushProfile(cloud: Cloud, gym: SyncGym, n = 50): Promise<PushProfile> {
  const token = await cloud.service.sign({ gymId: gym.gymId, userId: gym.deviceId, role: 'desk', branchIds: [gym.branchId], deviceId: gym.deviceId });
  const entry = (seq: number) => ({
    seq,
    mutationId: uuid(),
    name: 'checkins/create',
    args: { id: uuid(), memberId: gym.memberId(seq), branchId: gym.branchId, method: 'manual', verdict: 'allow', reason: null, at: new Date().toISOString(), deviceId: gym.deviceId, staffId: gym.ownerId },
    createdAt: new Date().toISOString(),
  });
  const batch = (from: number, count: number) => ({
    method: 'POST' as const,
    url: '/api/v1/sync/push',
    token,
    body: { deviceId: gym.deviceId, schemaVersion: SYNC_SCHEMA_VERSION, entries: Array.from({ length: count }, (_x, i) => entry(from + i)) },
  });
  // A first batch warms the fresh in-process app (its code paths, the pool's connections) and is dropped.
  const [, many] = await captureStatements(cloud.apiUrl, cloud.keys, [batch(1, 20), batch(21, n)]);
  const folded = new Map<string, { sql: string; count: number; ms: number }>();
  for (const statement of many ?? []) {
    const seen = folded.get(statement.sql) ?? { sql: statement.sql, count: 0, ms: 0 };
    folded.set(statement.sql, { ...seen, count: seen.count + 1, ms: seen.ms + statement.ms });
  }
  return { n, statements: [...folded.values()] };
}

/** Requests the cloud logged from byte `from` of its log on: how many per kind, and the server's time on the pushes. */
function requestsLogged(logFile: string, from: number): { shape: number; push: number; other: number; pushMs: number } {
  const urls = new Map<string, string>();
  const counts = { shape: 0, push: 0, other: 0, pushMs: 0 };
  for (const line of readFileSync(logFile).subarray(from).toString('utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; reqId?: string; req?: { url?: string }; responseTime?: number };
    if (entry.msg === 'incoming request' && entry.reqId) urls.set(entry.reqId, entry.req?.url ?? '');
    if (entry.msg !== 'request completed' || !entry.reqId) continue;
    // A request that started before `from` is a live shape request that was already waiting.
    const url = urls.get(entry.reqId) ?? '/v1/shape';
    if (url.startsWith('/v1/shape')) counts.shape++;
    else if (url.startsWith('/api/v1/sync/push')) {
      counts.push++;
      counts.pushMs += entry.responseTime ?? 0;
    } else counts.other++;
  }
  return counts;
}

/** Transactions committed in the database so far (pg_stat_database, flushed by each backend about once a second). */
async function commits(superUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: superUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('select xact_commit::text as n from pg_stat_database where datname = current_database()');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function pushDrain(cloud: Cloud, gym: SyncGym): Promise<BenchResults> {
  const { desk, seconds: pairSeconds } = await pairedDesk(cloud, gym, 'push');
  try {
    say(`push: paired a desk with the small gym in ${pairSeconds.toFixed(2)} s`);
    await desk.login(PIN);
    await settled(desk);

    // Offline: the clock starts far enough back that the last check-in is 10 minutes ago.
    desk.network.online = false;
    desk.clockShiftMs = -(PUSH_OPS * PUSH_STEP_MS + 10 * 60_000);
    const verdicts = new Map<string, number>();
    const recordStart = performance.now();
    for (let k = 0; k < PUSH_OPS; k++) {
      desk.clockShiftMs += PUSH_STEP_MS;
      const { checkin } = await desk.core.call('checkins/create', { method: 'manual', memberId: gym.memberId(1 + (k % SMALL.members)) });
      const v = checkin.reason ?? checkin.verdict;
      verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
    }
    const offlineStatus = await desk.status();
    say(`push: ${PUSH_OPS.toLocaleString('en')} check-ins recorded offline in ${secondsSince(recordStart).toFixed(1)} s (${[...verdicts].map(([v, n]) => `${v} ${n}`).join(', ')}); sync/status ${offlineStatus.state}, pending ${offlineStatus.pending}`);
    if (offlineStatus.pending !== PUSH_OPS) throw new Error(`Expected ${PUSH_OPS} pending changes, the desk has ${offlineStatus.pending}`);

    // Back online. The engine retries a failed push after a backoff of up to 32 s (jittered), or at the
    // next write: the next scan at the desk, made here at once, starts the drain.
    desk.clockShiftMs = 0;
    desk.network.pushes.length = 0;
    desk.network.shapes = PUSH_DOWNLOADS;
    const logFrom = statSync(cloud.server.logFile).size;
    const commitsBefore = await commits(cloud.superUrl);
    let online = 0;
    const { result: drainSeconds, cpu } = await measureCpu(cloud.server.pid, async () => {
      online = performance.now();
      desk.network.online = true;
      await desk.core.call('checkins/create', { method: 'manual', memberId: gym.memberId(1) });
      await until(desk, async () => (await desk.status()).pending === 0, 600_000, 'the outbox to drain', 10);
      return secondsSince(online);
    });
    const drained = PUSH_OPS + 1;
    const status = await desk.status();
    const logged = requestsLogged(cloud.server.logFile, logFrom);
    await sleep(1_500); // let every backend flush its statistics
    const committed = (await commits(cloud.superUrl)) - commitsBefore;
    const ops = drained / drainSeconds;

    const pushes = desk.network.pushes;
    const requestSeconds = pushes.reduce((s, p) => s + p.ms, 0) / 1000;
    const entries = pushes.reduce((s, p) => s + p.entries, 0);
    const first = pushes[0];
    say(
      `push: drained ${drained.toLocaleString('en')} changes in ${drainSeconds.toFixed(2)} s = ${ops.toFixed(0)} mutations/s; ${pushes.length} push requests (${entries} entries, ${pushes.filter((p) => p.status !== 200).length} not 200), ` +
        `${requestSeconds.toFixed(2)} s inside them (${((1000 * requestSeconds) / Math.max(1, entries)).toFixed(2)} ms per mutation, ${(requestSeconds / Math.max(1, pushes.length)).toFixed(2)} s per batch of up to 500), ` +
        `${(drainSeconds - requestSeconds).toFixed(2)} s outside them (the desk, its downloads, the first request ${first ? ((first.startedAt - online) / 1000).toFixed(3) : '?'} s after going online); ` +
        `then ${status.state}, pending ${status.pending}, rejected ${status.rejected}`,
    );
    say(`push: ${cpuNote(cpu, drained, 'mutation')}`);
    say(
      `push: meanwhile the cloud answered ${logged.push} pushes (${(logged.pushMs / 1000).toFixed(2)} s of server time, ${(logged.pushMs / drained).toFixed(2)} ms per mutation), ` +
        `${logged.shape} shape requests and ${logged.other} others; Postgres committed ${committed.toLocaleString('en')} transactions (${(committed / drained).toFixed(1)} per mutation)`,
    );

    const client = new pg.Client({ connectionString: cloud.superUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from checkins where gym_id = $1 and device_id = $2`, [gym.gymId, (await desk.core.call('desk/info', {})).deviceId]);
      say(`push: the cloud holds ${rows[0]!.n.toLocaleString('en')} check-ins from this desk`);
      if (rows[0]!.n !== drained) throw new Error(`The cloud holds ${rows[0]!.n} check-ins from the push desk, not ${drained}`);
    } finally {
      await client.end();
    }

    const profile = await pushProfile(cloud, gym);
    const count = profile.statements.reduce((sum, x) => sum + x.count, 0);
    const total = profile.statements.reduce((sum, x) => sum + x.ms, 0);
    say(`push profile (in-process app, one push of ${profile.n} check-ins, no desk listening): ${count} SQL statements (${total.toFixed(2)} ms):`);
    for (const x of profile.statements) say(`  ${String(x.count).padStart(3)}× ${x.ms.toFixed(3).padStart(7)} ms  ${x.sql.replace(/\s+/g, ' ').trim().slice(0, 120)}`);
    return { 'sync.push_ops': { value: round(ops), unit: 'ops/s' } };
  } finally {
    await desk.close();
  }
}

// ---------------------------------------------------------------------------------------------------

async function latency(cloud: Cloud, gym: SyncGym): Promise<BenchResults> {
  const a = await pairedDesk(cloud, gym, 'a');
  let b: Awaited<ReturnType<typeof pairedDesk>> | null = null;
  try {
    b = await pairedDesk(cloud, gym, 'b');
    say(`latency: paired desks A and B with the small gym in ${a.seconds.toFixed(2)} s and ${b.seconds.toFixed(2)} s`);
    const deskA = a.desk;
    const deskB = b.desk;
    await deskA.login(PIN);
    await Promise.all([settled(deskA), settled(deskB)]);

    const onB = deskB.sqlite().prepare('select 1 from checkins where id = ?');
    let waiting: { id: string; seen: (at: number) => void } | null = null;
    const off = deskB.core.onEvent((e) => {
      if (waiting && e.type === 'changed' && e.entities.includes('checkins') && onB.get(waiting.id)) waiting.seen(performance.now());
    });
    const samples: number[] = [];
    try {
      for (let i = 0; i < LATENCY_SAMPLES; i++) {
        const memberId = gym.memberId(1 + (i % SMALL.members));
        const started = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const seenAt = new Promise<number>((resolve, reject) => {
          waiting = { id: '', seen: resolve };
          timer = setTimeout(() => reject(new Error(`check-in ${i} did not reach desk B within 30 s`)), 30_000);
        });
        const { checkin } = await deskA.core.call('checkins/create', { method: 'manual', memberId });
        waiting!.id = checkin.id;
        if (onB.get(checkin.id)) waiting!.seen(performance.now());
        try {
          samples.push((await seenAt) - started);
        } finally {
          clearTimeout(timer);
          waiting = null;
        }
        await sleep(LATENCY_PAUSE_MS);
      }
    } finally {
      off();
    }
    const p = (q: number) => round(percentile(samples, q), 1);
    say(`latency: ${samples.length} check-ins A → B: p50 ${p(50)} ms, p90 ${p(90)} ms, p95 ${p(95)} ms, p99 ${p(99)} ms, max ${round(Math.max(...samples), 1)} ms, min ${round(Math.min(...samples), 1)} ms`);
    const pushes = deskA.network.pushes;
    if (pushes.length > 0) say(`latency: A's push requests: ${pushes.length}, p50 ${round(percentile(pushes.map((x) => x.ms), 50), 1)} ms, p95 ${round(percentile(pushes.map((x) => x.ms), 95), 1)} ms`);
    return {
      'sync.latency_p95_ms': { value: p(95), unit: 'ms' },
      'sync.latency_p50_ms': { value: p(50), unit: 'ms' },
    };
  } finally {
    await b?.desk.close();
    await a.desk.close();
  }
}

// ---------------------------------------------------------------------------------------------------

export async function runSyncBench(): Promise<BenchResults> {
  const keep = process.env.BENCH_SYNC_KEEP === '1';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gymstack-sync-bench-'));
  const db = await createBenchDatabase('sync');
  let server: BenchServer | null = null;
  const started = performance.now();
  try {
    say(`Postgres ${db.embedded ? 'embedded' : 'from DATABASE_URL'} at ${new URL(db.adminUrl).host}, database ${db.database}; load average ${os.loadavg()[0]!.toFixed(2)}`);
    const pinHash = await hash(PIN);
    let t = performance.now();
    const large = ONLY.has('initial') ? await seedSyncGym(db.superUrl, { number: 1, ...LARGE, pinHash }) : null;
    const small = ONLY.has('push') || ONLY.has('latency') ? await seedSyncGym(db.superUrl, { number: 2, ...SMALL, pinHash }) : null;
    say(`seeded in ${secondsSince(t).toFixed(1)} s: ${large ? `large gym ${list(large.counts)}; ` : ''}${small ? `small gym ${list(small.counts)}` : ''}`);

    const keys = generateSigningKeys();
    t = performance.now();
    server = await startBenchServer({
      adminUrl: db.adminUrl,
      database: db.database,
      privateJwk: JSON.stringify(keys.privateKey.export({ format: 'jwk' })),
      dir,
      logLevel: process.env.BENCH_SYNC_LOG_LEVEL ?? 'info',
    });
    say(`cloud on ${server.url} in ${secondsSince(t).toFixed(1)} s (log ${server.logFile})`);
    const cloud: Cloud = { server, service: new TokenService(keys), keys, apiUrl: db.urls.api, superUrl: db.superUrl };

    const results: BenchResults = {};
    if (large) Object.assign(results, await initialSync(cloud, large, dir));
    if (small && ONLY.has('push')) Object.assign(results, await pushDrain(cloud, small));
    if (small && ONLY.has('latency')) Object.assign(results, await latency(cloud, small));
    say(`the sync group took ${secondsSince(started).toFixed(0)} s; load average ${os.loadavg()[0]!.toFixed(2)}`);
    return results;
  } finally {
    await server?.stop();
    await db.dispose(keep);
    if (keep) say(`kept database ${db.database} and ${dir}`);
    else if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}
