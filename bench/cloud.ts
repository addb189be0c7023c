/**
 * The cloud group (issue 3, "Figures"): HTTP throughput of the check-in and the member list against a
 * gym with 5,000 members, each next to pgbench running the very SQL the route runs, and the cost of
 * row-level security on the member-list SQL. See docs/benchmarks.md, "Cloud".
 *
 * One run: Postgres from DATABASE_URL (a superuser URL; a scratch database is created and dropped),
 * else an embedded cluster in a temp dir; the data seeded in SQL (bench/cloud/seed.ts); the cloud
 * started as its own process (`cloud/src/server.ts`, as `npm run cloud` starts it) on a free port; load
 * from autocannon in a third process (bench/cloud/load.ts). Every figure is measured in ROUNDS rounds
 * and the round with the median ratio is reported.
 *
 * Environment: BENCH_CLOUD_MEMBERS (5000), BENCH_CLOUD_ROUNDS (3), BENCH_CLOUD_SECONDS (10),
 * BENCH_CLOUD_WARMUP (3), BENCH_CLOUD_CONNECTIONS (64), BENCH_CLOUD_ONLY=checkin,list,rls,
 * BENCH_CLOUD_LOG_LEVEL (the server's LOG_LEVEL, default info), BENCH_CLOUD_POOL_MAX (the server's
 * DATABASE_POOL_MAX, default: the server's own default), BENCH_CLOUD_KEEP=1 (keep the database and temp files).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKeys, TokenService } from '@gymstack/cloud';
import pg from 'pg';
import { type Probe, type Statement, type Substitute, captureStatements, pgbenchScript } from './cloud/capture.js';
import type { LoadConfig, LoadResult } from './cloud/load.js';
import { type CpuShares, measureCpu } from './cloud/cpu.js';
import { createBenchDatabase } from './cloud/database.js';
import { findPgbench, type PgbenchResult, runPgbench } from './cloud/pgbench.js';
import { benchId, type Seeded, seedBench } from './cloud/seed.js';
import { type BenchServer as Server, startBenchServer } from './cloud/server.js';
import { type BenchResults, medianBy, withBaseline } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const MEMBERS = env('BENCH_CLOUD_MEMBERS', 5_000);
const ROUNDS = env('BENCH_CLOUD_ROUNDS', 3);
const SECONDS = env('BENCH_CLOUD_SECONDS', 10);
const WARMUP = env('BENCH_CLOUD_WARMUP', 3);
const CONNECTIONS = env('BENCH_CLOUD_CONNECTIONS', 64);
/** pgbench worker threads: one per core of the 2-core reference machine. */
const PGBENCH_THREADS = 2;
const ONLY = new Set((process.env.BENCH_CLOUD_ONLY ?? 'checkin,list,rls').split(',').map((s) => s.trim()));
const LIST_URL = '/api/v1/members?status=active&perPage=50';

const say = (line: string) => console.log(`  ${line}`);

/** A SQL v7 uuid (time-ordered, like the API's `uuid` v7 ids): what a fresh id in the route becomes in pgbench. */
const SQL_V7 =
  "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------------
// Load from a second process

type LoadRequest = Omit<LoadConfig, 'connections' | 'warmupSeconds' | 'seconds'>;

/** One bounded autocannon run of `seconds` in its own process. */
function runLoadProcess(config: LoadRequest, seconds: number, dir: string): Promise<LoadResult> {
  const file = path.join(dir, `load-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify({ connections: CONNECTIONS, warmupSeconds: 0, seconds, ...config } satisfies LoadConfig));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'cloud', 'load.ts'), file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Bounded: the run itself, plus start-up, plus slack.
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(file, { force: true });
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) return reject(new Error(`load generator failed (exit ${code}):\n${stderr.slice(-3000)}`));
      resolve(JSON.parse(last) as LoadResult);
    });
  });
}

interface AppRun {
  load: LoadResult;
  cpu: CpuShares;
}

/** A warm-up run (dropped), then the measured run with the machine's CPU accounted. */
async function runLoad(config: LoadRequest, server: Server, dir: string): Promise<AppRun> {
  if (WARMUP > 0) await runLoadProcess(config, WARMUP, dir);
  const { result, cpu } = await measureCpu(server.pid, () => runLoadProcess(config, SECONDS, dir));
  return { load: result, cpu };
}

// ---------------------------------------------------------------------------------------------------
// The data's handles

interface Handles {
  seeded: Seeded;
  desks: { id: string; branchId: string }[];
  memberId: (n: number) => string;
  card: (n: number) => string;
}

function handles(seeded: Seeded): Handles {
  const { gym } = seeded;
  return {
    seeded,
    desks: gym.branches.flatMap((b) => b.desks.map((id) => ({ id, branchId: b.id }))),
    memberId: (n) => benchId(gym.number, 0, n),
    card: (n) => String(gym.cardBase + n),
  };
}

async function tokensFor(service: TokenService, h: Handles): Promise<{ desks: string[]; owner: string }> {
  const { gymId, ownerId } = h.seeded.gym;
  return {
    desks: await Promise.all(h.desks.map((d) => service.sign({ gymId, userId: d.id, role: 'desk', branchIds: [d.branchId], deviceId: d.id }))),
    owner: await service.sign({ gymId, userId: ownerId, role: 'owner', branchIds: [] }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Baseline scripts from the route's own SQL

interface Scripts {
  checkin: { file: string; weight: number }[];
  list: { file: string; weight: number }[];
  /** The member-list SQL inside the tenant transaction (no token check), for the RLS comparison. */
  listData: { file: string; weight: number }[];
  checkinStatements: number;
  listStatements: number;
}

async function buildScripts(apiUrl: string, keys: ReturnType<typeof generateSigningKeys>, tokens: { desks: string[]; owner: string }, h: Handles, dir: string): Promise<Scripts> {
  const probeMembers = h.desks.map((_d, i) => 17 + i * 101);
  const probes: Probe[] = [
    ...h.desks.map((_d, i) => ({
      method: 'POST' as const,
      url: '/api/v1/check-ins',
      token: tokens.desks[i]!,
      body: { method: 'card', credential: { kind: 'card', value: h.card(probeMembers[i]!) } },
    })),
    { method: 'GET', url: LIST_URL, token: tokens.owner },
  ];
  const captured = await captureStatements(apiUrl, keys, probes);
  const known = new Set<string>([h.seeded.gym.gymId, h.seeded.gym.ownerId, ...h.desks.flatMap((d) => [d.id, d.branchId])]);
  const prefix = h.memberId(0).slice(0, 24);
  const memberExpr = `('${prefix}' || lpad(to_hex(:n::int), 12, '0'))::uuid`;

  const checkin = captured.slice(0, h.desks.length).map((statements, i) => {
    const probeMember = h.memberId(probeMembers[i]!);
    const probeCard = h.card(probeMembers[i]!);
    const substitute: Substitute = (value) => {
      if (value instanceof Date) return 'now()';
      if (value === probeMember) return memberExpr;
      if (value === probeCard) return ':card';
      if (Array.isArray(value) && value.length === 1 && value[0] === probeMember) return `array[${memberExpr}]`;
      if (typeof value === 'string' && UUID.test(value) && !known.has(value)) return SQL_V7;
      return null;
    };
    const file = path.join(dir, `checkin-desk${i + 1}.sql`);
    writeFileSync(file, pgbenchScript(statements, substitute, ['\\set n random(1, :members)', '\\set card :card_base + :n']));
    return { file, weight: 1 };
  });
  const listStatements = captured[h.desks.length]!;
  const keepLiterals: Substitute = () => null;
  const listFile = path.join(dir, 'members-list.sql');
  writeFileSync(listFile, pgbenchScript(listStatements, keepLiterals));
  // The same minus the token check, which runs before the transaction and touches no tenant table.
  const data = listStatements.filter((s: Statement) => !s.sql.includes('auth_session_live'));
  const dataFile = path.join(dir, 'members-list-data.sql');
  writeFileSync(dataFile, pgbenchScript(data, keepLiterals));
  return {
    checkin,
    list: [{ file: listFile, weight: 1 }],
    listData: [{ file: dataFile, weight: 1 }],
    checkinStatements: captured[0]!.length,
    listStatements: listStatements.length,
  };
}

/**
 * The RLS-free side of `cloud.rls_overhead`. Superusers bypass row-level security whatever FORCE says,
 * so the superuser runs the same statements with `search_path = bench_norls, public`, where
 * bench_norls has one plain view per tenant table, `select * from public.<t> where gym_id = '<gym>'`
 * (gyms: `where id = '<gym>'`). The planner inlines such views, so the statement text stays the route's
 * own and the tenancy predicate becomes an ordinary WHERE instead of a policy.
 */
async function createNoRlsSchema(dbAdminUrl: string, gymId: string): Promise<void> {
  const client = new pg.Client({ connectionString: dbAdminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ super: boolean }>('select rolsuper or rolbypassrls as super from pg_roles where rolname = current_user');
    if (!rows[0]?.super) throw new Error('cloud.rls_overhead needs DATABASE_URL to be a superuser (or BYPASSRLS) URL');
    const tables = await client.query<{ name: string; key: string }>(
      `select c.relname as name, case when c.relname = 'gyms' then 'id' else 'gym_id' end as key
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' and c.relforcerowsecurity order by 1`,
    );
    await client.query('create schema bench_norls');
    for (const t of tables.rows) {
      await client.query(`create view bench_norls.${pg.escapeIdentifier(t.name)} as select * from public.${pg.escapeIdentifier(t.name)} where ${t.key} = ${pg.escapeLiteral(gymId)}`);
    }
  } finally {
    await client.end();
  }
}

function onDatabase(url: string, database: string, options?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  // libpq decodes %20 but not `+`, which URLSearchParams would write for a space.
  if (options) u.search = `options=${encodeURIComponent(options)}`;
  return u.toString();
}

// ---------------------------------------------------------------------------------------------------
// Checks that the load does what it claims

async function verdicts(ownerUrl: string, gymId: string, since: Date): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('app.gym_id', $1, true)`, [gymId]);
    const { rows } = await client.query<{ v: string; n: number }>(
      `select coalesce(reason, verdict) as v, count(*)::int as n from checkins where created_at >= $1 group by 1 order by 2 desc`,
      [since],
    );
    await client.query('commit');
    const total = rows.reduce((s, r) => s + r.n, 0);
    return rows.map((r) => `${r.v} ${((100 * r.n) / total).toFixed(1)}%`).join(', ');
  } finally {
    await client.end();
  }
}

/** The member list's total for each state, through the API (as a check that the seed means what it says). */
async function statesOf(url: string, token: string): Promise<string> {
  const states = ['active', 'expiring', 'grace', 'expired', 'frozen', 'pending', 'cancelled', 'none'];
  const totals = await Promise.all(
    states.map(async (state) => {
      const res = await fetch(`${url}/api/v1/members?status=${state}&perPage=1`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`GET /members?status=${state} answered ${res.status}`);
      return `${state} ${((await res.json()) as { meta: { total: number } }).meta.total}`;
    }),
  );
  return totals.join(', ');
}

function assertClean(what: string, r: LoadResult): void {
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) {
    throw new Error(`${what}: ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes)}), ${r.errors} errors, ${r.timeouts} timeouts`);
  }
}

// ---------------------------------------------------------------------------------------------------

interface PgRun {
  pg: PgbenchResult;
  cpu: CpuShares;
}

interface Round {
  checkin?: { app: AppRun; base: PgRun };
  list?: { app: AppRun; base: PgRun };
  rls?: { on: PgbenchResult; off: PgbenchResult };
}

/** Per request, where the CPU went, and a warning when other processes took a real share of it. */
function cpuNote(cpu: CpuShares, count: number): string {
  const ms = (s: number) => ((1000 * s) / count).toFixed(2);
  const warn = cpu.otherShare > 0.05 ? ` !! other processes took ${(100 * cpu.otherShare).toFixed(0)}% of the CPU: figures skewed` : '';
  return `cpu/req: server ${ms(cpu.server)} ms, postgres ${ms(cpu.postgres)} ms, client ${ms(cpu.client)} ms, other ${ms(cpu.other)} ms${warn}`;
}

export async function runCloudBench(): Promise<BenchResults> {
  const pgbench = findPgbench();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gymstack-cloud-bench-'));
  const keep = process.env.BENCH_CLOUD_KEEP === '1';
  const db = await createBenchDatabase('cloud');
  const { adminUrl, database, urls } = db;
  let server: Server | null = null;
  try {
    say(`Postgres ${db.embedded ? 'embedded' : 'from DATABASE_URL'} at ${new URL(adminUrl).host}, database ${database}; pgbench ${pgbench}`);
    const t = Date.now();
    const seeded = await seedBench(urls.owner, MEMBERS);
    say(`seeded ${seeded.gym.members} + ${seeded.other.members} members in ${((Date.now() - t) / 1000).toFixed(1)} s; the measured gym: ${Object.entries(seeded.counts).map(([k, n]) => `${n} ${k}`).join(', ')}`);
    const h = handles(seeded);

    const keys = generateSigningKeys();
    const service = new TokenService(keys);
    const privateJwk = JSON.stringify(keys.privateKey.export({ format: 'jwk' }));
    server = await startBenchServer({ adminUrl, database, privateJwk, dir, logLevel: process.env.BENCH_CLOUD_LOG_LEVEL ?? 'info', poolMax: process.env.BENCH_CLOUD_POOL_MAX });
    say(`cloud on ${server.url} (log ${server.logFile})`);

    const firstTokens = await tokensFor(service, h);
    say(`members by derived state (the API's own count): ${await statesOf(server.url, firstTokens.owner)}`);
    const scripts = await buildScripts(urls.api, keys, firstTokens, h, dir);
    say(`baseline scripts from the routes' own SQL: check-in ${scripts.checkinStatements} statements, member list ${scripts.listStatements} (in ${dir})`);
    const define = { members: MEMBERS, card_base: seeded.gym.cardBase };
    const pgRun = async (url: string, files: { file: string; weight: number }[]): Promise<PgRun> => {
      const base = { bin: pgbench, url, scripts: files, clients: CONNECTIONS, threads: PGBENCH_THREADS, define };
      if (WARMUP > 0) await runPgbench({ ...base, seconds: WARMUP });
      const { result, cpu } = await measureCpu(server?.pid, () => runPgbench({ ...base, seconds: SECONDS, logLatencies: true }));
      return { pg: result, cpu };
    };
    /**
     * The RLS comparison runs both sides at once, half the clients each (32 + 32 = the same 64): every
     * backend is CPU-bound and the scheduler shares the cores evenly, so each side's throughput is
     * inversely proportional to what one transaction costs, and whatever else the machine does in
     * those seconds weighs on both sides alike. (Run one after the other, the drift between two
     * 10-second windows on this shared machine was as large as the effect.)
     */
    const rlsPair = async () => {
      const half = (url: string, seconds: number, logLatencies = false) =>
        runPgbench({ bin: pgbench, url, scripts: scripts.listData, clients: CONNECTIONS / 2, threads: 1, define, seconds, logLatencies });
      if (WARMUP > 0) await Promise.all([half(urls.api, WARMUP), half(noRlsUrl, WARMUP)]);
      const { result, cpu } = await measureCpu(server?.pid, () => Promise.all([half(urls.api, SECONDS), half(noRlsUrl, SECONDS)]));
      return { on: result[0], off: result[1], cpu };
    };
    if (ONLY.has('rls')) await createNoRlsSchema(onDatabase(adminUrl, database), seeded.gym.gymId);
    const noRlsUrl = onDatabase(adminUrl, database, '-c search_path=bench_norls,public');

    const rounds: Round[] = [];
    for (let i = 1; i <= ROUNDS; i++) {
      const round: Round = {};
      const tokens = await tokensFor(service, h);
      if (ONLY.has('checkin')) {
        const since = new Date();
        const bodies = Array.from({ length: MEMBERS }, (_x, k) => ({ method: 'card', credential: { kind: 'card', value: h.card(k + 1) } }));
        const app = await runLoad({ url: server.url, method: 'POST', path: '/api/v1/check-ins', tokens: tokens.desks, bodies }, server, dir);
        assertClean('check-in load', app.load);
        const mix = await verdicts(urls.owner, seeded.gym.gymId, since);
        const base = await pgRun(urls.api, scripts.checkin);
        round.checkin = { app, base };
        say(`round ${i} check-in: ${app.load.rps.toFixed(0)} req/s p99 ${app.load.p99Ms} ms | pgbench ${base.pg.tps.toFixed(0)} tps p99 ${base.pg.p99Ms?.toFixed(1)} ms | ratio ${(app.load.rps / base.pg.tps).toFixed(2)}`);
        say(`  app ${cpuNote(app.cpu, app.load.requests)}`);
        say(`  pgbench ${cpuNote(base.cpu, base.pg.transactions)}`);
        say(`  verdicts: ${mix}`);
      }
      if (ONLY.has('list')) {
        const app = await runLoad({ url: server.url, method: 'GET', path: LIST_URL, tokens: [tokens.owner] }, server, dir);
        assertClean('member-list load', app.load);
        const base = await pgRun(urls.api, scripts.list);
        round.list = { app, base };
        say(`round ${i} members list: ${app.load.rps.toFixed(0)} req/s p99 ${app.load.p99Ms} ms | pgbench ${base.pg.tps.toFixed(0)} tps p99 ${base.pg.p99Ms?.toFixed(1)} ms | ratio ${(app.load.rps / base.pg.tps).toFixed(2)}`);
        say(`  app ${cpuNote(app.cpu, app.load.requests)}`);
        say(`  pgbench ${cpuNote(base.cpu, base.pg.transactions)}`);
      }
      if (ONLY.has('rls')) {
        const { on, off, cpu } = await rlsPair();
        round.rls = { on, off };
        say(`round ${i} RLS: ${on.tps.toFixed(1)} tps | without RLS ${off.tps.toFixed(1)} tps, side by side | RLS/no-RLS time ${(off.tps / on.tps).toFixed(3)}`);
        say(`  both ${cpuNote(cpu, on.transactions + off.transactions)}`);
      }
      rounds.push(round);
    }

    const results: BenchResults = {};
    const checkins = rounds.flatMap((r) => (r.checkin ? [r.checkin] : []));
    if (checkins.length > 0) {
      const m = medianBy(checkins, (c) => c.app.load.rps / c.base.pg.tps);
      results['cloud.checkin_rps'] = withBaseline(m.app.load.rps, m.base.pg.tps, 'ops/s');
      results['cloud.checkin_p99_ms'] = withBaseline(m.app.load.p99Ms, m.base.pg.p99Ms ?? NaN, 'ms');
    }
    const lists = rounds.flatMap((r) => (r.list ? [r.list] : []));
    if (lists.length > 0) {
      const m = medianBy(lists, (c) => c.app.load.rps / c.base.pg.tps);
      results['cloud.members_list_rps'] = withBaseline(m.app.load.rps, m.base.pg.tps, 'ops/s');
      results['cloud.members_list_p99_ms'] = withBaseline(m.app.load.p99Ms, m.base.pg.p99Ms ?? NaN, 'ms');
    }
    const rls = rounds.flatMap((r) => (r.rls ? [r.rls] : []));
    if (rls.length > 0) {
      // Time per transaction, each side with half the clients on half the machine: clients / TPS.
      const m = medianBy(rls, (c) => c.off.tps / c.on.tps);
      results['cloud.rls_overhead'] = withBaseline((1000 * (CONNECTIONS / 2)) / m.on.tps, (1000 * (CONNECTIONS / 2)) / m.off.tps, 'ms');
    }
    return results;
  } finally {
    await server?.stop();
    await db.dispose(keep);
    if (!keep) {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    } else {
      say(`kept database ${database} and ${dir}`);
    }
  }
}
