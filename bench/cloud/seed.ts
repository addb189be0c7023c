/**
 * The cloud bench's data, written in plain SQL as the owner role (which the forced RLS binds too, so
 * every gym is written inside its own `app.gym_id` scope): a gym with 5,000 members (the measured one)
 * and a second gym with 500, so tenancy has something to keep out.
 *
 * Ids are made from the member's number so that pgbench can name a member (by card) and a desk without
 * a look-up: member n of gym `g` is `0000000g-0000-7000-8000-<n in 12 hex digits>`, and its card is
 * `g * 10,000,000 + n`.
 *
 * States follow a bucket b = (37n mod 100), dates relative to the gym's today:
 *   0–49 active (a third of them with an expired earlier membership), 50–57 expiring, 58–60 in grace,
 *   61–79 expired, 80–83 frozen, 84–86 pending (starts in 1–14 days), 87–89 cancelled,
 *   90–94 active after a renewal, 95–99 no membership (walk-ins, leads).
 * Every membership is paid, one in ten (n mod 10 = 7) short by ₹500; each payment has its invoice.
 * Members who may come in have about ten check-ins over the last 30 days, each with its audit row.
 */
import pg from 'pg';

/** A random UUIDv7-shaped id in SQL (PG 15 has no uuidv7()): the API's schemas insist on version 7. */
export const V7 = `overlay(gen_random_uuid()::text placing '7' from 15 for 1)::uuid`;

export interface SeededBranch {
  id: string;
  desks: string[];
}

export interface SeededGym {
  gymId: string;
  /** The gym's number, the first group of every id it has. */
  number: number;
  members: number;
  ownerId: string;
  branches: SeededBranch[];
  /** The card value of member n is `cardBase + n`. */
  cardBase: number;
}

/** A deterministic UUIDv7-shaped id (the API checks the version) in the gym's number space: kind 0 members, 1 staff, 2 devices, 3 branches, 4 plans. */
export function benchId(gym: number, kind: number, n: number): string {
  return `${gym.toString(16).padStart(8, '0')}-0000-7000-${(0x8000 + kind).toString(16)}-${n.toString(16).padStart(12, '0')}`;
}

export const FIRST = ['Aarav', 'Vivaan', 'Aditya', 'Vihaan', 'Arjun', 'Sai', 'Reyansh', 'Ayaan', 'Krishna', 'Ishaan', 'Shaurya', 'Atharv', 'Advik', 'Pranav', 'Advaith', 'Aaradhya', 'Ananya', 'Diya', 'Saanvi', 'Pari', 'Anika', 'Navya', 'Myra', 'Sara', 'Ira', 'Aadhya', 'Kiara', 'Meera', 'Riya', 'Tara', 'Kabir', 'Rohan', 'Nikhil', 'Rahul', 'Priya', 'Neha', 'Pooja', 'Kavya', 'Lakshmi', 'Farhan', 'Zoya', 'Imran', 'Gurpreet', 'Harleen', 'Joseph', 'Maria', 'Tenzin', 'Lalit', 'Deepa', 'Suresh'];
export const LAST = ['Sharma', 'Verma', 'Iyer', 'Reddy', 'Nair', 'Patel', 'Shah', 'Mehta', 'Gupta', 'Singh', 'Kaur', 'Khan', 'Das', 'Bose', 'Chatterjee', 'Mukherjee', 'Rao', 'Naidu', 'Pillai', 'Menon', 'Kulkarni', 'Joshi', 'Deshpande', 'Patil', 'Pawar', 'Jain', 'Agarwal', 'Bansal', 'Malhotra', 'Kapoor', 'Chopra', 'Bhat', 'Hegde', 'Shetty', 'Gowda', 'Fernandes', 'DSouza', 'Thomas', 'George', 'Mathew', 'Ansari', 'Qureshi', 'Sheikh', 'Mishra', 'Tiwari', 'Pandey', 'Dubey', 'Yadav', 'Chauhan', 'Rathore'];

export const plans = [
  { name: 'Monthly', days: 30, pricePaise: 150_000 },
  { name: 'Quarterly', days: 90, pricePaise: 400_000 },
  { name: 'Annual', days: 365, pricePaise: 1_200_000 },
];

/** A plan's snapshot as a membership keeps it. */
export const snapshot = (p: (typeof plans)[number]) => ({
  name: p.name,
  duration: { unit: 'days', count: p.days },
  pricePaise: p.pricePaise,
  taxInclusive: true,
  gstRateBps: 1800,
  sac: '999723',
  access: { allowedBranchIds: null, hours: null },
  maxFreezeDays: 30,
  ptSessions: 0,
});

/** Seeds one gym in one transaction on `client` (the owner role); returns its ids. */
export async function seedGym(client: pg.Client, number: number, members: number): Promise<SeededGym> {
  const gymId = benchId(number, 9, 0);
  const branches: SeededBranch[] = [
    { id: benchId(number, 3, 1), desks: [benchId(number, 2, 1), benchId(number, 2, 2)] },
    { id: benchId(number, 3, 2), desks: [benchId(number, 2, 3), benchId(number, 2, 4)] },
  ];
  const ownerId = benchId(number, 1, 1);
  const cardBase = number * 10_000_000;
  const label = `bench${number}`;
  const q = (text: string, values: unknown[] = []) => client.query(text, values);

  await q('begin');
  try {
    await q(`select set_config('app.gym_id', $1, true)`, [gymId]);
    // Anti-passback off: the load checks the same members in many times a minute, and every one of
    // those would otherwise be denied ANTI_PASSBACK (the route does the same work either way).
    await q(
      `insert into gyms (id, name, legal_name, address, state_code, anti_passback_minutes) values ($1, $2, $3, '12 MG Road, Bengaluru', '29', 0)`,
      [gymId, `${label} Fitness`, `${label} Fitness LLP`],
    );
    for (const [i, b] of branches.entries()) {
      await q(`insert into branches (gym_id, id, name) values ($1, $2, $3)`, [gymId, b.id, i === 0 ? 'Main' : 'Annex']);
    }
    const allBranches = branches.map((b) => b.id);
    const staff: [string, string, string[]][] = [
      ['owner', ownerId, []],
      ['manager', benchId(number, 1, 2), allBranches],
      ['frontdesk', benchId(number, 1, 3), [allBranches[0]!]],
      ['frontdesk', benchId(number, 1, 4), [allBranches[1]!]],
      ['trainer', benchId(number, 1, 5), allBranches],
    ];
    for (const [role, id, branchIds] of staff) {
      await q(`insert into staff (gym_id, id, name, email, role, branch_ids) values ($1, $2, $3, $4, $5, $6)`, [
        gymId,
        id,
        `${label} ${role} ${id.slice(-1)}`,
        `${role}${id.slice(-1)}@${label}.test`,
        role,
        branchIds,
      ]);
    }
    let deskCode = 0; // desk codes are unique in the gym: D1, D2, ... across its branches
    for (const b of branches) {
      for (const [i, desk] of b.desks.entries()) {
        await q(`insert into devices (gym_id, id, branch_id, name, code, public_key) values ($1, $2, $3, $4, $5, $6)`, [gymId, desk, b.id, `Desk ${i + 1}`, `D${++deskCode}`, Buffer.alloc(32, i + 1)]);
      }
    }
    for (const [i, p] of plans.entries()) {
      const s = snapshot(p);
      await q(
        `insert into plans (gym_id, id, name, duration, price_paise, tax_inclusive, gst_rate_bps, sac, access, max_freeze_days, pt_sessions)
         values ($1, $2, $3, $4, $5, true, 1800, '999723', $6, 30, 0)`,
        [gymId, benchId(number, 4, i + 1), p.name, JSON.stringify(s.duration), p.pricePaise, JSON.stringify(s.access)],
      );
    }

    // Members: names from two lists, 4 in 5 at the main branch, created over the last months.
    await q(
      `insert into members (gym_id, id, branch_id, code, full_name, phone, gender, created_at, updated_at)
       select $1, ($2 || lpad(to_hex(n), 12, '0'))::uuid, case when n % 5 = 0 then $4::uuid else $3::uuid end,
              'M' || n, ($6::text[])[1 + (n * 7) % 50] || ' ' || ($7::text[])[1 + (n * 13 + n / 50) % 50],
              '+91' || ($8::bigint + n)::text, case when n % 2 = 0 then 'female' else 'male' end,
              now() - make_interval(hours => n), now() - make_interval(hours => n)
       from generate_series(1, $5::int) n`,
      [gymId, `${benchId(number, 0, 0).slice(0, 24)}`, allBranches[0], allBranches[1], members, FIRST, LAST, 9_800_000_000 + number * 10_000_000],
    );
    await q(
      `insert into member_credentials (gym_id, id, member_id, kind, value)
       select gym_id, ${V7}, id, 'card', ($2::bigint + substring(code from 2)::bigint)::text from members where gym_id = $1`,
      [gymId, cardBase],
    );

    // Membership spans by bucket (see the header), as (member, plan, start, end, cancelled) rows.
    await q(`create temp table spec on commit drop as
      with m as (
        select members.id as member_id, branch_id, substring(code from 2)::int as n, (substring(code from 2)::int * 37) % 100 as b,
               (now() at time zone g.time_zone)::date as today
        from members, gyms g where members.gym_id = $1 and g.id = $1
      ), p as (
        select m.*, 1 + n % 3 as plan_no, (array[30, 90, 365])[1 + n % 3] as days from m
      ), cur as (
        select member_id, branch_id, n, b, today, plan_no, days,
          case
            when b < 50 or b between 80 and 83 or b between 87 and 94 then today - (n % (days - 8))
            when b between 50 and 57 then today + (n % 8) - days + 1
            when b between 58 and 60 then today - 1 - (n % 3) - days + 1
            when b between 61 and 79 then today - 4 - (n % 300) - days + 1
            when b between 84 and 86 then today + 1 + (n % 14)
          end as start_date
        from p where b < 95
      )
      select member_id, branch_id, n, b, today, plan_no, start_date, start_date + days - 1 as end_date,
             case when b between 87 and 89 then now() - interval '3 days' end as cancelled_at
      from cur
      union all
      -- An earlier, expired membership: a third of the actives and every renewal.
      select member_id, branch_id, n, b, today, 1, start_date - 30, start_date - 1, null
      from cur where (b < 50 and n % 3 = 0) or b between 90 and 94`, [gymId]);
    await q(`create temp table ms on commit drop as
      select ${V7} as id, s.*, (array[150000, 400000, 1200000])[s.plan_no]::bigint as price_paise,
             row_number() over (order by s.start_date, s.n) as k
      from spec s`);
    await q(
      `insert into memberships (gym_id, id, branch_id, member_id, plan_id, plan, start_date, end_date, price_paise, cancelled_at, created_at, updated_at)
       select $1, id, branch_id, member_id, ($2 || lpad(to_hex(plan_no), 12, '0'))::uuid, ($3::jsonb)->(plan_no - 1),
              start_date, end_date, price_paise, cancelled_at, start_date::timestamptz, start_date::timestamptz
       from ms`,
      [gymId, benchId(number, 4, 0).slice(0, 24), JSON.stringify(plans.map(snapshot))],
    );
    // Frozen: a freeze covering today.
    await q(
      `insert into freezes (gym_id, id, membership_id, from_date, to_date, reason)
       select $1, ${V7}, id, today - 2, today + 5, 'Travel' from ms where b between 80 and 83 and end_date >= today`,
      [gymId],
    );
    // One payment (and its invoice) per membership; one member in ten owes ₹500.
    await q(
      `insert into invoice_series (gym_id, id, device_id, prefix, fy_start_year, last_seq)
       values ($1, $2, null, 'WB', extract(year from now())::int, (select count(*) from ms))`,
      [gymId, benchId(number, 5, 1)],
    );
    await q(`create temp table pay on commit drop as
      select ${V7} as payment_id, ${V7} as invoice_id, ms.*,
             case when n % 10 = 7 then price_paise - 50000 else price_paise end as amount
      from ms`);
    await q(
      `insert into payments (gym_id, id, branch_id, member_id, membership_id, method, amount_paise, received_at, received_on, staff_id, invoice_id, created_at)
       select $1, payment_id, branch_id, member_id, id, case when n % 3 = 0 then 'upi_offline' else 'cash' end, amount,
              least(start_date, today)::timestamptz + interval '10 hours', least(start_date, today), $2, invoice_id, least(start_date, today)::timestamptz
       from pay`,
      [gymId, ownerId],
    );
    await q(
      `insert into invoices (gym_id, id, branch_id, series_id, number, payment_id, member_id, membership_id, issued_on, issued_at, sac, rate_bps,
                             place_of_supply, taxable_paise, cgst_paise, sgst_paise, igst_paise, total_paise, snapshot)
       select $1, invoice_id, branch_id, $2, 'WB/' || lpad(k::text, 6, '0'), payment_id, member_id, id, least(start_date, today),
              least(start_date, today)::timestamptz + interval '10 hours', '999723', 1800, '29',
              t.taxable, (amount - t.taxable) / 2, amount - t.taxable - (amount - t.taxable) / 2, 0, amount, '{}'::jsonb
       from pay, lateral (select round(amount * 100 / 118.0)::bigint as taxable) t`,
      [gymId, benchId(number, 5, 1)],
    );

    // Check-in history: members who may come in, about every third day of the last 30, at their branch's desks.
    await q(
      `create temp table visits on commit drop as
       select ${V7} as id, s.member_id, s.branch_id, s.n,
              ((s.today - d)::timestamp + make_interval(hours => 6 + (s.n + d) % 15, mins => (s.n * 7 + d) % 60)) at time zone 'Asia/Kolkata' as at,
              s.today - d as on_date
       from (select distinct member_id, branch_id, n, b, today from spec where b < 61 or b between 80 and 83 or b between 90 and 94) s,
            generate_series(1, 30) d
       where (s.n + d) % 3 = 0 and s.today - d >= (select min(start_date) from spec x where x.member_id = s.member_id)`,
    );
    await q(
      `insert into checkins (gym_id, id, branch_id, member_id, method, verdict, reason, at, on_date, device_id, created_at)
       select $1, v.id, v.branch_id, v.member_id, 'card', 'allow', null, v.at, v.on_date,
              case when v.branch_id = $2::uuid then $3::uuid else $4::uuid end, v.at
       from visits v`,
      [gymId, allBranches[0], branches[0]!.desks[0], branches[1]!.desks[0]],
    );
    await q(
      `insert into audit_log (gym_id, id, at, actor_id, actor_role, device_id, ip, action, entity, entity_id, old, new)
       select $1, ${V7}, m.created_at, $2::uuid, 'owner', null, '10.0.0.2'::inet, 'member.create', 'member', m.id, null::jsonb,
              jsonb_build_object('id', m.id, 'code', m.code, 'fullName', m.full_name, 'phone', m.phone)
       from members m where m.gym_id = $1
       union all
       select $1, ${V7}, v.at, null::uuid, 'desk', c.device_id, '10.0.0.7'::inet, 'checkin.create', 'checkin', v.id, null::jsonb,
              jsonb_build_object('id', v.id, 'memberId', v.member_id, 'branchId', v.branch_id, 'method', 'card', 'verdict', 'allow', 'at', v.at)
       from visits v join checkins c on c.gym_id = $1 and c.id = v.id`,
      [gymId, ownerId],
    );
    await q('commit');
  } catch (error) {
    await q('rollback');
    throw error;
  }
  return { gymId, number, members, ownerId, branches, cardBase };
}

export interface Seeded {
  /** The measured gym (5,000 members). */
  gym: SeededGym;
  /** The neighbour, so RLS has rows to keep out. */
  other: SeededGym;
  /** Rows of the measured gym per table, for the run's log. */
  counts: Record<string, number>;
}

/** Seeds both gyms as the owner role, then ANALYZEs so the planner sees the real sizes. */
export async function seedBench(ownerUrl: string, members: number): Promise<Seeded> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const gym = await seedGym(client, 1, members);
    const other = await seedGym(client, 2, Math.max(50, Math.round(members / 10)));
    await client.query('vacuum analyze');
    await client.query('begin');
    await client.query(`select set_config('app.gym_id', $1, true)`, [gym.gymId]);
    const counts: Record<string, number> = {};
    for (const table of ['members', 'memberships', 'freezes', 'payments', 'invoices', 'checkins', 'audit_log']) {
      counts[table] = (await client.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;
    }
    await client.query('commit');
    return { gym, other, counts };
  } finally {
    await client.end();
  }
}
