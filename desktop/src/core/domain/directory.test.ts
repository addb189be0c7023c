import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { MemberSummary, memberFilter } from '../contract.js';
import { Store } from '../db/store.js';
import { DB_FILE } from '../init.js';
import { TEST_TODAY, type TestDesk, createTestDesk } from '../testing/desk.js';
import { memberStatus } from '@gymstack/shared';
import { loadFacts } from './member-status.js';

type Filter = z.infer<typeof memberFilter>;

let desk: TestDesk;
let planId: string;
beforeEach(async () => {
  desk = await createTestDesk();
  planId = await desk.createPlan();
});
afterEach(() => desk.close());

const list = async (filter: Filter) => (await desk.core.call('members/list', { filter, limit: 200 })).items;
const names = async (filter: Filter) => (await list(filter)).map((m) => m.fullName);

/** The same list derived from scratch, member by member, the slow way the directory replaces. */
async function fromScratch(today: string): Promise<Map<string, MemberSummary['status']>> {
  const store = await Store.open(join(desk.dataDir, DB_FILE));
  try {
    const facts = loadFacts(store);
    const ids = store.sqlite.prepare('select id from members where deleted_at is null').pluck().all() as string[];
    return new Map(ids.map((id) => [id, memberStatus(facts.get(id) ?? [], today, { expiringWithinDays: 7, graceDays: 3 }).status]));
  } finally {
    await store.close();
  }
}

async function expectFresh(today = TEST_TODAY): Promise<void> {
  const listed = new Map((await list('all')).map((m) => [m.id, m.status]));
  expect(listed).toEqual(await fromScratch(today));
}

describe('the member directory behind members/list', () => {
  it('follows every write that changes a status, a name or who is listed', async () => {
    const anil = await desk.createMember({ fullName: 'Anil Apte' });
    const bela = await desk.createMember({ fullName: 'Bela Bhat' });
    expect(await names('all')).toEqual(['Anil Apte', 'Bela Bhat']); // loads the directory
    expect(await names('active')).toEqual([]);

    const { membership } = await desk.core.call('memberships/sell', { memberId: anil.id, planId, payment: { method: 'cash', amountPaise: 50_000 } });
    expect(await names('active')).toEqual(['Anil Apte']);
    expect(await names('dues')).toEqual(['Anil Apte']);
    await expectFresh();

    await desk.core.call('payments/record', { membershipId: membership.id, method: 'cash', amountPaise: 100_000 });
    expect(await names('dues')).toEqual([]);

    await desk.core.call('memberships/freeze', { membershipId: membership.id, from: TEST_TODAY, to: '2026-11-25' });
    expect(await names('frozen')).toEqual(['Anil Apte']);
    expect(await names('active')).toEqual([]);
    await desk.core.call('memberships/unfreeze', { membershipId: membership.id });
    expect(await names('active')).toEqual(['Anil Apte']);
    await expectFresh();

    await desk.core.call('memberships/sell', { memberId: bela.id, planId, start: '2026-11-25', payment: { method: 'cash', amountPaise: 150_000 } });
    expect(await names('pending')).toEqual(['Bela Bhat']);
    await desk.core.call('memberships/cancel', { membershipId: membership.id, reason: 'Moved city' });
    expect(await names('active')).toEqual([]);
    await expectFresh();

    await desk.core.call('members/update', { memberId: bela.id, patch: { fullName: 'Aadya Bhat' } });
    await desk.createMember({ fullName: 'Chetan Chavan' });
    expect(await names('all')).toEqual(['Aadya Bhat', 'Anil Apte', 'Chetan Chavan']);
    expect(await names('pending')).toEqual(['Aadya Bhat']);
  });

  it('re-derives every status when the day or the status settings change', async () => {
    const member = await desk.createMember({ fullName: 'Dev Desai' });
    await desk.core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'cash', amountPaise: 150_000 } });
    expect(await names('active')).toEqual(['Dev Desai']);
    expect(await names('expiring')).toEqual([]);

    await desk.loginAs('manager');
    await desk.core.call('settings/update', { expiringWithinDays: 30 });
    expect(await names('expiring')).toEqual(['Dev Desai']);
    await desk.core.call('settings/update', { expiringWithinDays: 7 });
    expect(await names('expiring')).toEqual([]);

    desk.clock.advanceDays(25); // 4 days left
    expect(await names('expiring')).toEqual(['Dev Desai']);
    desk.clock.advanceDays(10); // ended 6 days ago, past the 3 grace days
    expect(await names('expired')).toEqual(['Dev Desai']);
    await expectFresh('2026-12-26');
  });

  it('reloads after another connection wrote', async () => {
    const member = await desk.createMember({ fullName: 'Esha Iyer' });
    const { membership } = await desk.core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'cash', amountPaise: 150_000 } });
    expect(await names('active')).toEqual(['Esha Iyer']);
    const other = desk.sqlite();
    other.prepare(`update memberships set end_date = '2026-11-01' where id = ?`).run(membership.id);
    expect(await names('expired')).toEqual(['Esha Iyer']);
    other.prepare(`update members set deleted_at = '2026-11-21T06:00:00.000Z' where id = ?`).run(member.id);
    expect(await names('all')).toEqual([]);
  });

  it('pages through a filter in name order with the total', async () => {
    for (const name of ['Gita Gill', 'Farah Fernandes', 'Hari Hegde', 'Ira Iyer']) {
      const { id } = await desk.createMember({ fullName: name });
      await desk.core.call('memberships/sell', { memberId: id, planId, payment: { method: 'cash', amountPaise: 150_000 } });
    }
    await desk.createMember({ fullName: 'Jai Joshi' });
    const page = await desk.core.call('members/list', { filter: 'active', offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.items.map((m) => m.fullName)).toEqual(['Gita Gill', 'Hari Hegde']);
    expect((await desk.core.call('members/list', { filter: 'all', offset: 4, limit: 2 })).items.map((m) => m.fullName)).toEqual(['Jai Joshi']);
  });
});
