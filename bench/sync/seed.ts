/**
 * The sync group's gyms, written in plain SQL. Everything a desk downloads on pairing is there:
 *
 * - the gym (state code 29) and one branch, the owner and a front-desk login, both with a desk PIN
 *   (argon2id, as the cloud stores one), and the desk that recorded the history (D1);
 * - the three plans of bench/cloud/seed.ts; `members` members (ids and names as there, a card each);
 * - one membership per member with its plan snapshot, every one of them current (started 1 to ~360
 *   days before yesterday, ending at least 4 days after today), so every member may come in;
 * - `paymentsPerMembership` payments per membership that add up to its price (a sale paid in
 *   instalments a week apart), each with its tax invoice and the invoice's document (snapshot);
 * - `checkins` check-ins spread evenly over the last `days` days (06:00 to 21:59 in the gym's time
 *   zone), members in a scattered order, 1 in 40 a denial (EXPIRED).
 *
 * The rows go in with triggers off (`session_replication_role = replica`, hence a superuser
 * connection): the change-log trigger takes the gym's `change_log_head` row lock and bumps its
 * position once per row, and 235,000 updates of one row inside one transaction make every next one
 * walk the chain of the earlier versions, which took 11 minutes. The log is then written as those
 * triggers would have left it, set-based: one `insert` entry per row, rendered by the same
 * `shape_row_<table>` functions, positions 1..N, and the head at N. (A first sync reads the tables,
 * not the log; later writes are logged by the triggers from N + 1.)
 */
import pg from 'pg';
import { benchId, FIRST, LAST, plans, snapshot, V7 } from '../cloud/seed.js';

export interface SyncGymSpec {
  /** The gym's number: the first group of every id it has (see benchId). */
  number: number;
  members: number;
  paymentsPerMembership: number;
  checkins: number;
  /** Check-ins lie on the `days` days before today. */
  days: number;
  /** The argon2id hash of the staff's desk PIN. */
  pinHash: string;
}

export interface SyncGym {
  gymId: string;
  branchId: string;
  ownerId: string;
  /** The desk that recorded the seeded history. */
  deviceId: string;
  /** Member n (1-based) has this id. */
  memberId(n: number): string;
  /** Rows per table, counted after seeding. */
  counts: Record<(typeof COUNTED)[number], number>;
}

const TIME_ZONE = 'Asia/Kolkata';
const COUNTED = ['members', 'member_credentials', 'memberships', 'payments', 'invoices', 'checkins', 'change_log'] as const;

/** Synced tables in the order their rows are logged (the gym and its people first), and the column naming the gym. */
const LOGGED: [table: string, gymColumn: string][] = [
  ['gyms', 'id'],
  ['branches', 'gym_id'],
  ['staff', 'gym_id'],
  ['plans', 'gym_id'],
  ['members', 'gym_id'],
  ['member_credentials', 'gym_id'],
  ['memberships', 'gym_id'],
  ['freezes', 'gym_id'],
  ['payments', 'gym_id'],
  ['invoices', 'gym_id'],
  ['checkins', 'gym_id'],
  ['checkouts', 'gym_id'],
];

/** `superUrl`: a superuser on the cloud's database (the triggers are switched off for the seeding transaction). */
export async function seedSyncGym(superUrl: string, spec: SyncGymSpec): Promise<SyncGym> {
  const { number, members, paymentsPerMembership: perMembership, checkins, days, pinHash } = spec;
  const gymId = benchId(number, 9, 0);
  const branchId = benchId(number, 3, 1);
  const ownerId = benchId(number, 1, 1);
  const deviceId = benchId(number, 2, 1);
  const seriesId = benchId(number, 5, 1);
  const memberPrefix = benchId(number, 0, 0).slice(0, 24);
  const label = `sync${number}`;
  const client = new pg.Client({ connectionString: superUrl });
  await client.connect();
  const q = (text: string, values: unknown[] = []) => client.query(text, values);
  try {
    await q('begin');
    await q(`set local session_replication_role = replica`);
    await q(`select set_config('app.gym_id', $1, true)`, [gymId]);
    await q(`insert into gyms (id, name, legal_name, address, state_code, time_zone) values ($1, $2, $3, '12 MG Road, Bengaluru', '29', $4)`, [
      gymId,
      `${label} Fitness`,
      `${label} Fitness LLP`,
      TIME_ZONE,
    ]);
    await q(`insert into branches (gym_id, id, name, address) values ($1, $2, 'Main', '12 MG Road, Bengaluru')`, [gymId, branchId]);
    await q(
      `insert into staff (gym_id, id, name, email, role, branch_ids, pin_hash) values
         ($1, $2, $3, $4, 'owner', '{}', $6), ($1, $5, $7, $8, 'frontdesk', array[$9::uuid], $6)`,
      [gymId, ownerId, `${label} Owner`, `owner@${label}.test`, benchId(number, 1, 2), pinHash, `${label} Front Desk`, `frontdesk@${label}.test`, branchId],
    );
    await q(`insert into devices (gym_id, id, branch_id, name, code, public_key) values ($1, $2, $3, 'Desk 1', 'D1', $4)`, [gymId, deviceId, branchId, Buffer.alloc(32, 1)]);
    for (const [i, p] of plans.entries()) {
      const s = snapshot(p);
      await q(
        `insert into plans (gym_id, id, name, duration, price_paise, tax_inclusive, gst_rate_bps, sac, access, max_freeze_days, pt_sessions)
         values ($1, $2, $3, $4, $5, true, 1800, '999723', $6, 30, 0)`,
        [gymId, benchId(number, 4, i + 1), p.name, JSON.stringify(s.duration), p.pricePaise, JSON.stringify(s.access)],
      );
    }

    await q(
      `insert into members (gym_id, id, branch_id, code, full_name, phone, gender, created_at, updated_at)
       select $1, ($2 || lpad(to_hex(n), 12, '0'))::uuid, $3, 'M' || n,
              ($5::text[])[1 + (n * 7) % 50] || ' ' || ($6::text[])[1 + (n * 13 + n / 50) % 50],
              '+91' || ($7::bigint + n)::text, case when n % 2 = 0 then 'female' else 'male' end,
              now() - make_interval(hours => n), now() - make_interval(hours => n)
       from generate_series(1, $4::int) n`,
      [gymId, memberPrefix, branchId, members, FIRST, LAST, 9_700_000_000 + number * 10_000_000],
    );
    await q(
      `insert into member_credentials (gym_id, id, member_id, kind, value)
       select gym_id, ${V7}, id, 'card', ($2::bigint + substring(code from 2)::bigint)::text from members where gym_id = $1`,
      [gymId, number * 10_000_000],
    );

    // One current membership per member: started 1 + (7n mod (days - 5)) days before today.
    await q(
      `create temp table ms on commit drop as
       select ${V7} as id, m.id as member_id, m.n, m.plan_no, m.today, m.today - 1 - (m.n * 7) % (m.days - 5) as start_date, m.days,
              (array[150000, 400000, 1200000])[m.plan_no]::bigint as price_paise
       from (select members.id, substring(code from 2)::int as n, 1 + substring(code from 2)::int % 3 as plan_no,
                    (array[30, 90, 365])[1 + substring(code from 2)::int % 3] as days, (now() at time zone $2)::date as today
             from members where gym_id = $1) m`,
      [gymId, TIME_ZONE],
    );
    await q(
      `insert into memberships (gym_id, id, branch_id, member_id, plan_id, plan, start_date, end_date, price_paise, created_at, updated_at)
       select $1, id, $2, member_id, ($3 || lpad(to_hex(plan_no), 12, '0'))::uuid, ($4::jsonb)->(plan_no - 1),
              start_date, start_date + days - 1, price_paise, start_date::timestamptz, start_date::timestamptz
       from ms`,
      [gymId, branchId, benchId(number, 4, 0).slice(0, 24), JSON.stringify(plans.map(snapshot))],
    );

    // Instalments: k = 1..P, a week apart (never after yesterday); the first takes the remainder.
    await q(
      `create temp table pay on commit drop as
       select ${V7} as payment_id, ${V7} as invoice_id, ms.*, k,
              row_number() over (order by least(ms.start_date + (k - 1) * 7, ms.today - 1), ms.n, k) as seq,
              least(ms.start_date + (k - 1) * 7, ms.today - 1) as received_on,
              case when k = 1 then ms.price_paise - ($1::int - 1) * (ms.price_paise / $1::int) else ms.price_paise / $1::int end as amount
       from ms, generate_series(1, $1::int) k`,
      [perMembership],
    );
    await q(
      `insert into invoice_series (gym_id, id, device_id, prefix, fy_start_year, last_seq)
       values ($1, $2, $3, 'WB', extract(year from now())::int, (select count(*) from pay))`,
      [gymId, seriesId, deviceId],
    );
    await q(
      `insert into payments (gym_id, id, branch_id, member_id, membership_id, method, amount_paise, received_at, received_on, staff_id, device_id, invoice_id, created_at)
       select $1, payment_id, $2, member_id, id, case when (n + k) % 3 = 0 then 'upi_offline' else 'cash' end, amount,
              (received_on::timestamp + make_interval(hours => 10, mins => k)) at time zone $5, received_on, $3, $4, invoice_id,
              (received_on::timestamp + make_interval(hours => 10, mins => k)) at time zone $5
       from pay`,
      [gymId, branchId, ownerId, deviceId, TIME_ZONE],
    );
    await q(
      `insert into invoices (gym_id, id, branch_id, series_id, number, payment_id, member_id, membership_id, issued_on, issued_at, sac, rate_bps,
                             place_of_supply, taxable_paise, cgst_paise, sgst_paise, igst_paise, total_paise, snapshot, created_at)
       select $1, p.invoice_id, $2, $3, 'WB/' || lpad(p.seq::text, 6, '0'), p.payment_id, p.member_id, p.id, p.received_on, pm.received_at,
              '999723', 1800, '29', t.taxable, (p.amount - t.taxable) / 2, p.amount - t.taxable - (p.amount - t.taxable) / 2, 0, p.amount,
              jsonb_build_object(
                'seller', jsonb_build_object('name', g.name, 'legalName', g.legal_name, 'gstin', g.gstin, 'address', g.address, 'stateCode', g.state_code, 'phone', g.phone),
                'buyer', jsonb_build_object('name', m.full_name, 'code', m.code, 'phone', m.phone, 'stateCode', m.state_code),
                'item', jsonb_build_object('description', (($4::jsonb)->(p.plan_no - 1)->>'name') || ' membership', 'start', p.start_date, 'end', p.start_date + p.days - 1),
                'payment', jsonb_build_object('method', pm.method, 'reference', pm.reference),
                'timeZone', g.time_zone),
              pm.received_at
       from pay p
       join payments pm on pm.gym_id = $1 and pm.id = p.payment_id
       join members m on m.gym_id = $1 and m.id = p.member_id
       cross join gyms g
       cross join lateral (select round(p.amount * 100 / 118.0)::bigint as taxable) t
       where g.id = $1`,
      [gymId, branchId, seriesId, JSON.stringify(plans.map(snapshot))],
    );

    // Check-in k: member 1 + 7919k mod M (7919 is prime: every member, scattered), on day 1 + k mod (days - 1) before today.
    await q(
      `insert into checkins (gym_id, id, branch_id, member_id, method, verdict, reason, at, on_date, device_id, staff_id, created_at)
       select $1, ${V7}, $2, ($3 || lpad(to_hex(1 + (k::bigint * 7919) % $5), 12, '0'))::uuid,
              case when k % 10 = 0 then 'manual' else 'card' end,
              case when k % 40 = 0 then 'deny' else 'allow' end, case when k % 40 = 0 then 'EXPIRED' end,
              c.at, c.on_date, $4, case when k % 10 = 0 then $7::uuid end, c.at
       from generate_series(1, $6::int) k,
            lateral (select (now() at time zone $8)::date - (1 + k % ($9::int - 1)) as on_date) d,
            lateral (select (d.on_date::timestamp + make_interval(hours => 6 + (k / ($9::int - 1)) % 16, mins => (k * 7) % 60, secs => k % 60)) at time zone $8 as at,
                            d.on_date) c`,
      [gymId, branchId, memberPrefix, deviceId, members, checkins, ownerId, TIME_ZONE, days],
    );

    let pos = 0;
    for (const [table, gymColumn] of LOGGED) {
      const logged = await q(
        `insert into change_log (gym_id, pos, txid, tbl, row_id, op, vals)
         select $1, $2::bigint + row_number() over (order by r.created_at, r.id), pg_current_xact_id()::text::bigint, '${table}', r.id, 'insert', shape_row_${table}(r)
         from ${table} r where r.${gymColumn} = $1`,
        [gymId, pos],
      );
      pos += logged.rowCount ?? 0;
    }
    await q(`insert into change_log_head (gym_id, pos) values ($1, $2)`, [gymId, pos]);
    await q('commit');

    await q('analyze');
    const counts = {} as SyncGym['counts'];
    for (const table of COUNTED) {
      counts[table] = (await q(`select count(*)::int as n from ${table} where gym_id = $1`, [gymId])).rows[0].n as number;
    }
    return { gymId, branchId, ownerId, deviceId, memberId: (n) => benchId(number, 0, n), counts };
  } catch (error) {
    await q('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
