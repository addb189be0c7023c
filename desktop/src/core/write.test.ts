import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type TestDesk, createTestDesk } from './testing/desk.js';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await desk.close();
});

const failInsertsInto = (table: string) => {
  const db = desk.sqlite();
  db.exec(`create trigger fail_${table} before insert on ${table} begin select raise(abort, 'injected failure'); end`);
  return () => db.exec(`drop trigger fail_${table}`);
};

describe('the write path', () => {
  it('appends one outbox row per write, seq growing by exactly 1, with the mutation and its ids', async () => {
    const before = desk.sqlite().prepare('select max(seq) as seq from outbox').get() as { seq: number };
    const planId = await desk.createPlan();
    const member = await desk.createMember({ fullName: 'Rohan Deshmukh' });
    await desk.core.call('memberships/sell', { memberId: member.id, planId });
    const rows = desk.sqlite().prepare('select seq, name, args from outbox where seq > ? order by seq').all(before.seq) as { seq: number; name: string; args: string }[];
    expect(rows.map((r) => r.seq)).toEqual([before.seq + 1, before.seq + 2, before.seq + 3]);
    expect(rows.map((r) => r.name)).toEqual(['plans/create', 'members/create', 'memberships/sell']);
    expect(JSON.parse(rows[1]!.args)).toMatchObject({ id: member.id, code: member.code, fullName: 'Rohan Deshmukh' });
  });

  it('writes an audit line with the staff member for each write', async () => {
    await desk.loginAs('frontdesk');
    const member = await desk.createMember({ fullName: 'Sneha Iyer' });
    const audit = desk.sqlite().prepare('select staff_id, action, entity_id, summary from audit_log order by at desc, id desc limit 1').get();
    expect(audit).toEqual({ staff_id: desk.staffIds.frontdesk, action: 'member.create', entity_id: member.id, summary: `Enrolled Sneha Iyer (${member.code})` });
  });

  it('leaves nothing behind when the outbox append fails after the main insert', async () => {
    const counts = () => ['members', 'audit_log', 'outbox'].map((t) => desk.count(t));
    const before = counts();
    const restore = failInsertsInto('outbox');
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const reply = await desk.core.dispatch('members/create', { fullName: 'Half Written', phone: '+919812345678' });
    restore();
    expect(reply.ok === false && reply.error.code).toBe('INTERNAL');
    expect(counts()).toEqual(before);
    expect(await desk.core.call('members/search', { query: 'Half' })).toEqual([]);
  });

  it('rolls back a payment, its invoice number and its audit line when the invoice insert fails', async () => {
    const planId = await desk.createPlan();
    const member = await desk.createMember();
    const { membership } = await desk.core.call('memberships/sell', { memberId: member.id, planId });
    const before = ['payments', 'invoices', 'audit_log', 'outbox'].map((t) => desk.count(t));
    const restore = failInsertsInto('invoices');
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const reply = await desk.core.dispatch('payments/record', { membershipId: membership.id, method: 'cash', amountPaise: 50_000 });
    restore();
    expect(reply.ok).toBe(false);
    expect(['payments', 'invoices', 'audit_log', 'outbox'].map((t) => desk.count(t))).toEqual(before);
    // The series was not advanced: the next invoice takes the first number.
    const paid = await desk.core.call('payments/record', { membershipId: membership.id, method: 'cash', amountPaise: 50_000 });
    expect(paid.invoice.number).toBe('PUN1/2627/00001');
  });

  it('refuses to edit append-only rows', () => {
    const db = desk.sqlite();
    expect(() => db.prepare(`update audit_log set summary = 'rewritten'`).run()).toThrow(/append-only/);
  });
});
