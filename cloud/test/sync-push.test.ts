import { type PlanSnapshot, SYNC_SCHEMA_VERSION, financialYearOf, formatInvoiceNumber, localDateAt, termEnd } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { digest } from './api-routes.js';
import { pairTestDesk } from './desk.js';
import { type World, call, createWorld } from './world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(() => w?.close());

const plan: PlanSnapshot = {
  name: 'Monthly',
  duration: { unit: 'months', count: 1 },
  pricePaise: 150_000,
  taxInclusive: true,
  gstRateBps: 1800,
  sac: '999723',
  access: { allowedBranchIds: null, hours: null },
  maxFreezeDays: 7,
  ptSessions: 0,
};

let deskNo = 1; // the fixture's desk is D1
/** A freshly paired desk of gym A: its own device row and desk code (its invoice prefix), its own outbox seqs, a real desk token. */
async function newDesk() {
  deskNo += 1;
  const prefix = `D${deskNo}`;
  const { deviceId, token, push } = await pairTestDesk(w, w.gyms.a, prefix);
  let invoiceSeq = 0;
  const startYear = financialYearOf(localDateAt(new Date(), 'Asia/Kolkata')).startYear;
  return { deviceId, token, prefix, nextInvoice: () => formatInvoiceNumber({ prefix, startYear, seq: ++invoiceSeq }), push };
}
type Desk = Awaited<ReturnType<typeof newDesk>>;

const entry = (seq: number, name: string, args: unknown, createdAt = new Date()) => ({ seq, mutationId: uuid(), name, args, createdAt: createdAt.toISOString() });
const today = () => localDateAt(new Date(), 'Asia/Kolkata');

let phoneNo = 0;
const memberArgs = (name = 'Sync Member') => ({ id: uuid(), code: `SY${String(Date.now() % 1e6)}${++phoneNo}`.slice(0, 12), fullName: name, phone: `+9198700${String(10_000 + phoneNo).slice(-5)}` });

/** A day at the desk: enrol, sell with a first payment, check in, pay the rest; every id born at the desk. */
function deskDay(desk: Desk, startSeq = 1, clockSkewMs = 0) {
  const at = new Date(Date.now() + clockSkewMs);
  const member = memberArgs();
  const start = today();
  const membershipId = uuid();
  const sale = {
    id: membershipId,
    memberId: member.id,
    planId: w.gyms.a.ids.plan,
    plan,
    start,
    end: termEnd(start, plan.duration),
    pricePaise: 150_000,
    discountPaise: 0,
    cancelledAt: null,
    cancelReason: null,
    createdAt: at.toISOString(),
    payment: { id: uuid(), memberId: member.id, membershipId, method: 'cash', reference: null, amountPaise: 100_000, receivedAt: new Date().toISOString(), staffId: null, invoiceId: uuid(), invoiceNumber: desk.nextInvoice() },
  };
  const checkin = { id: uuid(), memberId: member.id, branchId: w.gyms.a.branchId, method: 'manual', verdict: 'allow', reason: null, at: at.toISOString(), deviceId: desk.deviceId, staffId: null };
  const rest = { id: uuid(), memberId: member.id, membershipId, method: 'upi_offline', reference: 'UPI42', amountPaise: 50_000, receivedAt: new Date().toISOString(), staffId: null, invoiceId: uuid(), invoiceNumber: desk.nextInvoice() };
  const entries = [
    entry(startSeq, 'members/create', { ...member, createdAt: at.toISOString() }, at),
    entry(startSeq + 1, 'memberships/sell', sale, at),
    entry(startSeq + 2, 'checkins/create', checkin, at),
    entry(startSeq + 3, 'payments/record', rest, at),
  ];
  return { entries, member, membershipId, checkin, payments: [sale.payment, rest] };
}

const ownerDb = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(w.t.owner, w.gyms.a.seed.scope, fn);
const snapshot = () => digest(w.t.owner, w.gyms.a.seed.scope);

describe('POST /sync/push', () => {
  it('applies a batch, creating exactly the rows born at the desk', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    const res = await desk.push(day.entries);
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data;
    expect(data).toEqual({ lastSeq: 4, stopped: null, results: day.entries.map((e) => ({ seq: e.seq, mutationId: e.mutationId, status: 'applied' })) });
    const rows = await ownerDb(async (trx) => ({
      member: await trx.selectFrom('members').select(['id', 'code', 'full_name']).where('id', '=', day.member.id).execute(),
      membership: await trx.selectFrom('memberships').select(['id', 'start_date']).where('member_id', '=', day.member.id).execute(),
      payments: await trx.selectFrom('payments').select(['id', 'invoice_id', 'device_id']).where('member_id', '=', day.member.id).orderBy('amount_paise', 'desc').execute(),
      invoices: await trx.selectFrom('invoices').select(['id', 'number']).where('member_id', '=', day.member.id).orderBy('number').execute(),
      checkins: await trx.selectFrom('checkins').select(['id', 'verdict', 'device_id']).where('member_id', '=', day.member.id).execute(),
      log: await trx.selectFrom('sync_mutations').select(['seq', 'status']).where('device_id', '=', desk.deviceId).orderBy('seq').execute(),
      receipts: await trx.selectFrom('notifications').select(['ref', 'status', 'data']).where('member_id', '=', day.member.id).where('template', '=', 'payment_receipt').orderBy('ref').execute(),
    }));
    expect(rows.member).toEqual([{ id: day.member.id, code: day.member.code, full_name: day.member.fullName }]);
    expect(rows.membership).toEqual([{ id: day.membershipId, start_date: today() }]);
    expect(rows.payments).toEqual(day.payments.map((p) => ({ id: p.id, invoice_id: p.invoiceId, device_id: desk.deviceId })));
    expect(rows.invoices).toEqual(day.payments.map((p) => ({ id: p.invoiceId, number: p.invoiceNumber })));
    expect(rows.checkins).toEqual([{ id: day.checkin.id, verdict: 'allow', device_id: desk.deviceId }]);
    expect(rows.log).toEqual([1, 2, 3, 4].map((seq) => ({ seq, status: 'applied' })));
    // Money taken at the desk gets the same WhatsApp receipt as money paid online, one per payment.
    expect(rows.receipts.map((r) => r.ref)).toEqual(day.payments.map((p) => p.id).sort());
    expect(rows.receipts.map((r) => (r.data as { amount: string }).amount).sort()).toEqual(['1,000.00', '500.00']);
    expect(rows.receipts.every((r) => r.status === 'queued')).toBe(true);
  });

  it('sends no welcome or receipt for what happened more than a week before it reached the cloud (a desk pairing with its history)', async () => {
    const desk = await newDesk();
    const daysAgo = (n: number) => new Date(Date.now() - n * 24 * 3600_000).toISOString();
    const old = deskDay(desk, 1, -8 * 24 * 3600_000);
    (old.entries[1]!.args as { payment: { receivedAt: string } }).payment.receivedAt = daysAgo(8);
    (old.entries[3]!.args as { receivedAt: string }).receivedAt = daysAgo(8);
    expect((await desk.push(old.entries)).json().data.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const messages = await ownerDb((trx) => trx.selectFrom('notifications').select('template').where('member_id', '=', old.member.id).execute());
    expect(messages).toEqual([]);

    const day = deskDay(desk, 5);
    (day.entries[1]!.args as { payment: { receivedAt: string } }).payment.receivedAt = daysAgo(8);
    (day.entries[3]!.args as { receivedAt: string }).receivedAt = daysAgo(6);
    expect((await desk.push(day.entries)).json().data.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const receipts = await ownerDb((trx) => trx.selectFrom('notifications').select('ref').where('member_id', '=', day.member.id).where('template', '=', 'payment_receipt').execute());
    expect(receipts).toEqual([{ ref: day.payments[1]!.id }]);
  });

  it('acknowledges a replay as duplicates and changes nothing', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    expect((await desk.push(day.entries)).statusCode).toBe(200);
    const before = await snapshot();
    const res = await desk.push(day.entries);
    expect(res.json().data).toEqual({ lastSeq: 4, stopped: null, results: day.entries.map((e) => ({ seq: e.seq, mutationId: e.mutationId, status: 'duplicate' })) });
    expect(await snapshot()).toEqual(before);
  });

  it('applies each mutation once when ten replays race', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    const before = await snapshot();
    const replies = await Promise.all(Array.from({ length: 10 }, () => desk.push(day.entries)));
    for (const r of replies) expect(r.statusCode, r.body).toBe(200);
    for (const e of day.entries) {
      const statuses = replies.map((r) => (r.json().data.results as { seq: number; status: string }[]).find((x) => x.seq === e.seq)?.status);
      expect(statuses.filter((s) => s === 'applied'), `seq ${e.seq}`).toHaveLength(1);
      expect(statuses.filter((s) => s !== 'applied').every((s) => s === 'duplicate')).toBe(true);
    }
    const after = await snapshot();
    const grew = (table: string) => Number(after[table]!.split(':')[0]) - Number(before[table]!.split(':')[0]);
    expect({ members: grew('members'), memberships: grew('memberships'), payments: grew('payments'), invoices: grew('invoices'), checkins: grew('checkins'), sync_mutations: grew('sync_mutations') }).toEqual({
      members: 1,
      memberships: 1,
      payments: 2,
      invoices: 2,
      checkins: 1,
      sync_mutations: 4,
    });
    // And one more replay afterwards changes no row anywhere (per-table digests).
    await desk.push(day.entries);
    expect(await snapshot()).toEqual(after);
  });

  it('takes a run of check-ins together, each settled as it would be alone: applied, refused with its reason, or a re-queued duplicate', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    expect((await desk.push(day.entries)).json().data.lastSeq).toBe(4);
    const checkin = (memberId: string) => ({ ...day.checkin, id: uuid(), memberId, at: new Date().toISOString() });
    const unknown = uuid();
    const ok = [checkin(day.member.id), checkin(day.member.id), checkin(day.member.id)];
    const run = [
      entry(5, 'checkins/create', ok[0]),
      entry(6, 'checkins/create', checkin(unknown)),
      entry(7, 'checkins/create', ok[1]),
      // The check-in of seq 3 queued again under a new seq (same mutation id).
      { ...day.entries[2]!, seq: 8 },
      entry(9, 'checkins/create', { ...ok[2], deviceId: uuid() }),
      entry(10, 'checkins/create', ok[2]),
    ];
    const res = await desk.push(run);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual({
      lastSeq: 10,
      stopped: null,
      results: [
        { seq: 5, mutationId: run[0]!.mutationId, status: 'applied' },
        { seq: 6, mutationId: run[1]!.mutationId, status: 'rejected', error: { code: 'NOT_FOUND', message: 'Member not found' } },
        { seq: 7, mutationId: run[2]!.mutationId, status: 'applied' },
        { seq: 8, mutationId: run[3]!.mutationId, status: 'duplicate' },
        { seq: 9, mutationId: run[4]!.mutationId, status: 'rejected', error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('own check-ins') } },
        { seq: 10, mutationId: run[5]!.mutationId, status: 'applied' },
      ],
    });
    const rows = await ownerDb(async (trx) => ({
      checkins: await trx.selectFrom('checkins').select('id').where('member_id', '=', day.member.id).execute(),
      audits: await trx.selectFrom('audit_log').select('entity_id').where('action', '=', 'checkin.create').where('entity_id', 'in', ok.map((c) => c.id)).execute(),
      log: await trx.selectFrom('sync_mutations').select(['seq', 'status']).where('device_id', '=', desk.deviceId).where('seq', '>', 4).orderBy('seq').execute(),
    }));
    expect(rows.checkins.map((r) => r.id).sort()).toEqual([day.checkin.id, ...ok.map((c) => c.id)].sort());
    expect(rows.audits).toHaveLength(3);
    expect(rows.log).toEqual([
      { seq: 5, status: 'applied' },
      { seq: 6, status: 'rejected' },
      { seq: 7, status: 'applied' },
      { seq: 9, status: 'rejected' },
      { seq: 10, status: 'applied' },
    ]);
    // Replayed, the whole run is duplicates and nothing changes.
    const before = await snapshot();
    expect((await desk.push(run)).json().data.results.map((r: { status: string }) => r.status)).toEqual(Array(6).fill('duplicate'));
    expect(await snapshot()).toEqual(before);
  });

  it('stops a run of check-ins at a malformed one, keeping those before it', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    await desk.push(day.entries);
    const good = { ...day.checkin, id: uuid() };
    const res = await desk.push([entry(5, 'checkins/create', good), entry(6, 'checkins/create', { ...day.checkin, id: 'nope' }), entry(7, 'checkins/create', { ...day.checkin, id: uuid() })]);
    expect(res.json().data).toMatchObject({ lastSeq: 5, stopped: { seq: 6, code: 'VALIDATION_ERROR' }, results: [{ seq: 5, status: 'applied' }] });
    expect(await ownerDb((trx) => trx.selectFrom('checkins').select('id').where('id', '=', good.id).execute())).toHaveLength(1);
  });

  it('stops at a seq gap with SEQ_GAP, applying nothing after it', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    const [first, second, , fourth] = day.entries;
    const res = await desk.push([first, second, fourth]);
    expect(res.json().data).toMatchObject({ lastSeq: 2, stopped: { seq: 4, code: 'SEQ_GAP' } });
    expect(res.json().data.results).toHaveLength(2);
    const payments = await ownerDb((trx) => trx.selectFrom('payments').select('id').where('member_id', '=', day.member.id).execute());
    expect(payments).toHaveLength(1);
  });

  it('stops at an unknown mutation name without advancing', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    const before = await snapshot();
    const res = await desk.push([entry(1, 'members/teleport', { memberId: uuid() }), ...day.entries.slice(1).map((e) => ({ ...e }))]);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ lastSeq: 0, results: [], stopped: { seq: 1, code: 'UNKNOWN_MUTATION' } });
    expect(await snapshot()).toEqual({ ...before, device_sync_state: (await snapshot()).device_sync_state });
  });

  it('stops at arguments failing the registry with VALIDATION_ERROR without advancing', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    const bad = entry(2, 'memberships/sell', { id: 'not-a-uuid' });
    const res = await desk.push([day.entries[0], bad, day.entries[2]]);
    expect(res.json().data).toMatchObject({ lastSeq: 1, stopped: { seq: 2, code: 'VALIDATION_ERROR' } });
    expect(res.json().data.stopped.message).toContain('memberships/sell');
    const checkins = await ownerDb((trx) => trx.selectFrom('checkins').select('id').where('id', '=', day.checkin.id).execute());
    expect(checkins).toEqual([]);
  });

  it('refuses a malformed batch with 400 and applies nothing', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    const before = await snapshot();
    const [a, b] = day.entries;
    for (const body of [[b, a], [a, { ...a, seq: 2 }], [{ ...a, seq: 0 }], Array.from({ length: 501 }, (_, i) => entry(i + 1, 'members/create', {}))]) {
      const res = await desk.push(body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_ERROR');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a forged device id, a revoked desk, a person, and an incompatible schema version', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    const before = await snapshot();
    const forged = await desk.push(day.entries, { deviceId: w.gyms.a.ids.device });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('forged device id') });
    const mismatch = await desk.push(day.entries, { schemaVersion: SYNC_SCHEMA_VERSION + 1 });
    expect(mismatch.statusCode).toBe(409);
    expect(mismatch.json().error).toMatchObject({ code: 'SCHEMA_VERSION_MISMATCH', message: expect.stringContaining('newer than the cloud') });
    const owner = await call(w.app, w.gyms.a.tokens.owner, { method: 'POST', url: '/sync/push', body: { deviceId: desk.deviceId, schemaVersion: 1, entries: day.entries } });
    expect(owner.statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);
    await withTenant(w.t.api, w.gyms.a.seed.scope, (trx) => trx.updateTable('devices').set({ revoked_at: new Date() }).where('id', '=', desk.deviceId).execute());
    const revoked = await snapshot();
    expect((await desk.push(day.entries)).statusCode).toBe(401);
    expect(await snapshot()).toEqual(revoked);
  });

  it('records a business rejection with its reason and goes on past it', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    expect((await desk.push(day.entries)).json().data.lastSeq).toBe(4);
    // Meanwhile the owner deletes the member on the dashboard; the desk, offline, renewed them and took too much.
    expect((await call(w.app, w.gyms.a.tokens.owner, { method: 'DELETE', url: `/members/${day.member.id}` })).statusCode).toBeLessThan(300);
    const renewal = { ...(day.entries[1]!.args as object), memberId: day.member.id, payment: null, id: uuid() };
    const other = deskDay(desk, 6);
    const entries = [entry(5, 'memberships/renew', renewal), ...other.entries.slice(0, 2)];
    const res = await desk.push(entries);
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json().data;
    expect(data.stopped).toBeNull();
    expect(data.lastSeq).toBe(7);
    expect(data.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'applied', 'applied']);
    expect(data.results[0].error).toMatchObject({ code: 'NOT_FOUND', message: 'Member not found' });
    const recorded = await ownerDb((trx) => trx.selectFrom('sync_mutations').select(['status', 'error_code', 'error_message']).where('mutation_id', '=', entries[0]!.mutationId).executeTakeFirst());
    expect(recorded).toEqual({ status: 'rejected', error_code: 'NOT_FOUND', error_message: 'Member not found' });
    const renewed = await ownerDb((trx) => trx.selectFrom('memberships').select('id').where('id', '=', renewal.id).execute());
    expect(renewed).toEqual([]);
  });

  it('rejects an overpayment and offline invoices with a wrong, duplicate or non-consecutive desk number', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    await desk.push(day.entries.slice(0, 2)); // enrol + sale with its first payment (D?/…/00001)
    const base = day.entries[3]!.args as Record<string, unknown>;
    const pay = (amountPaise: number, invoiceNumber: string) => ({ ...base, id: uuid(), invoiceId: uuid(), amountPaise, invoiceNumber });
    const fy = financialYearOf(today()).startYear;
    const cases = [
      pay(60_000, formatInvoiceNumber({ prefix: desk.prefix, startYear: fy, seq: 2 })), // more than the 50,000 due: its number is voided
      pay(1_000, formatInvoiceNumber({ prefix: 'WEB', startYear: fy, seq: 7 })), // the cloud's series
      pay(1_000, `${desk.prefix}-${fy}-2`), // not a series number
      pay(1_000, formatInvoiceNumber({ prefix: desk.prefix, startYear: fy, seq: 1 })), // already issued
      pay(1_000, formatInvoiceNumber({ prefix: desk.prefix, startYear: fy, seq: 2 })), // already issued: voided above
      pay(1_000, formatInvoiceNumber({ prefix: desk.prefix, startYear: fy, seq: 5 })), // a gap in the series
      pay(1_000, formatInvoiceNumber({ prefix: desk.prefix, startYear: fy - 1, seq: 3 })), // another financial year
      pay(1_000, formatInvoiceNumber({ prefix: 'D1', startYear: fy, seq: 1 })), // another desk's series
      pay(1_000, formatInvoiceNumber({ prefix: desk.prefix, startYear: fy, seq: 3 })), // right
    ];
    const res = await desk.push(cases.map((args, i) => entry(3 + i, 'payments/record', args)));
    const results = res.json().data.results as { status: string; error?: { code: string; message: string } }[];
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['rejected', 'OVERPAYMENT'],
      ['rejected', 'VALIDATION_ERROR'],
      ['rejected', 'VALIDATION_ERROR'],
      ['rejected', 'CONFLICT'],
      ['rejected', 'CONFLICT'],
      ['rejected', 'VALIDATION_ERROR'],
      ['rejected', 'VALIDATION_ERROR'],
      ['rejected', 'VALIDATION_ERROR'],
      ['applied', undefined],
    ]);
    expect(results[4]?.error?.message).toContain('was already issued');
    // The desk is told the refused payment's number is void, and a refusal for the number itself is not.
    expect(results[0]?.error?.message).toMatch(/Invoice \S+\/00002 is void: record the payment again for a new invoice$/);
    expect(results[5]?.error?.message).not.toContain('is void');
    const numbers = await ownerDb((trx) => trx.selectFrom('invoices').select('number').where('member_id', '=', day.member.id).orderBy('number').execute());
    expect(numbers.map((n) => n.number)).toEqual([1, 3].map((seq) => formatInvoiceNumber({ prefix: desk.prefix, startYear: fy, seq })));
    const voided = await ownerDb((trx) => trx.selectFrom('voided_invoice_numbers').select(['number', 'error_code']).where('device_id', '=', desk.deviceId).execute());
    expect(voided).toEqual([{ number: formatInvoiceNumber({ prefix: desk.prefix, startYear: fy, seq: 2 }), error_code: 'OVERPAYMENT' }]);
    const web = await ownerDb((trx) => trx.selectFrom('invoice_series').select('last_seq').where('prefix', '=', 'WEB').execute());
    expect(web.every((s) => s.last_seq !== 7)).toBe(true);
  });

  it('voids the number of a payment refused for a business reason, so the desk numbers on; a wrong number is only refused', async () => {
    const desk = await newDesk();
    const day = deskDay(desk);
    expect((await desk.push(day.entries.slice(0, 2))).json().data.lastSeq).toBe(2); // enrol + sale: its first number, 50,000 left due
    const fy = financialYearOf(today()).startYear;
    const number = (seq: number) => formatInvoiceNumber({ prefix: desk.prefix, startYear: fy, seq });
    const base = day.entries[3]!.args as Record<string, unknown>;
    const pay = (seq: number, amountPaise: number) => ({ ...base, id: uuid(), invoiceId: uuid(), method: 'cash', reference: null, amountPaise, invoiceNumber: number(seq) });
    const stored = () =>
      ownerDb(async (trx) => ({
        lastSeq: (await trx.selectFrom('invoice_series').select('last_seq').where('prefix', '=', desk.prefix).where('fy_start_year', '=', fy).executeTakeFirstOrThrow()).last_seq,
        invoices: (await trx.selectFrom('invoices').select('number').where('number', 'like', `${desk.prefix}/%`).orderBy('number').execute()).map((i) => i.number),
        voided: await trx
          .selectFrom('voided_invoice_numbers')
          .select(['number', 'mutation_id', 'seq', 'method', 'reference', 'amount_paise', 'error_code', 'error_message'])
          .where('device_id', '=', desk.deviceId)
          .orderBy('number')
          .execute(),
      }));
    const statuses = (res: Awaited<ReturnType<Desk['push']>>) => (res.json().data.results as { status: string; error?: { code: string } }[]).map((r) => [r.status, r.error?.code]);

    // Number 2 is refused with its payment (more than the 50,000 due); the desk has printed it and goes on with 3.
    const first = [entry(3, 'payments/record', pay(2, 60_000)), entry(4, 'payments/record', pay(3, 10_000))];
    expect(statuses(await desk.push(first))).toEqual([
      ['rejected', 'OVERPAYMENT'],
      ['applied', undefined],
    ]);
    const overpaid = { mutation_id: first[0]!.mutationId, seq: 3, method: 'cash', reference: null, amount_paise: 60_000, error_code: 'OVERPAYMENT', error_message: 'Amount is more than the ₹500.00 due' };
    expect(await stored()).toEqual({ lastSeq: 3, invoices: [number(1), number(3)], voided: [{ number: number(2), ...overpaid }] });

    // A renewal with its first payment for a member the cloud does not have voids its number too; a skipped
    // number is refused as a numbering error and voids nothing, and the next number in the series still follows.
    const sale = day.entries[1]!.args as { payment: Record<string, unknown> };
    const stranger = uuid();
    const renewal = { ...sale, id: uuid(), memberId: stranger, payment: { ...pay(4, 20_000), memberId: stranger, reference: 'UPI-9', method: 'upi_offline' } };
    const second = [entry(5, 'memberships/renew', renewal), entry(6, 'payments/record', pay(6, 1_000)), entry(7, 'payments/record', pay(5, 1_000))];
    const res = await desk.push(second);
    expect(statuses(res)).toEqual([
      ['rejected', 'NOT_FOUND'],
      ['rejected', 'VALIDATION_ERROR'],
      ['applied', undefined],
    ]);
    expect(res.json().data.results[1].error.message).toContain('is not consecutive');
    const renewed = { mutation_id: second[0]!.mutationId, seq: 5, method: 'upi_offline', reference: 'UPI-9', amount_paise: 20_000, error_code: 'NOT_FOUND', error_message: 'Member not found' };
    expect(await stored()).toEqual({
      lastSeq: 5,
      invoices: [number(1), number(3), number(5)],
      voided: [
        { number: number(2), ...overpaid },
        { number: number(4), ...renewed },
      ],
    });

    // The owner sees both in the day's reconciliation, with the desk's takings, to match the drawer and the UPI slip.
    const report = await call(w.app, w.gyms.a.tokens.owner, { method: 'GET', url: `/reports/reconciliation?date=${today()}&deviceId=${desk.deviceId}` });
    expect(report.statusCode, report.body).toBe(200);
    const [reported] = report.json().data.desks;
    expect(reported).toMatchObject({ deviceId: desk.deviceId, deviceCode: desk.prefix, cashPaise: 100_000 + 10_000 + 1_000 });
    expect(reported.voided).toEqual([
      { invoiceNumber: number(2), method: 'cash', reference: null, amountPaise: 60_000, receivedAt: expect.any(String), reason: { code: 'OVERPAYMENT', message: overpaid.error_message }, voidedAt: expect.any(String) },
      { invoiceNumber: number(4), method: 'upi_offline', reference: 'UPI-9', amountPaise: 20_000, receivedAt: expect.any(String), reason: { code: 'NOT_FOUND', message: 'Member not found' }, voidedAt: expect.any(String) },
    ]);
  });

  it("rejects a payment numbered with another desk's code, or any prefix but its own desk code, and records why", async () => {
    const desk = await newDesk();
    const other = await newDesk();
    const day = deskDay(desk);
    expect((await desk.push(day.entries.slice(0, 2))).json().data.lastSeq).toBe(2); // enrol + sale: its first number
    const base = day.entries[3]!.args as Record<string, unknown>;
    const fy = financialYearOf(today()).startYear;
    const pay = (prefix: string, seq: number) => ({ ...base, id: uuid(), invoiceId: uuid(), amountPaise: 1_000, invoiceNumber: formatInvoiceNumber({ prefix, startYear: fy, seq }) });
    const entries = [pay(other.prefix, 1), pay('ZZ9', 1), pay(desk.prefix, 2)].map((args, i) => entry(3 + i, 'payments/record', args));
    const res = await desk.push(entries);
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json().data.results as { status: string; error?: { code: string; message: string } }[];
    expect(results.map((r) => [r.status, r.error?.code])).toEqual([
      ['rejected', 'VALIDATION_ERROR'],
      ['rejected', 'VALIDATION_ERROR'],
      ['applied', undefined],
    ]);
    expect(results[0]?.error?.message).toContain(`invoiceNumber: ${(entries[0]!.args as { invoiceNumber: string }).invoiceNumber} is not in this desk's series`);
    expect(results[0]?.error?.message).toContain(`desk code ${desk.prefix}`);
    const recorded = await ownerDb((trx) =>
      trx.selectFrom('sync_mutations').select(['seq', 'status', 'error_code']).where('device_id', '=', desk.deviceId).where('seq', '>=', 3).orderBy('seq').execute(),
    );
    expect(recorded).toEqual([
      { seq: 3, status: 'rejected', error_code: 'VALIDATION_ERROR' },
      { seq: 4, status: 'rejected', error_code: 'VALIDATION_ERROR' },
      { seq: 5, status: 'applied', error_code: null },
    ]);
    // Neither foreign prefix became a series of this desk.
    const series = await ownerDb((trx) => trx.selectFrom('invoice_series').select('prefix').where('prefix', 'in', [other.prefix, 'ZZ9']).execute());
    expect(series).toEqual([]);
  });

  describe('staff attribution', () => {
    /** A day at the desk with each row taken by `by` (a staff id, or whatever the desk sent), and a check-out after it. */
    function attributedDay(desk: Desk, by: { sale: unknown; checkin: unknown; rest: unknown; checkout?: unknown }) {
      const day = deskDay(desk);
      Object.assign(day.payments[0]!, { staffId: by.sale });
      Object.assign(day.checkin, { staffId: by.checkin });
      Object.assign(day.payments[1]!, { staffId: by.rest });
      const checkout = { id: uuid(), memberId: day.member.id, at: new Date().toISOString(), ...('checkout' in by ? { staffId: by.checkout } : {}) };
      return { ...day, checkout, entries: [...day.entries, entry(5, 'checkins/checkout', checkout)] };
    }

    /** What the cloud stored for a day: who took each payment, made the check-in and the check-out, with the audit's record of it. */
    const stored = (day: ReturnType<typeof attributedDay>) =>
      ownerDb(async (trx) => {
        const [sale, rest] = day.payments.map((p) => p.id);
        const payment = (id: string | undefined) => trx.selectFrom('payments').select(['staff_id', 'device_id']).where('id', '=', id!).executeTakeFirstOrThrow();
        const audit = (action: string, entityId: string | undefined) =>
          trx.selectFrom('audit_log').select('new').where('action', '=', action).where('entity_id', '=', entityId!).executeTakeFirstOrThrow();
        return {
          sale: await payment(sale),
          rest: await payment(rest),
          checkin: await trx.selectFrom('checkins').select(['staff_id', 'device_id']).where('id', '=', day.checkin.id).executeTakeFirstOrThrow(),
          checkout: await trx.selectFrom('checkouts').select(['staff_id', 'device_id']).where('id', '=', day.checkout.id).executeTakeFirstOrThrow(),
          audit: {
            sale: ((await audit('payment.record', sale)).new as { payment: { staffId: unknown } }).payment.staffId,
            rest: ((await audit('payment.record', rest)).new as { payment: { staffId: unknown } }).payment.staffId,
            checkin: ((await audit('checkin.create', day.checkin.id)).new as { staffId: unknown }).staffId,
          },
        };
      });

    const applied = (res: Awaited<ReturnType<Desk['push']>>, count: number) => {
      expect(res.statusCode, res.body).toBe(200);
      const data = res.json().data;
      expect(data.stopped).toBeNull();
      expect(data.lastSeq).toBe(count);
      expect(data.results.map((r: { status: string }) => r.status)).toEqual(Array.from({ length: count }, () => 'applied'));
    };

    it('keeps the staff member signed in at the desk on a check-in, payments standalone and in a sale, and a check-out', async () => {
      const a = w.gyms.a;
      // Staff of the gym in any state: one deactivated and one removed since still took what they took.
      const deactivated = uuid();
      const removed = uuid();
      await ownerDb((trx) =>
        trx
          .insertInto('staff')
          .values([deactivated, removed].map((id, i) => ({ gym_id: a.gymId, id, name: `Left ${i}`, email: null, phone: null, password_hash: null, pin_hash: null, role: 'frontdesk' as const, branch_ids: [a.branchId], password_changed_at: null })))
          .execute(),
      );
      await ownerDb((trx) => trx.updateTable('staff').set({ active: false }).where('id', '=', deactivated).execute());
      await ownerDb((trx) => trx.updateTable('staff').set({ active: false, deleted_at: new Date() }).where('id', '=', removed).execute());

      const desk = await newDesk();
      const day = attributedDay(desk, { sale: a.ids.frontdesk, checkin: a.ids.manager, rest: deactivated, checkout: removed });
      applied(await desk.push(day.entries), 5);
      const device = { device_id: desk.deviceId };
      expect(await stored(day)).toEqual({
        sale: { staff_id: a.ids.frontdesk, ...device },
        rest: { staff_id: deactivated, ...device },
        checkin: { staff_id: a.ids.manager, ...device },
        checkout: { staff_id: removed, ...device },
        audit: { sale: a.ids.frontdesk, rest: deactivated, checkin: a.ids.manager },
      });
    });

    it('stores a staff id the gym does not have as null and still applies the change', async () => {
      const desk = await newDesk();
      // An id no one has, and a real staff member of another gym (invisible under RLS): neither is this gym's.
      const day = attributedDay(desk, { sale: uuid(), checkin: w.gyms.b.ids.frontdesk, rest: w.gyms.b.ids.owner, checkout: uuid() });
      applied(await desk.push(day.entries), 5);
      const device = { staff_id: null, device_id: desk.deviceId };
      expect(await stored(day)).toEqual({ sale: device, rest: device, checkin: device, checkout: device, audit: { sale: null, rest: null, checkin: null } });
    });

    it('takes a check-out from an older desk that does not say who made it, or says no one', async () => {
      for (const by of [{}, { checkout: null }]) {
        const desk = await newDesk();
        const day = attributedDay(desk, { sale: null, checkin: null, rest: null, ...by });
        if (!('checkout' in by)) expect(day.checkout).not.toHaveProperty('staffId');
        applied(await desk.push(day.entries), 5);
        const checkout = await ownerDb((trx) => trx.selectFrom('checkouts').select(['staff_id', 'device_id']).where('id', '=', day.checkout.id).executeTakeFirstOrThrow());
        expect(checkout).toEqual({ staff_id: null, device_id: desk.deviceId });
      }
    });
  });

  it('is not swayed by a desk clock a day fast or a day slow', async () => {
    const outcome = async (skewMs: number) => {
      const desk = await newDesk();
      const day = deskDay(desk, 1, skewMs);
      // Entries arrive in seq order whatever their createdAt says.
      const res = await desk.push(day.entries);
      const data = res.json().data;
      return { lastSeq: data.lastSeq, stopped: data.stopped, statuses: data.results.map((r: { seq: number; status: string }) => [r.seq, r.status]) };
    };
    const day = 24 * 3_600_000;
    const fast = await outcome(day);
    const slow = await outcome(-day);
    const right = await outcome(0);
    expect(fast).toEqual(right);
    expect(slow).toEqual(right);
  });
});
