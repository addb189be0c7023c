/**
 * `money.reminder_scan_s`: the daily reminder scan of every gym for one date, through the reminders'
 * own code: the gyms `NotificationJobs.tick` would queue (`notification_gyms_to_scan`), then
 * `NotificationJobs.scanAll` on them in batches of 50, as the scan worker is handed them (without
 * pg-boss's fetch in between; see docs/benchmarks.md for what that adds). Each gym's scan is one
 * transaction on the API role's pool in its tenant scope: it finds the due members, queues their
 * notifications and records the day as scanned.
 *
 * Baseline, in the same run: one bare SQL statement, as the superuser (no RLS), selecting the same due
 * members of every gym with what their messages need; both must find the same reminders.
 */
import { createPool, type Database, dropDatabase } from '@gymstack/cloud';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { NotificationJobs, SCAN_BATCH } from '../../cloud/src/notifications/jobs.js';
import { SimulatedProvider } from '../../cloud/src/notifications/simulated.js';
import { createBenchDatabase } from '../cloud/database.js';
import { type BenchResults, medianBy, withBaseline } from '../measure.js';
import { SCAN_DATE, SCAN_NOW, scanSeedName, seedScanGyms } from './scan-seed.js';

export interface ScanBenchConfig {
  gyms: number;
  members: number;
  rounds: number;
}

const say = (line: string) => console.log(`  ${line}`);
const SEEDED = 'gymstack bench: scan seed complete';

/**
 * Every gym's due members in one statement: the latest live membership per member (as the scan's
 * `latest`), its end date among the six reminder offsets, or the birthday today.
 */
const DUE_MEMBERS = `
  with latest as (
    select distinct on (gym_id, member_id) gym_id, member_id, end_date, plan, price_paise
    from memberships where cancelled_at is null and deleted_at is null
    order by gym_id, member_id, end_date desc
  ), due as (
    select m.gym_id, m.id, m.full_name, l.end_date, l.plan, l.price_paise,
           l.end_date in ($1::date + 7, $1::date + 3, $1::date + 1, $1::date, $1::date - 1, $1::date - 7) as end_due,
           to_char(m.date_of_birth, 'MM-DD') = to_char($1::date, 'MM-DD') as birthday
    from members m left join latest l on l.gym_id = m.gym_id and l.member_id = m.id
    where m.deleted_at is null
  )
  select * from due where end_due or birthday`;

interface Round {
  scanSeconds: number;
  bareSeconds: number;
  /** Per statement text (abridged): count and milliseconds, as Kysely timed them. */
  statements: Map<string, { count: number; ms: number }>;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The kept, seeded database (made when missing); older seeds are dropped. */
async function scanDatabase(config: ScanBenchConfig) {
  const name = process.env.DATABASE_URL ? scanSeedName(config.gyms, config.members) : undefined;
  let db = await createBenchDatabase('money-scan', name);
  const seeded = async () =>
    withClient(db.superUrl, async (c) => (await c.query<{ d: string | null }>(`select shobj_description(oid, 'pg_database') as d from pg_database where datname = $1`, [db.database])).rows[0]?.d === SEEDED);
  if (!(await seeded())) {
    // A seed cut short leaves some gyms: start again from an empty database.
    const { rows } = await withClient(db.superUrl, (c) => c.query<{ n: number }>('select count(*)::int as n from gyms'));
    if (rows[0]!.n > 0) {
      await db.dispose();
      db = await createBenchDatabase('money-scan', name);
    }
    const t = Date.now();
    await seedScanGyms(db.urls.owner, config.gyms, config.members);
    await withClient(db.superUrl, (c) => c.query(`comment on database ${pg.escapeIdentifier(db.database)} is ${pg.escapeLiteral(SEEDED)}`));
    say(`seeded ${config.gyms} gyms × ${config.members} members in ${((Date.now() - t) / 1000).toFixed(1)} s into ${db.database}${name ? ' (kept for the next run)' : ''}`);
  } else {
    say(`reusing the seeded database ${db.database}`);
  }
  if (name) {
    const { rows } = await withClient(db.superUrl, (c) => c.query<{ datname: string }>(`select datname from pg_database where datname like 'gymstack_bench_scan_%' and datname <> $1`, [name]));
    for (const { datname } of rows) await dropDatabase(db.adminUrl, datname);
  }
  return { db, kept: name !== undefined };
}

/** Today's notifications and scan marks gone, so every round scans from the same state. */
const reset = (superUrl: string) => withClient(superUrl, (c) => c.query('truncate notifications; delete from notification_settings'));

async function bareQuery(superUrl: string): Promise<{ seconds: number; members: number; reminders: number }> {
  return withClient(superUrl, async (c) => {
    const start = process.hrtime.bigint();
    const { rows } = await c.query<{ end_due: boolean; birthday: boolean }>(DUE_MEMBERS, [SCAN_DATE]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { seconds, members: rows.length, reminders: rows.reduce((s, r) => s + Number(r.end_due) + Number(r.birthday), 0) };
  });
}

async function realScan(apiUrl: string, ownerUrl: string): Promise<{ seconds: number; gyms: number; statements: Round['statements'] }> {
  const statements: Round['statements'] = new Map();
  // The server's pool (DATABASE_POOL_MAX's default), which the scans share with requests.
  const pool = createPool(apiUrl);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level !== 'query') return;
      const key = event.query.sql.replace(/\s+/g, ' ').slice(0, 90);
      const s = statements.get(key) ?? { count: 0, ms: 0 };
      s.count += 1;
      s.ms += event.queryDurationMillis;
      statements.set(key, s);
    },
  });
  // Never started: no pg-boss schema or workers, only the scan as the scan job runs it.
  const jobs = new NotificationJobs({ db, provider: new SimulatedProvider(), appUrl: 'https://app.gymstack.in', now: () => SCAN_NOW, ownerUrl });
  try {
    const start = process.hrtime.bigint();
    const { rows } = await sql<{ gym_id: string; local_date: string }>`select * from notification_gyms_to_scan(${SCAN_NOW})`.execute(db);
    const due = rows.map(({ gym_id: gymId, local_date: localDate }) => ({ gymId, localDate }));
    for (let i = 0; i < due.length; i += SCAN_BATCH) {
      const failed = await jobs.scanAll(due.slice(i, i + SCAN_BATCH));
      if (failed.length > 0) throw new Error(`${failed.length} gyms' scans failed`, { cause: failed[0]!.error });
    }
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, gyms: rows.length, statements };
  } finally {
    await db.destroy();
  }
}

export async function runScanBench(config: ScanBenchConfig): Promise<BenchResults> {
  const { db, kept } = await scanDatabase(config);
  try {
    const counts = await withClient(db.superUrl, async (c) => (await c.query<{ members: number; memberships: number }>('select (select count(*)::int from members) as members, (select count(*)::int from memberships) as memberships')).rows[0]!);
    say(`scan of ${SCAN_DATE}: ${counts.members} members, ${counts.memberships} memberships`);
    await bareQuery(db.superUrl); // warm-up: both sides then read from memory
    const rounds: Round[] = [];
    for (let i = 1; i <= config.rounds; i++) {
      await reset(db.superUrl);
      const bare = await bareQuery(db.superUrl);
      const scan = await realScan(db.urls.api, db.urls.owner);
      const made = await withClient(db.superUrl, async (c) => (await c.query<{ n: number; m: number }>('select count(*)::int as n, count(distinct (gym_id, member_id))::int as m from notifications')).rows[0]!);
      if (scan.gyms !== config.gyms || made.n !== bare.reminders || made.m !== bare.members) {
        throw new Error(`round ${i}: the scan covered ${scan.gyms} gyms and queued ${made.n} reminders for ${made.m} members; the bare query found ${bare.reminders} for ${bare.members}`);
      }
      rounds.push({ scanSeconds: scan.seconds, bareSeconds: bare.seconds, statements: scan.statements });
      say(`round ${i}: scan ${scan.seconds.toFixed(2)} s for ${scan.gyms} gyms (${made.n} reminders to ${made.m} members) | bare query ${bare.seconds.toFixed(2)} s, same members | ratio ${(scan.seconds / bare.seconds).toFixed(2)}`);
      const sqlMs = [...scan.statements.values()].reduce((s, v) => s + v.ms, 0);
      say(`  SQL round trips ${(sqlMs / 1000).toFixed(2)} s of the scan's ${scan.seconds.toFixed(2)} s; by statement:`);
      for (const [text, s] of [...scan.statements].sort((a, b) => b[1].ms - a[1].ms)) say(`    ${(s.ms / 1000).toFixed(2).padStart(6)} s ${String(s.count).padStart(5)}×  ${text}`);
    }
    const m = medianBy(rounds, (r) => r.scanSeconds / r.bareSeconds);
    return { 'money.reminder_scan_s': withBaseline(m.scanSeconds, m.bareSeconds, 's') };
  } finally {
    await db.dispose(kept);
  }
}
