import { addDays, localDateAt, parseInvoiceNumber } from '@gymstack/shared';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/permissions.js';
import { withTenant } from '../src/db/tenant.js';
import { call, createWorld, type Gym, type World } from './world.js';

/** The REST API's business behaviour, through real tokens and real Postgres. */
describe('REST API', () => {
  let w: World;
  let a: Gym;
  let today: string;
  let phoneSeq = 0;

  /** Calls as `role` of gym A; returns status and parsed body. */
  async function api(role: Role, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
    const res = await call(w.app, a.tokens[role], { method, url, body });
    return { status: res.statusCode, json: res.json(), data: res.json().data, error: res.json().error };
  }
  const newPhone = () => `+9196${String(++phoneSeq).padStart(8, '0')}`;
  const member = async (fields: Record<string, unknown> = {}) => (await api('owner', 'POST', '/members', { fullName: `Member ${phoneSeq}`, phone: newPhone(), ...fields })).data;
  const plan = async (fields: Record<string, unknown> = {}) =>
    (
      await api('owner', 'POST', '/plans', {
        name: 'Thirty days',
        duration: { unit: 'days', count: 30 },
        pricePaise: 118_000,
        taxInclusive: true,
        gstRateBps: 1800,
        sac: '999723',
        access: { allowedBranchIds: null, hours: null },
        maxFreezeDays: 10,
        ptSessions: 0,
        ...fields,
      })
    ).data;
  const sell = async (memberId: string, planId: string, extra: Record<string, unknown> = {}) => api('owner', 'POST', '/memberships', { memberId, planId, ...extra });

  beforeAll(async () => {
    w = await createWorld();
    a = w.gyms.a;
    today = localDateAt(new Date(), 'Asia/Kolkata');
  });
  afterAll(() => w?.close());

  describe('members', () => {
    it('derives every status with the shared rules and filters on it, on dues and on expiry', async () => {
      const p = await plan();
      const paid = { method: 'cash', amountPaise: 118_000 };
      const made: Record<string, string> = {};
      const cases: [string, Record<string, unknown>][] = [
        ['active', { start: today, payment: paid }],
        ['expiring', { start: addDays(today, -25), payment: paid }],
        ['grace', { start: addDays(today, -31), payment: paid }],
        ['expired', { start: addDays(today, -60), payment: paid }],
        ['pending', { start: addDays(today, 5), payment: paid }],
        ['frozen', { start: today, payment: paid }],
        ['cancelled', { start: today, payment: paid }],
        ['dues', { start: today, payment: { method: 'cash', amountPaise: 18_000 } }],
      ];
      for (const [label, sale] of cases) {
        const m = await member({ fullName: `Status ${label}` });
        made[label] = m.id;
        const sold = await sell(m.id, p.id, sale);
        expect(sold.status, sold.json.error?.message).toBe(201);
        if (label === 'frozen') await api('owner', 'POST', `/memberships/${sold.data.membership.id}/freeze`, { from: today, to: addDays(today, 2) });
        if (label === 'cancelled') await api('owner', 'POST', `/memberships/${sold.data.membership.id}/cancel`, { reason: 'Moved' });
      }
      made.none = (await member({ fullName: 'Status none' })).id;

      const states = { active: 'active', expiring: 'expiring', grace: 'grace', expired: 'expired', pending: 'pending', frozen: 'frozen', cancelled: 'cancelled', dues: 'active', none: 'none' };
      for (const [label, state] of Object.entries(states)) {
        const got = await api('frontdesk', 'GET', `/members/${made[label]}`);
        expect(got.data.status.state, label).toBe(state);
        const listed = await api('owner', 'GET', `/members?status=${state}&perPage=100`);
        expect(listed.data.map((m: { id: string }) => m.id), label).toContain(made[label]);
        expect(listed.data.every((m: { status: { state: string } }) => m.status.state === state)).toBe(true);
      }
      expect((await api('owner', 'GET', `/members/${made.dues}`)).data.status.duePaise).toBe(100_000);
      const owing = await api('owner', 'GET', '/members?hasDues=true&perPage=100');
      expect(owing.data.map((m: { id: string }) => m.id)).toContain(made.dues);
      expect(owing.data.map((m: { id: string }) => m.id)).not.toContain(made.active);
      const soon = (await api('owner', 'GET', '/members?expiringWithinDays=7&perPage=100')).data.map((m: { id: string }) => m.id);
      expect(soon).toContain(made.expiring);
      expect(soon).not.toContain(made.active);
    });

    it('searches by name, phone digits and code, and paginates with meta', async () => {
      const m = await member({ fullName: 'Zubin Mehta', phone: '+919845099887', code: 'ZM77' });
      for (const q of ['zubin', 'MEHTA', '99887', 'zm77']) {
        const found = await api('owner', 'GET', `/members?q=${q}`);
        expect(found.data.map((x: { id: string }) => x.id), q).toEqual([m.id]);
      }
      const page = await api('owner', 'GET', '/members?page=2&perPage=3');
      expect(page.json.meta).toMatchObject({ page: 2, perPage: 3 });
      expect(page.json.meta.total).toBeGreaterThan(6);
      expect(page.data).toHaveLength(3);
    });

    it('normalises phones to E.164, refuses a duplicate with 409 DUPLICATE_PHONE, and merges updates', async () => {
      const m = await member({ phone: '098450 11223', email: 'a@example.test' });
      expect(m.phone).toBe('+919845011223');
      const dup = await api('frontdesk', 'POST', '/members', { fullName: 'Twin', phone: '+91 98450 11223' });
      expect(dup.status).toBe(409);
      expect(dup.error.code).toBe('DUPLICATE_PHONE');
      const updated = await api('frontdesk', 'PUT', `/members/${m.id}`, { goal: 'strength' });
      expect(updated.data).toMatchObject({ goal: 'strength', email: 'a@example.test', phone: '+919845011223' });
    });

    it('soft-deletes (owner only): gone from reads, row kept, phone free again', async () => {
      const m = await member({ phone: '+919845055555' });
      expect((await api('manager', 'DELETE', `/members/${m.id}`)).status).toBe(403);
      expect((await api('owner', 'DELETE', `/members/${m.id}`)).status).toBe(200);
      expect((await api('owner', 'GET', `/members/${m.id}`)).status).toBe(404);
      const row = await withTenant(w.t.api, a.seed.scope, (trx) => trx.selectFrom('members').select('deleted_at').where('id', '=', m.id).executeTakeFirstOrThrow());
      expect(row.deleted_at).toBeInstanceOf(Date);
      expect((await api('owner', 'POST', '/members', { fullName: 'Reuse', phone: '+919845055555' })).status).toBe(201);
    });
  });

  describe('row scopes', () => {
    it("shows a trainer only their clients and a member only themself; another's row is 404", async () => {
      const trainers = (await api('trainer', 'GET', '/members?perPage=100')).data.map((m: { id: string }) => m.id);
      expect(trainers).toEqual([a.ids.member]);
      const stranger = await member();
      expect((await api('trainer', 'GET', `/members/${stranger.id}`)).status).toBe(404);
      expect((await api('member', 'GET', '/members')).data.map((m: { id: string }) => m.id)).toEqual([a.ids.member]);
      expect((await api('member', 'GET', `/members/${stranger.id}/payments`)).status).toBe(404);
      expect((await api('member', 'GET', `/members/${a.ids.member}/payments`)).status).toBe(200);

      const assigned = await api('manager', 'POST', '/trainer-assignments', { trainerId: a.ids.trainer, memberId: stranger.id });
      expect(assigned.status).toBe(201);
      expect((await api('trainer', 'GET', `/members/${stranger.id}`)).status).toBe(200);
      expect((await api('manager', 'DELETE', `/trainer-assignments/${assigned.data.id}`)).status).toBe(200);
      expect((await api('trainer', 'GET', `/members/${stranger.id}`)).status).toBe(404);
    });

    it("keeps a desk to its own branch's members", async () => {
      const elsewhere = await member({ branchId: a.otherBranchId });
      expect((await api('desk', 'GET', `/members/${elsewhere.id}`)).status).toBe(404);
      expect((await api('owner', 'GET', `/members/${elsewhere.id}`)).status).toBe(200);
      expect((await api('desk', 'POST', '/members', { fullName: 'Wrong branch', phone: newPhone(), branchId: a.otherBranchId })).status).toBe(404);
      const here = await api('desk', 'POST', '/members', { fullName: 'Desk enrolled', phone: newPhone() });
      expect(here.data.branchId).toBe(a.branchId);
    });
  });

  describe('memberships', () => {
    it('sells, renews from the day after, and refuses an archived plan with PLAN_INACTIVE', async () => {
      const p = await plan({ duration: { unit: 'months', count: 1 } });
      const m = await member();
      const first = await sell(m.id, p.id, { start: '2026-01-31' });
      expect(first.data.membership).toMatchObject({ start: '2026-01-31', end: '2026-02-28' });
      const renewed = await api('frontdesk', 'POST', '/memberships/renew', { memberId: m.id, planId: p.id });
      expect(renewed.data.membership.start).toBe(today); // the first term lapsed long ago
      const again = await api('frontdesk', 'POST', '/memberships/renew', { memberId: m.id, planId: p.id });
      expect(again.data.membership.start).toBe(addDays(renewed.data.membership.end, 1));
      await api('owner', 'POST', `/plans/${p.id}/archive`);
      const refused = await sell(m.id, p.id);
      expect(refused.status).toBe(422);
      expect(refused.error.code).toBe('PLAN_INACTIVE');
    });

    it('freezes within the allowance, unfreezes, and cancels as the desk does', async () => {
      const p = await plan({ maxFreezeDays: 5 });
      const m = await member();
      const sold = (await sell(m.id, p.id, { start: today })).data.membership;
      const over = await api('frontdesk', 'POST', `/memberships/${sold.id}/freeze`, { from: addDays(today, 1), to: addDays(today, 6) });
      expect(over.error.code).toBe('FREEZE_LIMIT_EXCEEDED');
      const frozen = await api('frontdesk', 'POST', `/memberships/${sold.id}/freeze`, { from: addDays(today, 1), to: addDays(today, 3) });
      expect(frozen.data).toMatchObject({ end: addDays(sold.end, 3), freezeDaysUsed: 3 });
      const overlap = await api('frontdesk', 'POST', `/memberships/${sold.id}/freeze`, { from: addDays(today, 3), to: addDays(today, 4) });
      expect(overlap.error.code).toBe('FREEZE_INVALID_RANGE');
      const unfrozen = await api('frontdesk', 'POST', `/memberships/${sold.id}/unfreeze`);
      expect(unfrozen.data).toMatchObject({ end: sold.end, freezes: [] }); // not begun: withdrawn outright
      expect((await api('frontdesk', 'POST', `/memberships/${sold.id}/unfreeze`)).error.code).toBe('NOT_FROZEN');
      expect((await api('frontdesk', 'POST', `/memberships/${sold.id}/cancel`, { reason: 'x' })).status).toBe(403);
      const cancelled = await api('manager', 'POST', `/memberships/${sold.id}/cancel`, { reason: 'Relocated' });
      expect(cancelled.data).toMatchObject({ state: 'cancelled', cancelReason: 'Relocated' });
      const late = await api('frontdesk', 'POST', '/payments/record-offline', { membershipId: sold.id, method: 'cash', amountPaise: 100 });
      expect(late.error.code).toBe('MEMBERSHIP_CANCELLED');
    });
  });

  describe('payments and invoices', () => {
    it('takes partial payments, refuses OVERPAYMENT, and splits GST by place of supply', async () => {
      const exclusive = await plan({ pricePaise: 100_000, taxInclusive: false });
      const local = await member({ stateCode: '29' });
      const away = await member({ stateCode: '27' });
      const unknown = await member();
      const sale = (await sell(local.id, exclusive.id)).data.membership;
      expect(sale.pricePaise).toBe(118_000);
      const part = await api('desk', 'POST', '/payments/record-offline', { membershipId: sale.id, method: 'upi_offline', reference: 'UPI-1', amountPaise: 59_000 });
      expect(part.status).toBe(201);
      expect(part.data.invoice).toMatchObject({ placeOfSupply: '29', taxablePaise: 50_000, cgstPaise: 4_500, sgstPaise: 4_500, igstPaise: 0, totalPaise: 59_000 });
      const over = await api('desk', 'POST', '/payments/record-offline', { membershipId: sale.id, method: 'cash', amountPaise: 59_001 });
      expect(over.error.code).toBe('OVERPAYMENT');
      const noRef = await api('desk', 'POST', '/payments/record-offline', { membershipId: sale.id, method: 'card_terminal', amountPaise: 1 });
      expect(noRef.error.issues.map((i: { path: string }) => i.path)).toEqual(['reference']);

      const inter = (await sell(away.id, exclusive.id, { payment: { method: 'cash', amountPaise: 118_000 } })).data.invoice;
      expect(inter).toMatchObject({ placeOfSupply: '27', taxablePaise: 100_000, cgstPaise: 0, sgstPaise: 0, igstPaise: 18_000 });
      const fallback = (await sell(unknown.id, exclusive.id, { payment: { method: 'cash', amountPaise: 118_000 } })).data.invoice;
      expect(fallback).toMatchObject({ placeOfSupply: '29', cgstPaise: 9_000, sgstPaise: 9_000, igstPaise: 0 });
      const history = await api('member', 'GET', `/members/${a.ids.member}/payments`);
      expect(history.data.every((p: { memberId: string }) => p.memberId === a.ids.member)).toBe(true);
    });

    it('numbers invoices gap-free and unique in the cloud series under 50 concurrent payments', async () => {
      const p = await plan({ pricePaise: 1_000_000 });
      const m = await member();
      const sale = (await sell(m.id, p.id)).data.membership;
      const results = await Promise.all(
        Array.from({ length: 50 }, () => api('frontdesk', 'POST', '/payments/record-offline', { membershipId: sale.id, method: 'cash', amountPaise: 100 })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
      const { rows } = await withTenant(w.t.api, a.seed.scope, async (trx) => ({
        rows: await trx.selectFrom('invoices').select('number').where('number', 'like', 'WEB/%').execute(),
      }));
      const seqs = rows.map((r) => parseInvoiceNumber(r.number)?.seq ?? 0).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    });
  });

  describe('check-ins', () => {
    it('decides with the shared verdict, keeps denials with their reason, and counts occupancy', async () => {
      const p = await plan();
      const ok = await member();
      await sell(ok.id, p.id, { payment: { method: 'cash', amountPaise: 118_000 } });
      const lapsed = await member();
      await sell(lapsed.id, p.id, { start: addDays(today, -90), payment: { method: 'cash', amountPaise: 118_000 } });
      const nothing = await member();
      const checkin = (body: Record<string, unknown>) => api('desk', 'POST', '/check-ins', { method: 'manual', ...body });

      const first = await checkin({ memberId: ok.id });
      expect(first.data.checkin).toMatchObject({ verdict: 'allow', reason: null, branchId: a.branchId, deviceId: a.ids.device });
      expect(first.data.member.status.state).toBe('active');
      expect((await checkin({ memberCode: ok.code })).data.checkin.reason).toBe('ANTI_PASSBACK');
      expect((await checkin({ memberId: lapsed.id })).data.checkin.reason).toBe('EXPIRED');
      expect((await checkin({ memberId: nothing.id })).data.checkin.reason).toBe('NO_MEMBERSHIP');
      const unknown = await checkin({ credential: { kind: 'card', value: 'NOSUCHCARD' } });
      expect(unknown.data).toMatchObject({ member: null, reasonText: 'Card, QR or finger not recognised', checkin: { reason: 'UNKNOWN_CREDENTIAL' } });

      const owes = await member();
      await sell(owes.id, p.id);
      await api('owner', 'PUT', '/gym/config', { duesBlockPaise: 0 });
      expect((await checkin({ memberId: owes.id })).data.checkin.reason).toBe('DUES_BLOCK');
      await api('owner', 'PUT', '/gym/config', { duesBlockPaise: null });

      const branchOnly = await plan({ access: { allowedBranchIds: [a.otherBranchId], hours: null } });
      const visitor = await member();
      await sell(visitor.id, branchOnly.id, { payment: { method: 'cash', amountPaise: 118_000 } });
      expect((await checkin({ memberId: visitor.id })).data.checkin.reason).toBe('BRANCH_NOT_ALLOWED');

      const todays = await api('owner', 'GET', '/check-ins/today?perPage=100');
      const reasons = todays.data.map((c: { reason: string | null }) => c.reason);
      expect(reasons).toEqual(expect.arrayContaining([null, 'ANTI_PASSBACK', 'EXPIRED', 'NO_MEMBERSHIP', 'UNKNOWN_CREDENTIAL', 'DUES_BLOCK', 'BRANCH_NOT_ALLOWED']));
      expect((await api('owner', 'GET', `/check-ins/occupancy?branchId=${a.branchId}`)).data.count).toBeGreaterThanOrEqual(1);
      expect((await api('owner', 'GET', `/check-ins/occupancy?branchId=${a.otherBranchId}`)).data.count).toBe(0);
      // The owner works at every branch, so must say which; a desk (one branch) may leave it out.
      expect((await api('owner', 'POST', '/check-ins', { method: 'manual', memberId: ok.id })).error.issues[0].path).toBe('branchId');
    });
  });

  describe('audit log', () => {
    it('records every write with actor, role, device or IP, and old and new values; owner only', async () => {
      const m = await member({ fullName: 'Audited' });
      await api('desk', 'PUT', `/members/${m.id}`, { fullName: 'Audited twice' });
      const log = await api('owner', 'GET', `/audit-log?entity=member&entityId=${m.id}`);
      expect(log.data.map((e: { action: string }) => e.action)).toEqual(['member.update', 'member.create']);
      expect(log.data[0]).toMatchObject({ actorRole: 'desk', deviceId: a.ids.device, old: { fullName: 'Audited' }, new: { fullName: 'Audited twice' } });
      expect(log.data[1]).toMatchObject({ actorRole: 'owner', actorId: a.ids.owner, ip: '127.0.0.1', old: null });
      expect((await api('manager', 'GET', '/audit-log')).status).toBe(403);
    });
  });

  describe('data rights', () => {
    it("exports a member's data as a zip of JSON and CSV, without biometric templates", async () => {
      const res = await call(w.app, a.tokens.owner, { method: 'GET', url: `/members/${a.ids.member}/export` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      const files = unzipSync(new Uint8Array(res.rawPayload));
      expect(Object.keys(files).sort()).toEqual(
        ['member.json', 'profile.csv', 'memberships.csv', 'freezes.csv', 'payments.csv', 'invoices.csv', 'checkins.csv', 'trainer_assignments.csv', 'credentials.csv'].sort(),
      );
      const json = JSON.parse(strFromU8(files['member.json'] as Uint8Array));
      expect(json.profile[0]).toMatchObject({ id: a.ids.member, fullName: 'alpha Member' });
      expect(json.payments.length).toBeGreaterThan(0);
      expect(json.credentials[0]).toMatchObject({ kind: 'finger', has_template: true });
      expect(json.credentials[0]).not.toHaveProperty('template');
      expect(strFromU8(files['profile.csv'] as Uint8Array)).toMatch(/^id,branchId,code,fullName,/);
    });

    it('erases personal data and templates in one go, keeping payments and invoices intact', async () => {
      const p = await plan();
      const m = await member({ fullName: 'Forget Me', email: 'forget@example.test', dateOfBirth: '1990-01-01', medicalNotes: 'asthma' });
      await sell(m.id, p.id, { payment: { method: 'cash', amountPaise: 118_000 } });
      await withTenant(w.t.api, a.seed.scope, (trx) =>
        trx.insertInto('member_credentials').values({ gym_id: a.gymId, id: crypto.randomUUID(), member_id: m.id, kind: 'finger', value: '42', template: Buffer.from('secret'), key_id: 'k1', consented_at: new Date(), deleted_at: null }).execute(),
      );
      const financial = () =>
        withTenant(w.t.api, a.seed.scope, async (trx) => ({
          payments: await trx.selectFrom('payments').selectAll().where('member_id', '=', m.id).execute(),
          invoices: await trx.selectFrom('invoices').selectAll().where('member_id', '=', m.id).execute(),
        }));
      const before = await financial();
      expect((await api('manager', 'POST', `/members/${m.id}/erase`)).status).toBe(403);
      expect((await api('owner', 'POST', `/members/${m.id}/erase`)).status).toBe(200);
      expect(await financial()).toEqual(before);
      const after = await withTenant(w.t.api, a.seed.scope, async (trx) => ({
        member: await trx.selectFrom('members').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow(),
        credentials: await trx.selectFrom('member_credentials').selectAll().where('member_id', '=', m.id).execute(),
        audit: await trx.selectFrom('audit_log').select(['action', 'old']).where('entity_id', '=', m.id).where('action', '=', 'member.erase').execute(),
      }));
      expect(after.member).toMatchObject({ full_name: 'Erased member', phone: `erased-${m.id}`, email: null, date_of_birth: null, medical_notes: null });
      expect(after.member.deleted_at).toBeInstanceOf(Date);
      expect(after.credentials).toEqual([expect.objectContaining({ template: null, key_id: null, deleted_at: expect.any(Date) })]);
      expect(after.audit).toHaveLength(1);
      expect(JSON.stringify(after.audit)).not.toContain('Forget Me');
    });
  });
});
