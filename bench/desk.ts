/**
 * The desk group: check-in, member search, member list and cold start, on a desk database with
 * 50,000 members, 60,000 memberships and 2,000,000 check-ins built by the demo seeder.
 *
 * The seeded database is cached under .data/bench/, keyed by the seed parameters and a hash of the
 * migrations and the seeder's sources, so only the first run (or one after a schema change) pays for
 * building it. Every run works on a fresh copy, so no run sees the previous run's check-ins.
 *
 * Environment: BENCH_DESK_ONLY=build|open|checkin|search|list (comma-separated) runs part of the
 * group, e.g. under `node --cpu-prof`; BENCH_DESK_CHECKINS overrides the 10,000 measured check-ins;
 * BENCH_DESK_DUMP=<file> writes every check-in sample (and GC pause) there for a closer look.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { v7 as uuid } from 'uuid';
import { type AccessRules, type Checkin, type DateRange, checkinVerdict, denyReasonText, localDateAt, memberStatus } from '@gymstack/shared';
import { CONNECTION_PRAGMAS, type Core, DEMO_PINS, type DeskReply, noDevices, openCore, seedDemo } from '@gymstack/desktop/core';
import { type BenchResults, percentile, round, sampleMs, withBaseline } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const coreDir = path.join(root, 'desktop', 'src', 'core');

/** What the issue asks for. `now` is fixed so the cached database means the same thing on every run. */
const SEED = { members: 50_000, memberships: 60_000, checkins: 2_000_000, days: 60, seed: 20_261_121, now: '2026-11-21T14:30:00.000Z' } as const;
/** Bump to throw away caches built by an older version of this file. */
const CACHE_FORMAT = 1;
const DB_FILE = 'desk.sqlite';

const only = new Set((process.env.BENCH_DESK_ONLY ?? 'build,open,checkin,search,list').split(',').map((s) => s.trim()));
const CHECKINS = Number(process.env.BENCH_DESK_CHECKINS ?? 10_000);
const CHECKIN_WARMUP = 1_000;
const SEARCHES = 3_000;
const SEARCH_WARMUP = 300;
const LIST_CALLS_PER_FILTER = 20;
const COLD_STARTS = 5;

/** The bench day opens the morning after the seeded history ends: 06:00 in Pune. */
const BENCH_START = Date.parse('2026-11-22T00:30:00.000Z');
/** Simulated time between two check-ins at the door. */
const CHECKIN_SPACING_MS = 1_500;

const log = (line: string) => console.log(`  ${line}`);
/** The 1-minute load average: on a 2-core machine, anything above ~1 means other work competed. */
const load = () => `load ${os.loadavg()[0]?.toFixed(2)}`;
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

// ---------------------------------------------------------------------------------------------------
// The cached database

function sourcesHash(): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ SEED, CACHE_FORMAT }));
  const migrations = path.join(coreDir, 'db', 'migrations');
  const files = [
    ...readdirSync(migrations)
      .sort()
      .map((f) => path.join(migrations, f)),
    path.join(coreDir, 'demo', 'seed.ts'),
    path.join(coreDir, 'demo', 'names.ts'),
  ];
  for (const file of files) hash.update(`${path.relative(root, file)}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

interface BuildInfo {
  seconds: number;
  builtAt: string;
  report: unknown;
  bytes: number;
}

/** The cached seeded database, built first if there is none for the current seed and schema. */
async function benchDatabase(): Promise<{ dir: string; build: BuildInfo; reused: boolean }> {
  const cacheRoot = path.join(root, '.data', 'bench');
  const key = sourcesHash();
  const dir = path.join(cacheRoot, `desk-${key}`);
  const infoFile = path.join(dir, 'build.json');
  if (existsSync(infoFile)) return { dir, build: JSON.parse(readFileSync(infoFile, 'utf8')) as BuildInfo, reused: true };

  mkdirSync(cacheRoot, { recursive: true });
  const building = path.join(cacheRoot, `building-${key}-${process.pid}`);
  rmSync(building, { recursive: true, force: true });
  log(`building the bench database (${SEED.members} members, ${SEED.memberships} memberships, ${SEED.checkins} check-ins) in ${path.relative(root, building)}…`);
  const started = performance.now();
  const report = await seedDemo({
    dataDir: building,
    now: () => new Date(SEED.now),
    members: SEED.members,
    memberships: SEED.memberships,
    checkins: SEED.checkins,
    days: SEED.days,
    seed: SEED.seed,
  });
  // Fold the WAL into the main file so every copy starts from the same single file.
  const db = new BetterSqlite3(path.join(building, DB_FILE));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const seconds = (performance.now() - started) / 1000;
  rmSync(path.join(building, 'backups'), { recursive: true, force: true });
  const build: BuildInfo = { seconds: round(seconds, 1), builtAt: new Date().toISOString(), report, bytes: statSync(path.join(building, DB_FILE)).size };
  writeFileSync(path.join(building, 'build.json'), `${JSON.stringify(build, null, 2)}\n`);
  // Older caches (another seed or schema) are a gigabyte each; keep only this one.
  for (const stale of readdirSync(cacheRoot).filter((d) => d.startsWith('desk-'))) rmSync(path.join(cacheRoot, stale), { recursive: true, force: true });
  renameSync(building, dir);
  return { dir, build, reused: false };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A fresh working copy of the cached database for this run (and away with any a crashed run left). */
function workingCopy(cacheDir: string): string {
  const benchDir = path.join(root, '.data', 'bench');
  for (const stale of readdirSync(benchDir).filter((d) => /^run-\d+$/.test(d) && !alive(Number(d.slice(4))))) {
    rmSync(path.join(benchDir, stale), { recursive: true, force: true });
  }
  const dir = path.join(benchDir, `run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(cacheDir, DB_FILE), path.join(dir, DB_FILE));
  return dir;
}

/** Best effort: write the file out and drop it from the page cache, so the next open reads the disk. */
function evictFromPageCache(file: string): boolean {
  if (!existsSync(file)) return true;
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Fixtures read straight from the database

interface MemberRow {
  id: string;
  code: string;
  full_name: string;
  phone: string;
}

interface Fixtures {
  members: MemberRow[];
  cards: string[];
  desk: { gymId: string; branchId: string; deviceId: string; timeZone: string; antiPassbackMinutes: number; duesBlockPaise: number | null; graceDays: number; expiringWithinDays: number };
  frontdesk: { id: string; name: string };
}

function readFixtures(file: string): Fixtures {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const members = db.prepare('select id, code, full_name, phone from members where deleted_at is null order by rowid').all() as MemberRow[];
    const cards = (db.prepare(`select value from member_credentials where kind = 'card' and deleted_at is null order by rowid`).all() as { value: string }[]).map((r) => r.value);
    const s = db
      .prepare(
        `select s.gym_id, s.branch_id, s.device_id, s.anti_passback_minutes, s.dues_block_paise, s.grace_days, s.expiring_within_days, g.time_zone
         from settings s join gym g on g.id = s.gym_id where s.deleted_at is null`,
      )
      .get() as {
      gym_id: string;
      branch_id: string;
      device_id: string;
      anti_passback_minutes: number;
      dues_block_paise: number | null;
      grace_days: number;
      expiring_within_days: number;
      time_zone: string;
    };
    const frontdesk = db.prepare(`select id, name from staff where role = 'frontdesk' and active = 1 and deleted_at is null`).get() as { id: string; name: string };
    return {
      members,
      cards,
      frontdesk,
      desk: {
        gymId: s.gym_id,
        branchId: s.branch_id,
        deviceId: s.device_id,
        timeZone: s.time_zone,
        antiPassbackMinutes: s.anti_passback_minutes,
        duesBlockPaise: s.dues_block_paise,
        graceDays: s.grace_days,
        expiringWithinDays: s.expiring_within_days,
      },
    };
  } finally {
    db.close();
  }
}

/** mulberry32, so every run picks the same members and queries. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}

function shuffled<T>(items: readonly T[], random: ReturnType<typeof prng>): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The raw baseline: the check-in handler's SQL on prepared better-sqlite3 statements

type CheckinArgs = { method: Checkin['method']; memberId?: string; memberCode?: string; credential?: { kind: 'card'; value: string } };

interface SummaryRow {
  id: string;
  code: string;
  full_name: string;
  phone: string;
  date_of_birth: string | null;
  has_photo: number;
}

interface FactsRow {
  id: string;
  member_id: string;
  start_date: string;
  end_date: string;
  price_paise: number;
  cancelled_at: string | null;
  plan_name: string;
  access: string;
  paid_paise: number;
  freezes: string;
}

/**
 * The same reads, the same shared rules (state, verdict), the same two inserts in one IMMEDIATE
 * transaction, on a second connection to the same file with the core's CONNECTION_PRAGMAS
 * (synchronous = FULL; the core's background checkpointer folds this connection's WAL pages back
 * too). What it leaves out is everything the core adds around the SQL: argument and result
 * validation, the session and role check, the event, and the reply envelope.
 */
function rawCheckin(file: string, fx: Fixtures, clock: () => Date) {
  const db = new BetterSqlite3(file);
  for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
  const summary = `select members.id, members.code, members.full_name, members.phone, members.date_of_birth,
    exists (select 1 from member_photos ph where ph.member_id = members.id and ph.deleted_at is null) as has_photo from members`;
  const byId = db.prepare(`${summary} where members.deleted_at is null and members.id = ?`);
  const byCode = db.prepare(`${summary} where members.deleted_at is null and members.code = ?`);
  const byCard = db.prepare(
    `${summary} inner join member_credentials as mc on mc.member_id = members.id
     where members.deleted_at is null and mc.kind = ? and mc.value = ? and mc.deleted_at is null`,
  );
  const facts = db.prepare(
    `select m.id, m.member_id, m.start_date, m.end_date, m.price_paise, m.cancelled_at,
       json_extract(m.plan, '$.name') as plan_name, json_extract(m.plan, '$.access') as access,
       (select coalesce(sum(p.amount_paise), 0) from payments p where p.membership_id = m.id and p.deleted_at is null) as paid_paise,
       (select json_group_array(json_object('from', f.from_date, 'to', f.to_date)) from freezes f where f.membership_id = m.id and f.deleted_at is null) as freezes
     from memberships as m where m.deleted_at is null and m.member_id = ?`,
  );
  const lastAllowed = db.prepare(`select at from checkins where member_id = ? and verdict = ? order by at desc limit ?`);
  const insertCheckin = db.prepare(
    `insert into checkins (id, gym_id, branch_id, member_id, method, verdict, reason, at, on_date, device_id, staff_id, created_at, updated_at, deleted_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const maxSeq = db.prepare('select max(seq) as seq from outbox');
  const insertOutbox = db.prepare('insert into outbox (seq, device_id, mutation_id, name, args, created_at) values (?, ?, ?, ?, ?, ?)');
  const { desk } = fx;
  const persist = db.transaction((c: Checkin, today: string) => {
    insertCheckin.run(c.id, desk.gymId, c.branchId, c.memberId, c.method, c.verdict, c.reason, c.at, today, c.deviceId, c.staffId, c.at, c.at, null);
    const last = maxSeq.get() as { seq: number | null };
    insertOutbox.run((last.seq ?? 0) + 1, desk.deviceId, uuid(), 'checkins/create', JSON.stringify(c), c.at);
  });
  const noAccess: AccessRules = { allowedBranchIds: null, hours: null };

  const run = (args: CheckinArgs) => {
    const member = (
      args.memberId !== undefined ? byId.get(args.memberId) : args.memberCode !== undefined ? byCode.get(args.memberCode) : byCard.get('card', args.credential?.value)
    ) as SummaryRow | undefined;
    const now = clock();
    const today = localDateAt(now, desk.timeZone);
    let status = null;
    let access = noAccess;
    if (member) {
      const memberships = (facts.all(member.id) as FactsRow[]).map((r) => ({
        id: r.id,
        planName: r.plan_name,
        access: JSON.parse(r.access) as AccessRules,
        start: r.start_date,
        end: r.end_date,
        pricePaise: r.price_paise,
        paidPaise: r.paid_paise,
        cancelledAt: r.cancelled_at,
        freezes: JSON.parse(r.freezes) as DateRange[],
      }));
      const derived = memberStatus(memberships, today, desk);
      status = derived.status;
      access = derived.current?.access ?? noAccess;
    }
    const verdictWith = (lastCheckinAt: Date | null) =>
      checkinVerdict({
        member: status && { state: status.state === 'none' ? null : status.state, duePaise: status.duePaise },
        access,
        branchId: desk.branchId,
        now,
        timeZone: desk.timeZone,
        lastCheckinAt,
        antiPassbackMinutes: desk.antiPassbackMinutes,
        duesBlockPaise: desk.duesBlockPaise,
      });
    // As the handler does: the last allowed check-in is read only when the rule would let them in.
    let verdict = verdictWith(null);
    if (member && verdict.verdict === 'allow') {
      const last = lastAllowed.get(member.id, 'allow', 1) as { at: string } | undefined;
      if (last) verdict = verdictWith(new Date(last.at));
    }
    const checkin: Checkin = {
      id: uuid(),
      memberId: member?.id ?? null,
      branchId: desk.branchId,
      method: args.method,
      verdict: verdict.verdict,
      reason: verdict.verdict === 'deny' ? verdict.reason : null,
      at: now.toISOString(),
      deviceId: desk.deviceId,
      staffId: fx.frontdesk.id,
    };
    persist.immediate(checkin, today);
    return {
      checkin,
      member: member && status && { id: member.id, code: member.code, fullName: member.full_name, phone: member.phone, hasPhoto: member.has_photo === 1, dateOfBirth: member.date_of_birth, status },
      reasonText: verdict.verdict === 'deny' ? denyReasonText[verdict.reason] : null,
    };
  };
  return { run, close: () => db.close() };
}

// ---------------------------------------------------------------------------------------------------
// Workloads

/**
 * Who comes to the door: distinct members in a random order, 45% picked on screen (id), 45% by
 * typed member code, 10% by card (a few of them unknown cards); about 2% come back within the
 * anti-passback window so that denial is in the mix too.
 */
function checkinTargets(fx: Fixtures, count: number, random: ReturnType<typeof prng>): CheckinArgs[] {
  const members = shuffled(fx.members, random);
  const cardOf = new Map<string, string>();
  const cards = fx.cards;
  const targets: CheckinArgs[] = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    const r = random.next();
    if (r < 0.005) {
      targets.push({ method: 'card', credential: { kind: 'card', value: `FF${random.int(0x1000_0000, 0x7fff_ffff).toString(16).toUpperCase()}` } });
      continue;
    }
    if (r < 0.025 && targets.length > 10) {
      // A repeat a few places back: seconds or minutes later in simulated time.
      targets.push({ ...(targets[targets.length - random.int(2, 10)] as CheckinArgs) });
      continue;
    }
    const member = members[next++ % members.length] as MemberRow;
    if (r < 0.1) {
      let card = cardOf.get(member.id);
      if (card === undefined) {
        card = cards[random.int(0, cards.length - 1)] as string;
        cardOf.set(member.id, card);
      }
      targets.push({ method: 'card', credential: { kind: 'card', value: card } });
    } else if (r < 0.55) targets.push({ method: 'manual', memberId: member.id });
    else targets.push({ method: 'manual', memberCode: member.code });
  }
  return targets;
}

const TYPO_EDITS = [
  (w: string, i: number) => w.slice(0, i) + w.slice(i + 1), // a letter dropped
  (w: string, i: number) => w.slice(0, i) + (w[i + 1] ?? '') + (w[i] ?? '') + w.slice(i + 2), // two letters swapped
  (w: string, i: number) => w.slice(0, i) + 'aeiou'[(('aeiou'.indexOf(w[i] ?? 'a') + 1) % 5)] + w.slice(i + 1), // a wrong vowel or letter
];

type SearchKind = 'name' | 'phone' | 'code' | 'typo';

/** What the desk types into search: name prefixes, the last 4 to 6 phone digits, member codes and typos. */
function searchQueries(fx: Fixtures, count: number, random: ReturnType<typeof prng>): { kind: SearchKind; query: string }[] {
  const queries: { kind: SearchKind; query: string }[] = [];
  for (let i = 0; i < count; i++) {
    const member = random.pick(fx.members);
    const [first = '', last = ''] = member.full_name.split(' ');
    const r = random.next();
    if (r < 0.35) {
      // As typed: 2 to 6 letters of the first name, sometimes the first name and part of the surname.
      const query = random.next() < 0.7 ? first.slice(0, random.int(2, 6)) : `${first} ${last.slice(0, random.int(1, 4))}`;
      queries.push({ kind: 'name', query: random.next() < 0.5 ? query.toLowerCase() : query });
    } else if (r < 0.6) {
      queries.push({ kind: 'phone', query: member.phone.slice(-random.int(4, 6)) });
    } else if (r < 0.85) {
      queries.push({ kind: 'code', query: random.next() < 0.8 ? member.code : member.code.toLowerCase() });
    } else {
      const word = random.next() < 0.5 ? first : last;
      const edit = random.pick(TYPO_EDITS);
      const typo = edit(word.toLowerCase(), random.int(1, Math.max(1, word.length - 2)));
      queries.push({ kind: 'typo', query: random.next() < 0.5 ? typo : `${typo} ${(word === first ? last : first).slice(0, 3)}` });
    }
  }
  return queries;
}

function summary(samples: readonly number[]): string {
  return `p50 ${fmt(percentile(samples, 50))}  p90 ${fmt(percentile(samples, 90))}  p99 ${fmt(percentile(samples, 99))}  p99.9 ${fmt(percentile(samples, 99.9))}  max ${fmt(Math.max(...samples))}`;
}

function tally(into: Map<string, number>, key: string): void {
  into.set(key, (into.get(key) ?? 0) + 1);
}

const showTally = (t: Map<string, number>) =>
  [...t.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

/** Garbage-collection pauses (start on the performance.now() timeline, and duration) while `fn` runs. */
async function gcPauses<T>(fn: () => Promise<T>): Promise<{ result: T; pauses: { start: number; ms: number }[] }> {
  const pauses: { start: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, ms: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const result = await fn();
    await new Promise((resolve) => setTimeout(resolve, 100)); // entries arrive on a timer tick
    return { result, pauses };
  } finally {
    observer.disconnect();
  }
}

/** How many samples exceed each threshold: where the tail comes from. */
const over = (samples: readonly number[]) => [1, 2, 5, 10].map((ms) => `>${ms} ms ${samples.filter((s) => s > ms).length}`).join(', ');

function unwrap(reply: DeskReply, what: string): unknown {
  if (!reply.ok) throw new Error(`${what} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
}

/** Waits (yielding to the event loop, which the backup's steps need) until today's backup is written. */
async function backupDone(dataDir: string, today: string): Promise<number> {
  const started = performance.now();
  const file = path.join(dataDir, 'backups', `desk-${today}.sqlite`);
  while (!existsSync(file)) {
    if (performance.now() - started > 300_000) throw new Error('the daily backup did not finish within 5 minutes');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return (performance.now() - started) / 1000;
}

// ---------------------------------------------------------------------------------------------------

export async function runDeskBench(): Promise<BenchResults> {
  const results: BenchResults = {};
  const { dir: cacheDir, build, reused } = await benchDatabase();
  log(
    `${reused ? 'reusing' : 'built'} ${path.relative(root, cacheDir)}: ${(build.bytes / 2 ** 20).toFixed(0)} MiB, built in ${build.seconds} s on ${build.builtAt} (${JSON.stringify(build.report)})`,
  );
  if (only.size === 1 && only.has('build')) return results;

  const dataDir = workingCopy(cacheDir);
  const file = path.join(dataDir, DB_FILE);
  try {
    const fx = readFixtures(file);
    log(`${fx.members.length} members, ${fx.cards.length} cards; bench day ${localDateAt(new Date(BENCH_START), fx.desk.timeZone)}`);

    log(`${load()} before measuring`);
    if (only.has('open')) Object.assign(results, coldStarts(dataDir, file));

    let nowMs = BENCH_START;
    const clock = () => new Date(nowMs);
    // The check-in path alone: the demo's simulated devices (and their identify loop) are the devices group's.
    const core = await openCore({ dataDir, now: clock, buildDevices: noDevices });
    try {
      const backupSeconds = await backupDone(dataDir, localDateAt(clock(), fx.desk.timeZone));
      log(`the daily backup openCore starts took ${backupSeconds.toFixed(1)} s; measuring after it`);
      unwrap(await core.dispatch('auth/login', { staffId: fx.frontdesk.id, pin: DEMO_PINS.frontdesk }), 'login');
      let events = 0;
      core.onEvent(() => void events++);

      if (only.has('checkin')) {
        const raw = rawCheckin(file, fx, clock);
        try {
          Object.assign(results, await checkinBench(core, raw.run, fx, () => (nowMs += CHECKIN_SPACING_MS)));
          log(`check-in events emitted: ${events}; ${load()}`);
        } finally {
          raw.close();
        }
      }
      if (only.has('search')) Object.assign(results, await searchBench(core, fx));
      if (only.has('list')) Object.assign(results, await listBench(core));
      log(`${load()} at the end`);
    } finally {
      await core.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}

function coldStarts(dataDir: string, file: string): BenchResults {
  const child = path.join(here, 'desk-open.ts');
  const runs: { importMs: number; openMs: number; sinceProcessStartMs: number; evicted: boolean; wallMs: number }[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const evicted = [file, `${file}-wal`].every(evictFromPageCache);
    const started = performance.now();
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=gymstack-source', child, dataDir, new Date(BENCH_START).toISOString()], { encoding: 'utf8', cwd: root });
    const wallMs = performance.now() - started;
    if (out.status !== 0) throw new Error(`cold start child failed: ${out.stderr}`);
    const line = out.stdout.trim().split('\n').at(-1) ?? '';
    runs.push({ ...(JSON.parse(line) as { importMs: number; openMs: number; sinceProcessStartMs: number }), evicted, wallMs });
  }
  rmSync(path.join(dataDir, 'backups'), { recursive: true, force: true });
  const open = runs.map((r) => r.openMs);
  log(`cold start (medians are the figures), ${COLD_STARTS} fresh processes${runs.every((r) => r.evicted) ? ', database evicted from the page cache before each' : ' (page cache NOT evicted)'}:`);
  for (const r of runs) {
    log(`  openCore → first answer ${fmt(r.openMs)}; importing the core (tsx) ${fmt(r.importMs)}; process start → first answer ${fmt(r.sinceProcessStartMs)}; spawn → exit ${fmt(r.wallMs)}`);
  }
  return {
    'desk.open_s': { value: round(percentile(open, 50) / 1000, 3), unit: 's' },
    // Context, not a target: Node's own start and importing the core (under tsx) come first.
    'desk.open_process_s': { value: round(percentile(runs.map((r) => r.sinceProcessStartMs), 50) / 1000, 3), unit: 's' },
  };
}

async function checkinBench(core: Core, raw: (args: CheckinArgs) => unknown, fx: Fixtures, tick: () => void): Promise<BenchResults> {
  const random = prng(7);
  const targets = checkinTargets(fx, 2 * (CHECKIN_WARMUP + CHECKINS), random);
  const verdicts = { core: new Map<string, number>(), raw: new Map<string, number>() };
  const viaCore = async (args: CheckinArgs) => {
    const data = unwrap(await core.dispatch('checkins/create', args), 'checkins/create') as { checkin: Checkin };
    tally(verdicts.core, data.checkin.reason ?? 'allow');
  };
  const viaRaw = (args: CheckinArgs) => {
    const { checkin } = raw(args) as { checkin: Checkin };
    tally(verdicts.raw, checkin.reason ?? 'allow');
  };
  // Alternate in an ABBA pattern so neither side always runs right after the other.
  const side = (i: number) => (i & 1) ^ ((i >> 1) & 1); // 0 core, 1 raw
  const spans: number[] = [];
  const step = (offset: number) => (i: number) => {
    tick();
    const args = targets[offset + i] as CheckinArgs;
    spans[2 * i] = performance.now();
    const done = () => void (spans[2 * i + 1] = performance.now());
    if (side(i) === 0) return viaCore(args).then(done);
    viaRaw(args);
    return done();
  };
  await sampleMs(2 * CHECKIN_WARMUP, step(0));
  verdicts.core.clear();
  verdicts.raw.clear();
  const { result: samples, pauses } = await gcPauses(() => sampleMs(2 * CHECKINS, step(2 * CHECKIN_WARMUP)));
  const coreSamples = samples.filter((_, i) => side(i) === 0);
  const rawSamples = samples.filter((_, i) => side(i) === 1);
  if (process.env.BENCH_DESK_DUMP) writeFileSync(process.env.BENCH_DESK_DUMP, JSON.stringify({ samples, spans, pauses }));
  // Which side's sample each collection paused (the allocations of both sides pile up on one heap).
  const gcIn = [0, 0];
  const gcMsIn = [0, 0];
  let j = 0;
  for (const pause of pauses.sort((a, b) => a.start - b.start)) {
    while (j < samples.length && (spans[2 * j + 1] ?? 0) < pause.start) j++;
    if (j < samples.length && (spans[2 * j] ?? Infinity) <= pause.start) {
      gcIn[side(j)]! += 1;
      gcMsIn[side(j)]! += pause.ms;
    }
  }
  log(`check-in, ${CHECKINS} through core.dispatch and ${CHECKINS} raw, interleaved ABBA after ${CHECKIN_WARMUP} + ${CHECKIN_WARMUP} warm-up:`);
  log(`  core ${summary(coreSamples)}; ${over(coreSamples)}`);
  log(`  raw  ${summary(rawSamples)}; ${over(rawSamples)}`);
  log(`  core verdicts: ${showTally(verdicts.core)}`);
  log(`  raw  verdicts: ${showTally(verdicts.raw)}`);
  log(
    `  GC: ${pauses.length} pauses, ${pauses.reduce((t, p) => t + p.ms, 0).toFixed(1)} ms in all, longest ${fmt(Math.max(0, ...pauses.map((p) => p.ms)))}; ` +
      `inside core samples ${gcIn[0]} (${gcMsIn[0]?.toFixed(1)} ms), inside raw samples ${gcIn[1]} (${gcMsIn[1]?.toFixed(1)} ms)`,
  );
  const p50 = withBaseline(percentile(coreSamples, 50), percentile(rawSamples, 50), 'ms');
  log(`  p50 ratio ${p50.ratio}x`);
  return { 'desk.checkin_p99_ms': withBaseline(percentile(coreSamples, 99), percentile(rawSamples, 99), 'ms') };
}

async function searchBench(core: Core, fx: Fixtures): Promise<BenchResults> {
  const queries = searchQueries(fx, SEARCH_WARMUP + SEARCHES, prng(11));
  const hits = new Map<SearchKind, number[]>();
  const search = async (i: number) => {
    const { kind, query } = queries[i] as { kind: SearchKind; query: string };
    const found = unwrap(await core.dispatch('members/search', { query }), `members/search ${query}`) as unknown[];
    const counts = hits.get(kind) ?? [];
    counts.push(found.length);
    hits.set(kind, counts);
  };
  await sampleMs(SEARCH_WARMUP, search);
  hits.clear();
  const samples = await sampleMs(SEARCHES, (i) => search(SEARCH_WARMUP + i));
  const measured = queries.slice(SEARCH_WARMUP);
  log(`member search, ${SEARCHES} queries after ${SEARCH_WARMUP} warm-up: ${summary(samples)}`);
  for (const kind of ['name', 'phone', 'code', 'typo'] as const) {
    const own = samples.filter((_, i) => measured[i]?.kind === kind);
    const found = hits.get(kind) ?? [];
    const empty = found.filter((n) => n === 0).length;
    log(`  ${kind.padEnd(5)} ×${String(own.length).padStart(4)}: ${summary(own)}; ${empty} found nothing`);
  }
  return { 'desk.search_p99_ms': { value: round(percentile(samples, 99)), unit: 'ms' } };
}

async function listBench(core: Core): Promise<BenchResults> {
  const filters = ['active', 'expiring', 'expired', 'frozen', 'dues', 'pending', 'all'] as const;
  const random = prng(13);
  const all: number[] = [];
  const started = performance.now();
  unwrap(await core.dispatch('members/list', { filter: 'active', limit: 50 }), 'members/list');
  log(`members/list, first call after open (builds the member directory): ${fmt(performance.now() - started)}`);
  for (const filter of filters) {
    const first = unwrap(await core.dispatch('members/list', { filter, limit: 50 }), `members/list ${filter}`) as { total: number };
    const samples = await sampleMs(LIST_CALLS_PER_FILTER, async (i) => {
      // The first page, then pages anywhere in the list, as a manager scrolling or jumping would.
      const offset = i === 0 ? 0 : Math.floor(random.next() * Math.max(1, first.total / 50)) * 50;
      unwrap(await core.dispatch('members/list', { filter, offset, limit: 50 }), `members/list ${filter}`);
    });
    all.push(...samples);
    log(`members/list ${filter.padEnd(8)} (${String(first.total).padStart(5)} members): ${summary(samples)}`);
  }
  log(`members/list, ${all.length} pages of 50 over every filter: ${summary(all)}`);
  return { 'desk.members_list_p99_ms': { value: round(percentile(all, 99)), unit: 'ms' } };
}
