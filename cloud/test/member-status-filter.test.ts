import { type LocalDate, type MemberStatus, addDays, localDateAt } from '@gymstack/shared';
import { sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { call, createWorld, type Gym, type World } from './world.js';

/**
 * The member list's status, dues and expiry filters run in SQL (domain/status.ts), restating the shared
 * rules. This suite holds them to those rules: a few hundred members with random memberships (cancelled,
 * deleted, frozen, part-paid, back to back, overlapping, on every boundary around today), and for every
 * filter the SQL-filtered list must be exactly the unfiltered list (statuses from `memberStatus`)
 * filtered in memory, in the same order and with the same total.
 */
describe('member list: derived-status filters in SQL agree with the shared rules', () => {
  let w: World;
  let a: Gym;
  let today: LocalDate;

  /** mulberry32: the same "random" data on every run. */
  function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
  }

  beforeAll(async () => {
    w = await createWorld();
    a = w.gyms.a;
    today = localDateAt(new Date(), 'Asia/Kolkata');
    const rand = prng(20_261_122);
    const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const chance = (p: number) => rand() < p;
    await withTenant(w.t.api, a.seed.scope, async (trx) => {
      const plan = await trx.selectFrom('plans').selectAll().executeTakeFirstOrThrow();
      const series = await trx.selectFrom('invoice_series').select('id').executeTakeFirstOrThrow();
      const snapshot = { name: plan.name, duration: plan.duration, pricePaise: plan.price_paise, taxInclusive: true, gstRateBps: 1800, sac: '999723', access: plan.access, maxFreezeDays: 7, ptSessions: 0 };
      let invoiceNo = 0;
      for (let n = 0; n < 300; n++) {
        const memberId = uuid();
        await trx
          .insertInto('members')
          .values({ gym_id: a.gymId, id: memberId, branch_id: a.branchId, code: `SQ${n}`, full_name: `Status ${String(n % 37).padStart(2, '0')} ${n}`, phone: `+9197${String(n).padStart(8, '0')}` })
          .execute();
        const count = [0, 1, 1, 1, 2, 2, 3][int(0, 6)]!;
        let start = today;
        let end = today;
        for (let k = 0; k < count; k++) {
          // Starts and ends land on and around today, today + expiringWithinDays and today − graceDays;
          // some repeat the previous span exactly, so the id tie-break decides between them.
          if (k === 0 || !chance(0.4)) {
            start = addDays(today, int(-60, 10));
            end = chance(0.3) ? start : addDays(start, int(0, 40));
          }
          const price = [0, 100_000, 150_000][int(0, 2)]!;
          const membershipId = uuid();
          await trx
            .insertInto('memberships')
            .values({
              gym_id: a.gymId,
              id: membershipId,
              branch_id: a.branchId,
              member_id: memberId,
              plan_id: plan.id,
              plan: snapshot,
              start_date: start,
              end_date: end,
              price_paise: price,
              cancelled_at: chance(0.2) ? new Date() : null,
              cancel_reason: null,
              deleted_at: chance(0.08) ? new Date() : null,
            })
            .execute();
          for (let f = int(-1, 1); f > 0 || (f === 0 && chance(0.3)); f--) {
            const from = addDays(today, int(-5, 3));
            await trx
              .insertInto('freezes')
              .values({ gym_id: a.gymId, id: uuid(), membership_id: membershipId, from_date: from, to_date: addDays(from, int(0, 4)), reason: null, deleted_at: chance(0.25) ? new Date() : null })
              .execute();
          }
          for (let p = int(0, 2); p > 0 && price > 0; p--) {
            const paymentId = uuid();
            const invoiceId = uuid();
            const amount = int(1, Math.round(price * 0.8));
            await trx
              .insertInto('payments')
              .values({ gym_id: a.gymId, id: paymentId, branch_id: a.branchId, member_id: memberId, membership_id: membershipId, method: 'cash', reference: null, amount_paise: amount, received_at: new Date(), received_on: today, staff_id: null, device_id: null, invoice_id: invoiceId })
              .execute();
            await trx
              .insertInto('invoices')
              .values({
                gym_id: a.gymId,
                id: invoiceId,
                branch_id: a.branchId,
                series_id: series.id,
                number: `SQ/${++invoiceNo}`,
                payment_id: paymentId,
                member_id: memberId,
                membership_id: membershipId,
                issued_on: today,
                issued_at: new Date(),
                sac: '999723',
                rate_bps: 0,
                place_of_supply: '29',
                taxable_paise: amount,
                cgst_paise: 0,
                sgst_paise: 0,
                igst_paise: 0,
                total_paise: amount,
                snapshot: {},
              })
              .execute();
          }
        }
      }
    });
  }, 120_000);
  afterAll(() => w?.close());

  interface Listed {
    id: string;
    status: MemberStatus;
  }

  /** Every page of `/members?<query>`, with the total the first page reported. */
  async function listAll(query: string): Promise<{ items: Listed[]; total: number }> {
    const items: Listed[] = [];
    let total = -1;
    for (let page = 1; ; page++) {
      const res = await call(w.app, a.tokens.owner, { method: 'GET', url: `/members?${query}${query ? '&' : ''}perPage=100&page=${page}` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { data: Listed[]; meta: { total: number } };
      if (page === 1) total = body.meta.total;
      items.push(...body.data);
      if (body.data.length < 100) break;
    }
    return { items, total };
  }

  const setSettings = (expiringWithinDays: number, graceDays: number) =>
    withTenant(w.t.api, a.seed.scope, (trx) => sql`update gyms set expiring_within_days = ${expiringWithinDays}, grace_days = ${graceDays}`.execute(trx));

  for (const [expiring, grace] of [
    [7, 3],
    [1, 0],
    [30, 10],
  ] as const) {
    it(`matches memberStatus for every filter (expiringWithinDays ${expiring}, graceDays ${grace})`, async () => {
      await setSettings(expiring, grace);
      const all = await listAll('');
      expect(all.total).toBe(all.items.length);
      const states = new Set(all.items.map((m) => m.status.state));
      // The data reaches every state (grace needs graceDays > 0), so no filter is checked against nothing.
      const every = ['active', 'cancelled', 'expired', 'expiring', 'frozen', 'none', 'pending', ...(grace > 0 ? ['grace'] : [])];
      expect([...states].sort()).toEqual(every.sort());

      const cases: [string, (s: MemberStatus) => boolean][] = [
        ...[...states].map((state): [string, (s: MemberStatus) => boolean] => [`status=${state}`, (s) => s.state === state]),
        ['hasDues=true', (s) => s.duePaise > 0],
        ['hasDues=false', (s) => s.duePaise === 0],
        ...[0, 1, 3, 7, 30].map((d): [string, (s: MemberStatus) => boolean] => [
          `expiringWithinDays=${d}`,
          (s) => (s.state === 'active' || s.state === 'expiring') && s.daysLeft <= d,
        ]),
        ['status=active&hasDues=true', (s) => s.state === 'active' && s.duePaise > 0],
        ['status=expiring&expiringWithinDays=2', (s) => s.state === 'expiring' && s.daysLeft <= 2],
        ['status=none&hasDues=false', (s) => s.state === 'none'],
        ['status=grace&q=Status%2001', (s) => s.state === 'grace'],
      ];
      for (const [query, keep] of cases) {
        const searched = query.includes('q=') ? (m: Listed & { fullName?: string }) => (m.fullName ?? '').includes('Status 01') : () => true;
        const expected = all.items.filter((m) => keep(m.status) && searched(m)).map((m) => m.id);
        const got = await listAll(query);
        expect(got.items.map((m) => m.id), query).toEqual(expected);
        expect(got.total, query).toBe(expected.length);
      }
      // A page past the end has no row to carry the total; it is still right.
      const past = await call(w.app, a.tokens.owner, { method: 'GET', url: '/members?status=active&perPage=5&page=9999' });
      expect(past.json()).toMatchObject({ data: [], meta: { page: 9999, perPage: 5, total: all.items.filter((m) => m.status.state === 'active').length } });
    });
  }
});
