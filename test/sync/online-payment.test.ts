/**
 * Gyms live on renewals (issue 6): a member whose membership has run out pays a payment link online;
 * Razorpay's signed webhook renews the membership in the cloud, and the desk, syncing, lets the member
 * in seconds later and can reprint the online invoice.
 */
import { createHmac } from 'node:crypto';
import { addDays, localDateAt } from '@gymstack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRazorpay, startFakeRazorpay } from '../../cloud/test/fake-razorpay.js';
import { type CloudProcess, createCloudDatabase, startCloudProcess } from './cloud-process.js';
import { type SyncDesk, eventually, loginOwner, pairDesk, settled } from './desk.js';
import { type OnboardedGym, api, createPlan, onboardGym, pairingCode } from './gym.js';

const KEYS = { keyId: 'rzp_test_SyncDesk01', keySecret: 'sync-key-secret' };
const WEBHOOK_SECRET = 'sync-webhook-secret';
const PRICE = 150_000;

let database: Awaited<ReturnType<typeof createCloudDatabase>>;
let razorpay: FakeRazorpay;
let cloud: CloudProcess;
let gym: OnboardedGym;
let desk: SyncDesk;
let planId: string;

beforeAll(async () => {
  database = await createCloudDatabase();
  razorpay = await startFakeRazorpay(KEYS);
  cloud = await startCloudProcess({ databaseUrl: database.url, env: { LOG_LEVEL: 'warn', RAZORPAY_API_URL: razorpay.url } });
  gym = await onboardGym(cloud.url, 'Renewals');
  planId = (await createPlan(cloud.url, gym.ownerToken, { pricePaise: PRICE })).id;
  await api(cloud.url, 'PUT', '/api/v1/payments/razorpay-account', { token: gym.ownerToken, body: { ...KEYS, webhookSecret: WEBHOOK_SECRET } });
  desk = await pairDesk(cloud, await pairingCode(cloud.url, gym.ownerToken, gym.branchId), 'Front desk');
  await loginOwner(desk);
});

afterAll(async () => {
  await desk?.close();
  await cloud?.stop();
  await razorpay?.close();
  await database?.db.drop();
});

describe('an online renewal reaching the desk', () => {
  it('turns a lapsed member away, then lets them in once their payment link is paid', async () => {
    const today = localDateAt(new Date(), 'Asia/Kolkata');
    const member = await desk.core.call('members/create', { fullName: 'Lapsed Lalit', phone: '+919876512399' });
    // Sold two months ago at the desk: over by now.
    await desk.core.call('memberships/sell', { memberId: member.id, planId, start: addDays(today, -65), payment: { method: 'cash', amountPaise: PRICE } });
    expect((await desk.core.call('checkins/create', { method: 'manual', memberId: member.id })).checkin).toMatchObject({ verdict: 'deny', reason: 'EXPIRED' });
    await settled(desk);

    // The owner sends a payment link; the member pays it by UPI; Razorpay calls the webhook.
    const link = await api<{ id: string; razorpayId: string }>(cloud.url, 'POST', `/api/v1/members/${member.id}/payment-links`, { token: gym.ownerToken, body: { planId } });
    expect(razorpay.requests.map((r) => r.path)).toContain('/v1/payment_links');
    const orderId = `order_SyncRenewal${Date.now().toString(36)}`;
    const paymentId = `pay_SyncRenewal${Date.now().toString(36)}`;
    const body = JSON.stringify({
      entity: 'event',
      event: 'payment_link.paid',
      contains: ['payment_link', 'order', 'payment'],
      payload: {
        payment_link: { entity: { id: link.razorpayId, amount: PRICE, currency: 'INR', status: 'paid' } },
        order: { entity: { id: orderId, amount: PRICE, currency: 'INR' } },
        payment: { entity: { id: paymentId, entity: 'payment', amount: PRICE, currency: 'INR', status: 'captured', order_id: orderId, method: 'upi', captured: true, created_at: Math.floor(Date.now() / 1000) } },
      },
      created_at: Math.floor(Date.now() / 1000),
    });
    const response = await fetch(`${cloud.url}/api/v1/payments/webhook/${gym.gymId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-razorpay-event-id': 'evt_SyncRenewal', 'x-razorpay-signature': createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex') },
      body,
    });
    expect(response.status).toBe(200);

    // Seconds later the desk has the new term and the online payment, and lets the member in.
    await eventually(async () => (await desk.core.call('members/get', { memberId: member.id })).status.state === 'active', 30_000, 'the renewal at the desk');
    const profile = await desk.core.call('members/get', { memberId: member.id });
    expect(profile.payments.map((p) => [p.method, p.amountPaise, p.reference])).toContainEqual(['razorpay', PRICE, paymentId]);
    expect((await desk.core.call('checkins/create', { method: 'manual', memberId: member.id })).checkin).toMatchObject({ verdict: 'allow' });

    // Its invoice, from the cloud's series, reprints at the desk.
    const online = profile.payments.find((p) => p.method === 'razorpay');
    if (!online) throw new Error('The online payment did not reach the desk');
    const receipt = await desk.core.call('receipts/html', { invoiceId: online.invoiceId });
    expect(receipt.number).toMatch(/^WEB\//);
    expect(receipt.html).toContain('Online (Razorpay)');
  });
});
