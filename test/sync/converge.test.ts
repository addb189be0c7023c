/**
 * Two desks of one gym and the cloud (a separate process, on real Postgres), synced with the real
 * `@electric-sql/client` (DESIGN 6): offline work on both desks lands exactly once and all three
 * converge to identical data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudProcess, createCloudDatabase, startCloudProcess } from './cloud-process.js';
import { type SyncDesk, eventually, loginOwner, pairDesk, settled } from './desk.js';
import { cloudDigests } from './digest.js';
import { type OnboardedGym, createPlan, onboardGym, pairingCode } from './gym.js';

let database: Awaited<ReturnType<typeof createCloudDatabase>>;
let cloud: CloudProcess;
let gym: OnboardedGym;
let planId: string;
let a: SyncDesk;
let b: SyncDesk;

let phone = 0;
const nextPhone = () => `+91987650${String(1000 + ++phone).slice(-4)}`;

/** A new member with a paid membership and a check-in: four mutations. */
async function walkIn(desk: SyncDesk, name: string): Promise<string> {
  const member = await desk.core.call('members/create', { fullName: name, phone: nextPhone() });
  await desk.core.call('memberships/sell', { memberId: member.id, planId, payment: { method: 'cash', amountPaise: 150_000 } });
  const checkin = await desk.core.call('checkins/create', { method: 'manual', memberId: member.id });
  expect(checkin.checkin.verdict).toBe('allow');
  return member.id;
}

const converged = async () => {
  const [da, db, dc] = [a.digests(), b.digests(), await cloudDigests(database.url, gym.gymId)];
  return JSON.stringify(da) === JSON.stringify(dc) && JSON.stringify(db) === JSON.stringify(dc);
};

/** Waits for both desks to hold what the cloud holds; on timeout, fails with the tables that differ. */
async function expectConverged(what: string): Promise<void> {
  await eventually(converged, 60_000, what).catch(() => undefined);
  const cloudNow = await cloudDigests(database.url, gym.gymId);
  expect(a.digests()).toEqual(cloudNow);
  expect(b.digests()).toEqual(cloudNow);
}

beforeAll(async () => {
  database = await createCloudDatabase();
  cloud = await startCloudProcess({ databaseUrl: database.url, env: { LOG_LEVEL: 'warn' } });
  gym = await onboardGym(cloud.url, 'Converge');
  planId = (await createPlan(cloud.url, gym.ownerToken)).id;
  a = await pairDesk(cloud, await pairingCode(cloud.url, gym.ownerToken, gym.branchId), 'Desk A');
  b = await pairDesk(cloud, await pairingCode(cloud.url, gym.ownerToken, gym.branchId), 'Desk B');
  await Promise.all([loginOwner(a), loginOwner(b)]);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await cloud?.stop();
  await database?.db.drop();
});

describe('two desks of one gym', () => {
  it('pair, download the gym, and number with their own desk codes', async () => {
    const [infoA, infoB] = await Promise.all([a.core.call('desk/info', {}), b.core.call('desk/info', {})]);
    expect(infoA.gym.id).toBe(gym.gymId);
    expect(infoB.branch.id).toBe(gym.branchId);
    expect(new Set([infoA.settings.invoicePrefix, infoB.settings.invoicePrefix])).toEqual(new Set(['D1', 'D2']));
    expect((await a.core.call('plans/list', {})).map((p) => p.id)).toEqual([planId]);
    expect((await a.status()).state).toBe('online');
  });

  it('refuse at once what only the cloud may change, queueing nothing', async () => {
    const before = (await a.status()).pending;
    await expect(a.core.call('plans/archive', { planId })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('cloud dashboard') });
    await expect(a.core.call('settings/update', { graceDays: 9 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await a.status()).pending).toBe(before);
    expect((await a.core.call('plans/list', {})).map((p) => p.id)).toEqual([planId]);
  });

  it('converge after both worked offline: check-ins, new members, renewals and payments, each exactly once', async () => {
    // Known to both before the outage: a member from each desk.
    const fromA = await walkIn(a, 'Asha Online');
    const fromB = await walkIn(b, 'Bilal Online');
    await expectConverged('the online members to reach both desks');

    await Promise.all([a.proxy.pause(), b.proxy.pause()]);
    for (let i = 0; i < 5; i++) await walkIn(a, `Anil Offline ${i}`);
    for (let i = 0; i < 5; i++) await walkIn(b, `Bina Offline ${i}`);
    // Each desk renews and checks in the member the other desk signed up.
    await a.core.call('memberships/renew', { memberId: fromB, planId, payment: { method: 'upi_offline', amountPaise: 150_000, reference: 'UPI-A-1' } });
    await b.core.call('memberships/renew', { memberId: fromA, planId, payment: { method: 'card_terminal', amountPaise: 150_000, reference: 'CARD-B-1' } });
    // Per walk-in: member, sale with its payment, check-in; plus the renewal.
    expect((await a.status()).pending).toBe(16);
    await eventually(async () => (await b.status()).state === 'offline', 10_000, 'desk B to show it is offline');

    await Promise.all([a.proxy.resume(), b.proxy.resume()]);
    await Promise.all([settled(a), settled(b)]);
    await expectConverged('both desks and the cloud to hold identical data');

    const digests = await cloudDigests(database.url, gym.gymId);
    expect(digests.members?.rows).toBe(12);
    expect(digests.memberships?.rows).toBe(14);
    expect(digests.payments?.rows).toBe(14);
    expect(digests.invoices?.rows).toBe(14);
    expect(digests.checkins?.rows).toBe(12);
    // Nothing the cloud refused.
    expect((await a.status()).rejected + (await b.status()).rejected).toBe(0);
  });

  it('applies a replayed outbox once: a desk that lost its acknowledgements pushes everything again', async () => {
    const before = await cloudDigests(database.url, gym.gymId);
    // As after restoring an old backup of the desk: it believes the cloud has seen nothing.
    await a.restart((file) => {
      file.prepare('update sync_link set acked_seq = 0').run();
    });
    await loginOwner(a);
    await settled(a);
    expect(await cloudDigests(database.url, gym.gymId)).toEqual(before);
    await expectConverged('the desks to agree after the replay');
  });
});
