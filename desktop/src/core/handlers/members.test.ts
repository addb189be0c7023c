import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDesk, createTestDesk } from '../testing/desk.js';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(() => desk.close());

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('members', () => {
  it('enrols a member with a GS code and an E.164 phone', async () => {
    const member = await desk.core.call('members/create', { fullName: 'Aarav Kulkarni', phone: '98765 43210', email: 'aarav@example.com', stateCode: '27' });
    expect(member).toMatchObject({ code: 'GS1001', phone: '+919876543210', email: 'aarav@example.com', hasPhoto: false, stateCode: '27' });
    expect((await desk.createMember()).code).toBe('GS1002');
  });

  it('rejects a duplicate phone and a code already in use', async () => {
    await desk.core.call('members/create', { fullName: 'Aarav Kulkarni', phone: '+919876543210', code: 'VIP7' });
    expect(await code(desk.core.call('members/create', { fullName: 'Someone Else', phone: '09876543210' }))).toBe('DUPLICATE_PHONE');
    expect(await code(desk.core.call('members/create', { fullName: 'Someone Else', phone: '+919812300000', code: 'vip7' }))).toBe('CONFLICT');
  });

  it('merges an update field by field', async () => {
    const { id } = await desk.createMember({ fullName: 'Neha Joshi', email: 'neha@example.com', goal: 'strength' });
    const updated = await desk.core.call('members/update', { memberId: id, patch: { goal: 'endurance', dateOfBirth: '1994-03-08' } });
    expect(updated).toMatchObject({ fullName: 'Neha Joshi', email: 'neha@example.com', goal: 'endurance', dateOfBirth: '1994-03-08' });
    const cleared = await desk.core.call('members/update', { memberId: id, patch: { email: null } });
    expect(cleared.email).toBeNull();
  });

  it('refuses an update to another member’s phone, and 404s an unknown member', async () => {
    const a = await desk.createMember({ phone: '+919811111111' });
    const b = await desk.createMember();
    expect(await code(desk.core.call('members/update', { memberId: b.id, patch: { phone: '+919811111111' } }))).toBe('DUPLICATE_PHONE');
    expect(await code(desk.core.call('members/update', { memberId: a.id, patch: { phone: '+919811111111' } }))).toBe('ok');
    expect(await code(desk.core.call('members/get', { memberId: desk.staffIds.owner }))).toBe('NOT_FOUND');
  });

  it('sets, reads and removes a photo', async () => {
    const { id } = await desk.createMember();
    await desk.core.call('members/setPhoto', { memberId: id, dataUrl: PNG });
    expect(await desk.core.call('members/photo', { memberId: id })).toEqual({ dataUrl: PNG });
    expect((await desk.core.call('members/get', { memberId: id })).member.hasPhoto).toBe(true);
    await desk.core.call('members/setPhoto', { memberId: id, dataUrl: null });
    expect(await desk.core.call('members/photo', { memberId: id })).toEqual({ dataUrl: null });
  });

  describe('search', () => {
    beforeEach(async () => {
      await desk.createMember({ fullName: 'Priya Sharma', phone: '+919876543210' });
      await desk.createMember({ fullName: 'Priyanka Deshpande', phone: '+919822012345' });
      await desk.createMember({ fullName: 'Rahul Sharma', phone: '+917030098765', code: 'RS77' });
      await desk.createMember({ fullName: 'Vikram Singh', phone: '+918888800001' });
    });
    const names = async (query: string) => (await desk.core.call('members/search', { query })).map((m) => m.fullName);

    it('finds by name prefix, in any word', async () => {
      expect((await names('pri')).sort()).toEqual(['Priya Sharma', 'Priyanka Deshpande']);
      expect((await names('shar')).sort()).toEqual(['Priya Sharma', 'Rahul Sharma']);
      expect(await names('priya sh')).toEqual(['Priya Sharma']);
    });

    it('finds by the last digits of the phone or the whole number', async () => {
      expect(await names('3210')).toEqual(['Priya Sharma']);
      expect(await names('987654')).toEqual(['Priya Sharma']);
      expect((await names('98765')).sort()).toEqual(['Priya Sharma', 'Rahul Sharma']); // Rahul's number ends in 98765
      expect(await names('+91 70300 98765')).toEqual(['Rahul Sharma']);
    });

    it('finds by member code', async () => {
      expect(await names('rs77')).toEqual(['Rahul Sharma']);
      expect(await names('GS1003')).toEqual(['Vikram Singh']);
    });

    it('tolerates a typo', async () => {
      expect(await names('vikarm')).toEqual(['Vikram Singh']);
      expect(await names('deshapnde')).toEqual(['Priyanka Deshpande']);
      expect(await names('zzzz')).toEqual([]);
    });

    it('returns each result with its derived status', async () => {
      const [hit] = await desk.core.call('members/search', { query: 'vikram' });
      expect(hit?.status).toEqual({ state: 'none', membershipId: null, planName: null, end: null, daysLeft: 0, duePaise: 0 });
    });
  });

  it('lists members by derived state', async () => {
    const planId = await desk.createPlan();
    const active = await desk.createMember({ fullName: 'Active Anil' });
    const owing = await desk.createMember({ fullName: 'Owing Omkar' });
    await desk.createMember({ fullName: 'Nothing Nikhil' });
    await desk.core.call('memberships/sell', { memberId: active.id, planId, payment: { method: 'cash', amountPaise: 150_000 } });
    await desk.core.call('memberships/sell', { memberId: owing.id, planId, start: '2026-12-01' });
    const list = async (filter: 'all' | 'active' | 'dues' | 'pending') => (await desk.core.call('members/list', { filter })).items.map((m) => m.fullName);
    expect(await list('all')).toEqual(['Active Anil', 'Nothing Nikhil', 'Owing Omkar']);
    expect(await list('active')).toEqual(['Active Anil']);
    expect(await list('dues')).toEqual(['Owing Omkar']);
    expect(await list('pending')).toEqual(['Owing Omkar']);
    expect((await desk.core.call('members/list', { filter: 'all', limit: 1, offset: 1 })).items.map((m) => m.fullName)).toEqual(['Nothing Nikhil']);
  });

  it('gets a profile with memberships, payments with invoice numbers and check-ins', async () => {
    const planId = await desk.createPlan();
    const { id, code: memberCode } = await desk.createMember();
    await desk.core.call('memberships/sell', { memberId: id, planId, payment: { method: 'upi_offline', amountPaise: 100_000, reference: 'UPI123' } });
    await desk.core.call('checkins/create', { method: 'manual', memberCode });
    const profile = await desk.core.call('members/get', { memberId: id });
    expect(profile.status).toMatchObject({ state: 'active', planName: 'Monthly', duePaise: 50_000 });
    expect(profile.memberships).toHaveLength(1);
    expect(profile.payments).toEqual([expect.objectContaining({ amountPaise: 100_000, reference: 'UPI123', invoiceNumber: 'PUN1/2627/00001' })]);
    expect(profile.checkins.map((c) => c.verdict)).toEqual(['allow']);
  });
});
