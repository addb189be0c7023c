/**
 * The reminder scan's data: `gyms` gyms of `members` members each, written in SQL as the owner role,
 * one transaction per gym in its own `app.gym_id` scope (forced RLS binds the owner too), two gyms at a
 * time. Only what the scan reads: the gym, a branch, a plan, members with birthdays, memberships.
 *
 * Dates are relative to the scan date SCAN_DATE, not to today, so a kept seed stays valid. Member n of
 * gym g (ids as in bench/cloud/seed.ts, gym numbers from 1):
 * - one in 20 has no membership; the rest have a live membership ending SCAN_DATE + o, with
 *   o = (37n + 11g) mod 101 − 40, so each day from −40 to +60 holds ~1/101 of them and ~6% are due an
 *   end-date reminder (ends in 7, 3, 1, 0 days, ended 1 or 7 days ago);
 * - one in three also has an earlier, expired membership (the scan must look at the latest only);
 * - one in 50 also has a cancelled membership ending in 7 days (which must not count);
 * - three in four have a birth date, spread over ten years, so ~1/365 have their birthday;
 * - one in 200 is deleted.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchId, FIRST, LAST, plans, snapshot, V7 } from '../cloud/seed.js';

/** The local date the scan runs for, and the instant (09:00 in Kolkata, after the quiet hours). */
export const SCAN_DATE = '2026-12-01';
export const SCAN_NOW = new Date('2026-12-01T03:30:00Z');

const here = path.dirname(fileURLToPath(import.meta.url));
const MONTHLY = plans[0]!;

/** A name for the seeded database that changes with the sizes, this seed's code and the migrations. */
export function scanSeedName(gyms: number, members: number): string {
  const hash = createHash('sha256').update(`${gyms}:${members}`).update(readFileSync(fileURLToPath(import.meta.url)));
  const migrations = path.resolve(here, '..', '..', 'cloud', 'migrations');
  for (const file of readdirSync(migrations).sort()) hash.update(file).update(readFileSync(path.join(migrations, file)));
  return `gymstack_bench_scan_${hash.digest('hex').slice(0, 10)}`;
}

async function seedScanGym(client: pg.Client, g: number, members: number): Promise<void> {
  const gymId = benchId(g, 9, 0);
  const branchId = benchId(g, 3, 1);
  const planId = benchId(g, 4, 1);
  const q = (text: string, values: unknown[]) => client.query(text, values);
  await client.query('begin');
  try {
    await q(`select set_config('app.gym_id', $1, true)`, [gymId]);
    await q(`insert into gyms (id, name, legal_name, address, state_code) values ($1, $2, $2, '12 MG Road, Bengaluru', '29')`, [gymId, `scan${g} Fitness`]);
    await q(`insert into branches (gym_id, id, name) values ($1, $2, 'Main')`, [gymId, branchId]);
    await q(
      `insert into plans (gym_id, id, name, duration, price_paise, tax_inclusive, gst_rate_bps, sac, access, max_freeze_days, pt_sessions)
       values ($1, $2, $3, $4, $5, true, 1800, '999723', $6, 30, 0)`,
      [gymId, planId, MONTHLY.name, JSON.stringify(snapshot(MONTHLY).duration), MONTHLY.pricePaise, JSON.stringify(snapshot(MONTHLY).access)],
    );
    await q(
      `insert into members (gym_id, id, branch_id, code, full_name, phone, gender, date_of_birth, created_at, updated_at, deleted_at)
       select $1, ($2 || lpad(to_hex(n), 12, '0'))::uuid, $3, 'M' || n, ($5::text[])[1 + (n * 7) % 50] || ' ' || ($6::text[])[1 + (n * 13 + n / 50) % 50],
              '+91' || ($7::bigint + n)::text, case when n % 2 = 0 then 'female' else 'male' end,
              case when n % 4 <> 0 then date '1985-01-01' + (n * 7919 + $8::int * 31) % 3650 end,
              now(), now(), case when n % 200 = 0 then now() end
       from generate_series(1, $4::int) n`,
      [gymId, benchId(g, 0, 0).slice(0, 24), branchId, members, FIRST, LAST, 6_000_000_000 + g * 10_000, g],
    );
    // (member, start, end, cancelled) per the header, then one insert.
    await q(
      `insert into memberships (gym_id, id, branch_id, member_id, plan_id, plan, start_date, end_date, price_paise, cancelled_at, created_at, updated_at)
       select $1, ${V7}, $2, ($3 || lpad(to_hex(s.n), 12, '0'))::uuid, $4, $5::jsonb, s.end_date - 29, s.end_date, $6, s.cancelled_at, now(), now()
       from (
         select n, $7::date + ((n * 37 + $9::int * 11) % 101 - 40) as end_date, null::timestamptz as cancelled_at from generate_series(1, $8::int) n where n % 20 <> 0
         union all
         select n, $7::date + ((n * 37 + $9::int * 11) % 101 - 40) - 30, null from generate_series(1, $8::int) n where n % 20 <> 0 and n % 3 = 0
         union all
         select n, $7::date + 7, now() from generate_series(1, $8::int) n where n % 50 = 1
       ) s`,
      [gymId, branchId, benchId(g, 0, 0).slice(0, 24), planId, JSON.stringify(snapshot(MONTHLY)), MONTHLY.pricePaise, SCAN_DATE, members, g],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/** Seeds every gym, two connections each taking the next gym, then ANALYZEs. */
export async function seedScanGyms(ownerUrl: string, gyms: number, members: number): Promise<void> {
  let next = 1;
  const worker = async () => {
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      for (let g = next++; g <= gyms; g = next++) await seedScanGym(client, g, members);
    } finally {
      await client.end();
    }
  };
  await Promise.all([worker(), worker()]);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}
