/**
 * A fingerprint enrolled at one desk opens the door at another (DESIGN 7): the template travels sealed
 * through the cloud, desk B opens it with the gym key it got from the cloud and loads it into its own
 * (simulated) reader module; a removal or an erasure takes it off B's module again.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollFinger, pressFinger } from '../../desktop/src/core/testing/devices.js';
import { type CloudProcess, createCloudDatabase, startCloudProcess } from './cloud-process.js';
import { type SyncDesk, eventually, loginOwner, pairDesk, settled } from './desk.js';
import { type OnboardedGym, api, createPlan, onboardGym, pairingCode } from './gym.js';

let database: Awaited<ReturnType<typeof createCloudDatabase>>;
let cloud: CloudProcess;
let gym: OnboardedGym;
let a: SyncDesk;
let b: SyncDesk;
let memberId: string;

/** A sealed template: the 512-byte model plus the nonce and tag. */
const SEALED_BYTES = 512 + 28;

async function cloudQuery<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const readerView = async (desk: SyncDesk) => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'fingerprint');

/** Template pages the desk's reader module itself holds (asked over the wire, not the desk's page map). */
async function modulePages(desk: SyncDesk): Promise<number> {
  const { message } = await desk.core.call('devices/test', { device: 'fingerprint' });
  const used = /Reader answered: (\d+) of/.exec(message)?.[1];
  if (used === undefined) throw new Error(`Unexpected reader answer: ${message}`);
  return Number(used);
}

const enroll = (desk: SyncDesk) => enrollFinger(desk.core, memberId);
const press = (desk: SyncDesk) => pressFinger(desk.core, { action: 'finger', memberId });

/** Desk B's fingerprints of the member (a poll retries while the member has not reached B). */
const listAtB = () => b.core.call('fingerprints/list', { memberId });

beforeAll(async () => {
  database = await createCloudDatabase();
  cloud = await startCloudProcess({ databaseUrl: database.url, env: { LOG_LEVEL: 'warn' } });
  gym = await onboardGym(cloud.url, 'Fingers');
  const planId = (await createPlan(cloud.url, gym.ownerToken)).id;
  const devices = { fingerprint: { kind: 'simulator' as const } };
  a = await pairDesk(cloud, await pairingCode(cloud.url, gym.ownerToken, gym.branchId), 'Desk A', { devices });
  b = await pairDesk(cloud, await pairingCode(cloud.url, gym.ownerToken, gym.branchId), 'Desk B', { devices });
  await Promise.all([loginOwner(a), loginOwner(b)]);
  const member = await a.core.call('members/create', { fullName: 'Farah Finger', phone: '+919876512345' });
  memberId = member.id;
  await a.core.call('memberships/sell', { memberId, planId, payment: { method: 'cash', amountPaise: 150_000 } });
  for (const desk of [a, b]) {
    await eventually(async () => (await readerView(desk))?.state === 'connected', 30_000, 'the simulated reader');
    // Enrolling and loading both wait for the gym's keys, which each desk fetches after pairing.
    await eventually(() => desk.read((file) => (file.prepare('select count(*) as n from gym_keys').get() as { n: number }).n === 2), 30_000, 'the gym keys');
  }
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await cloud?.stop();
  await database?.db.drop();
});

describe('a fingerprint across two desks', () => {
  let fingerprintId: string;

  it('enrolled at desk A, reaches the cloud sealed with the gym key', async () => {
    const finger = await enroll(a);
    fingerprintId = finger.id;
    expect(finger.onReader).toBe(true);
    await settled(a);

    const local = a.read((file) => file.prepare('select template, key_id from member_credentials where id = ?').get(finger.id) as { template: Buffer; key_id: string });
    const [stored] = await cloudQuery<{ member_id: string; template: Buffer; key_id: string }>('select member_id, template, key_id from member_credentials where id = $1', [finger.id]);
    expect(stored?.member_id).toBe(memberId);
    // As the desk sealed it, byte for byte: the cloud never opens it.
    expect(stored?.template.length).toBe(SEALED_BYTES);
    expect(stored?.template.equals(local.template)).toBe(true);
    const [templateKey] = await cloudQuery<{ key_id: string }>("select key_id from gym_keys where gym_id = $1 and kind = 'template'", [gym.gymId]);
    expect(stored?.key_id).toBe(templateKey?.key_id);
  });

  it('is loaded into desk B’s reader, where the member’s finger checks in', async () => {
    await expect.poll(listAtB).toEqual([expect.objectContaining({ id: fingerprintId, onReader: true })]);
    expect(await modulePages(b)).toBe(1);

    const checkin = await press(b);
    expect(checkin).toMatchObject({ memberId, method: 'finger', verdict: 'allow' });
  });

  it('removed at desk A, leaves desk B’s reader: the finger is then unknown there', async () => {
    await a.core.call('fingerprints/remove', { memberId, fingerprintId });
    await settled(a);
    await expect.poll(listAtB).toEqual([]);
    await expect.poll(() => modulePages(b)).toBe(0);
    expect(b.read((file) => file.prepare('select count(*) as n from finger_pages').get())).toEqual({ n: 0 });

    const checkin = await press(b);
    expect(checkin).toMatchObject({ memberId: null, method: 'finger', verdict: 'deny', reason: 'UNKNOWN_CREDENTIAL' });
  });

  it('erased through the cloud, leaves both readers', async () => {
    const finger = await enroll(a);
    await settled(a);
    await expect.poll(listAtB).toEqual([expect.objectContaining({ id: finger.id, onReader: true })]);
    expect(await modulePages(b)).toBe(1);

    await api(cloud.url, 'POST', `/api/v1/members/${memberId}/erase`, { token: gym.ownerToken });
    await expect.poll(() => modulePages(b)).toBe(0);
    await expect.poll(() => modulePages(a)).toBe(0);
    for (const desk of [a, b]) {
      expect(desk.read((file) => file.prepare('select template from member_credentials where id = ?').get(finger.id))).toEqual({ template: null });
    }

    const checkin = await press(b);
    expect(checkin).toMatchObject({ memberId: null, verdict: 'deny', reason: 'UNKNOWN_CREDENTIAL' });
  });
});
