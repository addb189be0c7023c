import { randomBytes } from 'node:crypto';
import { SYNC_SCHEMA_VERSION, addDays, financialYearOf, formatInvoiceNumber, localDateAt } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/permissions.js';
import { withTenant } from '../src/db/tenant.js';
import { accessTokenFor } from './auth-support.js';
import { call, createWorld, type Gym, type World } from './world.js';

/**
 * One day at two desks and in the cloud: a desk pushes what two staff members took on their shifts (sync),
 * the fixture's desk and a frontdesk record one payment each through the API. The reconciliation report and
 * the owner's payment and invoice lists then read that day back.
 */
let w: World;
let a: Gym;
let today: string;
const desk = { id: uuid(), code: 'D5', name: 'Desk 5' };
const members: string[] = [];

const api = (role: Role, url: string, method: 'GET' | 'POST' = 'GET', body?: unknown) => call(w.app, a.tokens[role], { method, url, body });
const data = async (role: Role, url: string) => {
  const res = await api(role, url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  w = await createWorld();
  a = w.gyms.a;
  today = localDateAt(new Date(), 'Asia/Kolkata');
  await withTenant(w.t.api, a.seed.scope, (trx) =>
    trx.insertInto('devices').values({ gym_id: a.gymId, id: desk.id, branch_id: a.branchId, name: desk.name, code: desk.code, public_key: randomBytes(32), last_seen_at: null, revoked_at: null }).execute(),
  );
  for (const phone of ['+919300000001', '+919300000002']) {
    const m = (await api('owner', '/members', 'POST', { fullName: `Payer ${phone.slice(-1)}`, phone })).json().data;
    const sale = (await api('owner', '/memberships', 'POST', { memberId: m.id, planId: a.ids.plan })).json().data.membership;
    members.push(m.id);
    members.push(sale.id);
  }
  const [m1, s1, m2, s2] = members as [string, string, string, string];
  const startYear = financialYearOf(today).startYear;
  const takenFrom = Date.now() - 5_000;
  const pay = (seq: number, memberId: string, membershipId: string, staffId: string, method: string, amountPaise: number, reference: string | null) => ({
    seq,
    mutationId: uuid(),
    name: 'payments/record',
    createdAt: new Date().toISOString(),
    // A second apart, in seq order: the report orders a desk's payments by when they were taken.
    args: { id: uuid(), memberId, membershipId, method, reference, amountPaise, receivedAt: new Date(takenFrom + seq * 1000).toISOString(), staffId, invoiceId: uuid(), invoiceNumber: formatInvoiceNumber({ prefix: desk.code, startYear, seq }) },
  });
  const { frontdesk, manager } = a.ids;
  const entries = [
    pay(1, m1, s1, frontdesk, 'cash', 10_000, null),
    pay(2, m1, s1, frontdesk, 'upi_offline', 20_000, 'UPI-111'),
    pay(3, m2, s2, manager, 'card_terminal', 30_000, 'CARD-222'),
    pay(4, m2, s2, frontdesk, 'cash', 5_000, null),
  ];
  const token = await accessTokenFor({ gymId: a.gymId, userId: desk.id, role: 'desk', deviceId: desk.id, branchIds: [a.branchId] });
  const pushed = await call(w.app, token, { method: 'POST', url: '/sync/push', body: { deviceId: desk.id, schemaVersion: SYNC_SCHEMA_VERSION, entries } });
  expect(pushed.json().data.results.map((r: { status: string }) => r.status), pushed.body).toEqual(['applied', 'applied', 'applied', 'applied']);
  // In the cloud (no desk) by the frontdesk, and at the fixture's desk (no one signed in that the cloud knows).
  expect((await api('frontdesk', '/payments/record-offline', 'POST', { membershipId: s1, method: 'card_terminal', reference: 'CARD-WEB', amountPaise: 7_000 })).statusCode).toBe(201);
  expect((await api('desk', '/payments/record-offline', 'POST', { membershipId: s2, method: 'cash', amountPaise: 1_000 })).statusCode).toBe(201);
});
afterAll(() => w?.close());

const slip = (reference: string, amountPaise: number) => ({ paymentId: expect.any(String), reference, amountPaise, invoiceNumber: expect.any(String), receivedAt: expect.any(String) });

describe('GET /reports/reconciliation', () => {
  it("counts one desk's day per shift: cash total, UPI and card references with amounts", async () => {
    const report = (await data('owner', `/reports/reconciliation?date=${today}&deviceId=${desk.id}`)).data;
    expect(report).toMatchObject({ date: today, cashPaise: 15_000, upiPaise: 20_000, cardPaise: 30_000, onlinePaise: 0, totalPaise: 65_000 });
    expect(report.desks).toEqual([
      {
        deviceId: desk.id,
        deviceName: desk.name,
        deviceCode: desk.code,
        cashPaise: 15_000,
        upiPaise: 20_000,
        cardPaise: 30_000,
        onlinePaise: 0,
        totalPaise: 65_000,
        voided: [],
        shifts: [
          // The frontdesk, then the manager, then the frontdesk again: three shifts, as the drawer changed hands twice.
          { staffId: a.ids.frontdesk, staffName: 'alpha frontdesk', from: expect.any(String), to: expect.any(String), count: 2, cashPaise: 10_000, upiPaise: 20_000, cardPaise: 0, onlinePaise: 0, totalPaise: 30_000, upi: [slip('UPI-111', 20_000)], card: [], online: [] },
          { staffId: a.ids.manager, staffName: 'alpha manager', from: expect.any(String), to: expect.any(String), count: 1, cashPaise: 0, upiPaise: 0, cardPaise: 30_000, onlinePaise: 0, totalPaise: 30_000, upi: [], card: [slip('CARD-222', 30_000)], online: [] },
          { staffId: a.ids.frontdesk, staffName: 'alpha frontdesk', from: expect.any(String), to: expect.any(String), count: 1, cashPaise: 5_000, upiPaise: 0, cardPaise: 0, onlinePaise: 0, totalPaise: 5_000, upi: [], card: [], online: [] },
        ],
      },
    ]);
    const [first] = report.desks[0].shifts;
    expect(Date.parse(first.from)).toBeLessThanOrEqual(Date.parse(first.to));
    expect(first.upi[0].invoiceNumber).toMatch(/^D5\/\d{4}\/00002$/);
  });

  it('covers every desk and the cloud when no desk is named, today by default', async () => {
    const report = (await data('manager', '/reports/reconciliation')).data;
    expect(report).toMatchObject({ date: today, cashPaise: 16_000, upiPaise: 20_000, cardPaise: 37_000, totalPaise: 73_000 });
    const byDesk = Object.fromEntries(report.desks.map((d: { deviceId: string | null }) => [String(d.deviceId), d]));
    expect(Object.keys(byDesk).sort()).toEqual([a.ids.device, desk.id, 'null'].sort());
    expect(byDesk.null.shifts).toEqual([expect.objectContaining({ staffId: a.ids.frontdesk, card: [slip('CARD-WEB', 7_000)], totalPaise: 7_000 })]);
    expect(byDesk[a.ids.device].shifts).toEqual([expect.objectContaining({ staffId: null, staffName: null, cashPaise: 1_000, count: 1 })]);
  });

  it('is empty on a day without payments, and only for owners and managers', async () => {
    expect((await data('owner', '/reports/reconciliation?date=2026-01-01')).data).toEqual({ date: '2026-01-01', desks: [], cashPaise: 0, upiPaise: 0, cardPaise: 0, onlinePaise: 0, totalPaise: 0 });
    expect((await api('owner', '/reports/reconciliation?date=22-11-2026')).statusCode).toBe(400);
    for (const role of ['frontdesk', 'desk', 'trainer', 'member'] as const) expect((await api(role, '/reports/reconciliation')).statusCode).toBe(403);
  });
});

describe('GET /payments and GET /invoices', () => {
  const numbers = (items: { number?: string; invoiceNumber?: string }[]) => items.map((i) => i.number ?? i.invoiceNumber).sort();

  it('filter by desk, method, member and business date', async () => {
    const byDesk = await data('owner', `/payments?deviceId=${desk.id}`);
    expect(byDesk.meta.total).toBe(4);
    expect(byDesk.data.every((p: { deviceId: string }) => p.deviceId === desk.id)).toBe(true);
    const upi = (await data('owner', `/payments?deviceId=${desk.id}&method=upi_offline`)).data;
    expect(upi).toEqual([expect.objectContaining({ method: 'upi_offline', reference: 'UPI-111', amountPaise: 20_000, staffId: a.ids.frontdesk })]);
    const [m1, , m2] = members;
    expect((await data('owner', `/payments?memberId=${m2}`)).data.map((p: { amountPaise: number }) => p.amountPaise).sort((x: number, y: number) => x - y)).toEqual([1_000, 5_000, 30_000]);
    expect((await data('owner', `/payments?memberId=${m1}&method=card_terminal`)).data.map((p: { deviceId: string | null }) => p.deviceId)).toEqual([null]);
    expect((await data('owner', `/payments?from=${today}&to=${today}`)).meta.total).toBe(6);
    expect((await data('owner', `/payments?from=${addDays(today, 1)}`)).meta.total).toBe(0);
    // The fixture's payment was taken on 1 Nov 2026.
    expect((await data('owner', '/payments?from=2026-11-01&to=2026-11-01')).data.map((p: { memberId: string }) => p.memberId)).toEqual([a.ids.member]);

    const invoices = await data('owner', `/invoices?deviceId=${desk.id}`);
    expect(numbers(invoices.data)).toEqual(numbers(byDesk.data));
    expect(invoices.data.map((i: { method: string }) => i.method).sort()).toEqual(['card_terminal', 'cash', 'cash', 'upi_offline']);
    expect((await data('owner', `/invoices?memberId=${m1}&method=upi_offline`)).data).toEqual([expect.objectContaining({ memberId: m1, totalPaise: 20_000, deviceId: desk.id })]);
  });

  it("shows a member only their own, and pages", async () => {
    const mine = await data('member', '/payments');
    expect(mine.meta.total).toBeGreaterThan(0);
    expect(mine.data.every((p: { memberId: string }) => p.memberId === a.ids.member)).toBe(true);
    expect((await data('member', '/invoices')).data.every((i: { memberId: string }) => i.memberId === a.ids.member)).toBe(true);
    const page = await data('owner', '/payments?perPage=2&page=2');
    expect(page.meta).toEqual({ page: 2, perPage: 2, total: 7 });
    expect(page.data).toHaveLength(2);
  });
});
