import { createHmac } from 'node:crypto';
import { localDateAt, renewalStart, termEnd } from '@gymstack/shared';
import type { LightMyRequestResponse } from 'fastify';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import Razorpay from 'razorpay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/schema.js';
import { withTenant } from '../src/db/tenant.js';
import { RazorpayWebhooks } from '../src/domain/razorpay-webhook.js';
import type { CloudApp } from '../src/http/app-types.js';
import { digest } from './api-routes.js';
import { testKeyEncryptionKey } from './auth-support.js';
import type { FakeRazorpay } from './fake-razorpay.js';
import { fixtureRazorpayKeys, fixtureWebhookSecret } from './fixtures.js';
import { type Gym, call, createWorld, type World } from './world.js';

const account = { ...fixtureRazorpayKeys, webhookSecret: fixtureWebhookSecret('alpha') };
const PLAN_PRICE = 150_000;

let serial = 0;
const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(serial++).toString(36).padStart(4, '0')}`;

/** A Razorpay event envelope as its webhooks send it. */
const event = (type: string, payload: Record<string, unknown>) => ({
  entity: 'event',
  account_id: 'acc_TestAccount01',
  event: type,
  contains: Object.keys(payload),
  payload,
  created_at: Math.floor(Date.now() / 1000),
});

const paymentEntity = (p: { id: string; orderId: string | null; amount: number; currency?: string; status?: string }) => ({
  entity: {
    id: p.id,
    entity: 'payment',
    amount: p.amount,
    currency: p.currency ?? 'INR',
    status: p.status ?? 'captured',
    order_id: p.orderId,
    method: 'upi',
    email: 'payer@example.com',
    contact: '+919800000002',
    captured: true,
    notes: [],
    created_at: Math.floor(Date.now() / 1000),
  },
});

/** The body and `X-Razorpay-Signature` exactly as Razorpay makes them, checked against the SDK's own verifier. */
function signed(body: unknown, secret: string): { raw: string; signature: string } {
  const raw = JSON.stringify(body);
  const signature = createHmac('sha256', secret).update(raw).digest('hex');
  expect(Razorpay.validateWebhookSignature(raw, signature, secret)).toBe(true);
  return { raw, signature };
}

function deliver(app: CloudApp, gymId: string, eventId: string, raw: string, signature: string | null): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/api/v1/payments/webhook/${gymId}`,
    headers: { 'content-type': 'application/json', 'x-razorpay-event-id': eventId, ...(signature === null ? {} : { 'x-razorpay-signature': signature }) },
    payload: raw,
  });
}

describe('Razorpay: orders, payment links, webhook, refunds', () => {
  let w: World;
  let app: CloudApp;
  let fake: FakeRazorpay;
  let a: Gym;

  const send = (body: unknown, eventId = nextId('evt')) => {
    const { raw, signature } = signed(body, account.webhookSecret);
    return deliver(app, a.gymId, eventId, raw, signature);
  };
  const inGym = <T>(gym: Gym, fn: (trx: Transaction<Database>) => Promise<T>) => withTenant(w.t.owner, gym.seed.scope, fn);
  const createOrder = async (gym: Gym, memberId = gym.ids.member) => {
    const res = await call(app, gym.tokens.owner, { method: 'POST', url: '/payments/orders', body: { memberId, planId: gym.ids.plan } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as { id: string; razorpayId: string | null; status: string; amountPaise: number; keyId: string | null };
  };
  const paymentsWithReference = (reference: string) =>
    inGym(a, (trx) => trx.selectFrom('payments').innerJoin('invoices', 'invoices.id', 'payments.invoice_id').select(['payments.id', 'invoices.number']).where('payments.reference', '=', reference).execute());
  const membershipCount = () =>
    inGym(a, async (trx) => Number((await trx.selectFrom('memberships').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n));

  beforeAll(async () => {
    w = await createWorld();
    ({ app, razorpay: fake } = w);
    a = w.gyms.a;
  });
  afterAll(() => w?.close());

  it('keeps the secrets sealed at rest and lets only the owner set them', async () => {
    const res = await call(app, a.tokens.owner, { method: 'PUT', url: '/payments/razorpay-account', body: account });
    expect(res.statusCode, res.body).toBe(200);
    const row = await inGym(a, (trx) => trx.selectFrom('razorpay_accounts').selectAll().executeTakeFirstOrThrow());
    expect(row.key_id).toBe(account.keyId);
    expect(row.key_secret_sealed.toString('latin1')).not.toContain(account.keySecret);
    expect(row.webhook_secret_sealed.toString('latin1')).not.toContain(account.webhookSecret);
    const manager = await call(app, a.tokens.manager, { method: 'PUT', url: '/payments/razorpay-account', body: account });
    expect(manager.statusCode).toBe(403);
  });

  it('creates an order through the SDK with Basic auth and the documented body', async () => {
    const before = fake.requests.length;
    const order = await createOrder(a);
    expect(order).toMatchObject({ status: 'created', amountPaise: PLAN_PRICE, keyId: account.keyId });
    expect(order.razorpayId).toMatch(/^order_/);
    expect(fake.requests.slice(before)).toEqual([
      { method: 'POST', path: '/v1/orders', body: { amount: PLAN_PRICE, currency: 'INR', receipt: order.id, notes: { gym_id: a.gymId, gymstack_order_id: order.id }, partial_payment: false } },
    ]);
  });

  it('stores nothing when Razorpay refuses the order', async () => {
    fake.refuseNext('The api key provided is invalid');
    const before = await digest(w.t.owner, a.seed.scope);
    const res = await call(app, a.tokens.owner, { method: 'POST', url: '/payments/orders', body: { memberId: a.ids.member, planId: a.ids.plan } });
    expect(res.statusCode).toBe(502);
    expect(res.json().error.code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(await digest(w.t.owner, a.seed.scope)).toEqual(before);
  });

  it('simulates the order of a gym without a Razorpay account, sending nothing', async () => {
    const c = w.gyms.b;
    await withTenant(w.t.owner, c.seed.scope, (trx) => trx.deleteFrom('razorpay_accounts').execute());
    const before = fake.requests.length;
    const order = await createOrder(c);
    expect(order).toMatchObject({ status: 'simulated', razorpayId: null, keyId: null });
    expect(fake.requests.length).toBe(before);
  });

  it('refuses a bad, foreign or missing signature with 400 and writes nothing', async () => {
    const order = await createOrder(a);
    const body = event('payment.captured', { payment: paymentEntity({ id: nextId('pay'), orderId: order.razorpayId, amount: PLAN_PRICE }) });
    const { raw, signature } = signed(body, account.webhookSecret);
    const foreign = signed(body, 'some-other-secret').signature;
    const before = await digest(w.t.owner, a.seed.scope);
    const tampered = raw.replace(`"amount":${PLAN_PRICE}`, '"amount":1');
    for (const [text, sig] of [
      [raw, null],
      [raw, foreign],
      [raw, signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'))],
      [tampered, signature],
    ] as const) {
      const res = await deliver(app, a.gymId, nextId('evt'), text, sig);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('INVALID_SIGNATURE');
    }
    // The right signature, sent to another gym's URL, is checked with that gym's secret.
    expect((await deliver(app, w.gyms.b.gymId, nextId('evt'), raw, signature)).statusCode).toBe(400);
    expect(await digest(w.t.owner, a.seed.scope)).toEqual(before);
  });

  it('applies the same event sent ten times at once exactly once: one payment, one invoice, one new membership', async () => {
    const order = await createOrder(a);
    const paymentId = nextId('pay');
    const body = event('payment.captured', { payment: paymentEntity({ id: paymentId, orderId: order.razorpayId, amount: PLAN_PRICE }) });
    const { raw, signature } = signed(body, account.webhookSecret);
    const eventId = nextId('evt');
    const memberships = await membershipCount();
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(app, a.gymId, eventId, raw, signature)));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(answers.map((r) => r.json().data.outcome).sort()).toEqual(['applied', ...Array(9).fill('duplicate')]);
    const recorded = await paymentsWithReference(paymentId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.number).toMatch(/^WEB\/\d{4}\/\d{5}$/);
    expect(await membershipCount()).toBe(memberships + 1);

    // order.paid carries the same payment under another event id: acknowledged, nothing added.
    const paid = event('order.paid', { payment: paymentEntity({ id: paymentId, orderId: order.razorpayId, amount: PLAN_PRICE }), order: { entity: { id: order.razorpayId, amount: PLAN_PRICE, currency: 'INR' } } });
    expect((await send(paid)).json().data.outcome).toBe('applied');
    expect(await paymentsWithReference(paymentId)).toHaveLength(1);
    expect(await membershipCount()).toBe(memberships + 1);

    const kept = await inGym(a, (trx) => trx.selectFrom('razorpay_webhook_events').select(['outcome', 'payload']).where('event_id', '=', eventId).executeTakeFirstOrThrow());
    expect(kept.outcome).toBe('applied');
    expect(JSON.stringify(kept.payload)).toContain(paymentId);
    expect(JSON.stringify(kept.payload)).not.toMatch(/payer@example\.com|\+919800000002/);

    const stored = await inGym(a, (trx) => trx.selectFrom('razorpay_orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow());
    expect(stored.status).toBe('paid');
    expect(stored.payment_id).toBe(recorded[0]?.id);
    const receipts = await inGym(a, (trx) => trx.selectFrom('notifications').select(['template', 'ref']).where('template', '=', 'payment_receipt').where('ref', '=', stored.payment_id as string).execute());
    expect(receipts).toHaveLength(1);
  });

  it('applies an event raced through two processes exactly once: the unique key on the event decides', async () => {
    const order = await createOrder(a);
    const paymentId = nextId('pay');
    const { raw, signature } = signed(event('payment.captured', { payment: paymentEntity({ id: paymentId, orderId: order.razorpayId, amount: PLAN_PRICE }) }), account.webhookSecret);
    const eventId = nextId('evt');
    // Each instance is one cloud process's memory of secrets and settled events.
    // Each notes the gyms an event changed, for the change log's retention.
    const wrote: string[] = [];
    const processes = [0, 1].map(() => new RazorpayWebhooks(w.t.api, testKeyEncryptionKey, (scope) => wrote.push(scope.gymId)));
    const delivery = { gymId: a.gymId, signature, eventId, rawBody: Buffer.from(raw), ip: '127.0.0.1' };
    const outcomes = await Promise.all(processes.flatMap((p) => Array.from({ length: 5 }, () => p.receive(delivery))));
    expect(outcomes.sort()).toEqual(['applied', ...Array(9).fill('duplicate')]);
    expect(await paymentsWithReference(paymentId)).toHaveLength(1);
    expect(wrote).toEqual([a.gymId]);
  });

  it('answers the replay of an event it settled without the database, and a rotated secret at once', async () => {
    let statements = 0;
    const counted = new Kysely<Database>({ dialect: new PostgresDialect({ pool: w.t.apiPool }), log: () => void statements++ });
    const webhooks = new RazorpayWebhooks(counted, testKeyEncryptionKey);
    const newDelivery = async () => {
      const order = await createOrder(a);
      const { raw, signature } = signed(event('payment.captured', { payment: paymentEntity({ id: nextId('pay'), orderId: order.razorpayId, amount: PLAN_PRICE }) }), account.webhookSecret);
      return { gymId: a.gymId, signature, eventId: nextId('evt'), rawBody: Buffer.from(raw), ip: '127.0.0.1' };
    };
    const delivery = await newDelivery();
    expect(await webhooks.receive(delivery)).toBe('applied');
    statements = 0;
    for (let i = 0; i < 3; i++) expect(await webhooks.receive(delivery)).toBe('duplicate');
    expect(statements).toBe(0);
    // Copies arriving while the first is being applied wait for it: the database sees one application.
    expect(await webhooks.receive(await newDelivery())).toBe('applied');
    const oneApplication = statements;
    expect(oneApplication).toBeGreaterThan(10);
    statements = 0;
    const racing = await newDelivery();
    expect((await Promise.all(Array.from({ length: 5 }, () => webhooks.receive(racing)))).sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(statements).toBe(oneApplication);
    // Settled is about the event, not the body: a forged body under a settled id still needs the signature.
    await expect(webhooks.receive({ ...delivery, signature: signed({ forged: true }, 'not-the-secret').signature })).rejects.toMatchObject({ code: 'INVALID_SIGNATURE' });

    // The owner replaces the webhook secret: the app's process stops taking the old one at once.
    const rotated = { ...account, webhookSecret: fixtureWebhookSecret('alpha-rotated') };
    expect((await call(app, a.tokens.owner, { method: 'PUT', url: '/payments/razorpay-account', body: rotated })).statusCode).toBe(200);
    try {
      const late = await createOrder(a);
      const body = event('payment.captured', { payment: paymentEntity({ id: nextId('pay'), orderId: late.razorpayId, amount: PLAN_PRICE }) });
      const old = signed(body, account.webhookSecret);
      expect((await deliver(app, a.gymId, nextId('evt'), old.raw, old.signature)).statusCode).toBe(400);
      const fresh = signed(body, rotated.webhookSecret);
      expect((await deliver(app, a.gymId, nextId('evt'), fresh.raw, fresh.signature)).json().data.outcome).toBe('applied');
      // A process that still holds the old secret reads the new one when a delivery fails it (the payment
      // is the one just applied, so this other event for it adds nothing).
      expect(await webhooks.receive({ ...delivery, eventId: nextId('evt'), signature: fresh.signature, rawBody: Buffer.from(fresh.raw) })).toBe('applied');
      expect(await paymentsWithReference(JSON.parse(fresh.raw).payload.payment.entity.id)).toHaveLength(1);
    } finally {
      expect((await call(app, a.tokens.owner, { method: 'PUT', url: '/payments/razorpay-account', body: account })).statusCode).toBe(200);
    }
  });

  it('sells the term as quoted, whatever the plan became, and renews a member who has a live term', async () => {
    const owner = (method: 'POST' | 'PUT', url: string, body: object = {}) => call(app, a.tokens.owner, { method, url, body });
    const quarterly = { name: 'Quoted Quarterly', duration: { unit: 'months', count: 3 }, pricePaise: 400_000, taxInclusive: true, gstRateBps: 1800, sac: '999723', access: { allowedBranchIds: null, hours: null }, maxFreezeDays: 14, ptSessions: 0 };
    const plan = (await owner('POST', '/plans', quarterly)).json().data.id as string;
    const newcomer = (await owner('POST', '/members', { fullName: 'Online Newcomer', phone: '+919812300001' })).json().data.id as string;
    const orderFor = async (memberId: string) => (await owner('POST', '/payments/orders', { memberId, planId: plan })).json().data as { razorpayId: string; sale: string };
    const first = await orderFor(newcomer);
    const next = await orderFor(a.ids.member);
    expect([first.sale, next.sale]).toEqual(['sell', 'renew']);

    // The gym reprices, shortens and then archives the plan before either member pays.
    expect((await owner('PUT', `/plans/${plan}`, { pricePaise: 500_000, duration: { unit: 'months', count: 1 } })).statusCode).toBe(200);
    expect((await owner('POST', `/plans/${plan}/archive`)).statusCode).toBeLessThan(300);
    const liveEnd = await inGym(a, (trx) => trx.selectFrom('memberships').select((eb) => eb.fn.max('end_date').as('end')).where('member_id', '=', a.ids.member).where('cancelled_at', 'is', null).executeTakeFirstOrThrow());

    for (const order of [first, next]) {
      const payment = paymentEntity({ id: nextId('pay'), orderId: order.razorpayId, amount: 400_000 });
      expect((await send(event('payment.captured', { payment }))).json().data.outcome).toBe('applied');
    }
    const sold = await inGym(a, (trx) => trx.selectFrom('memberships').select(['member_id', 'start_date', 'end_date', 'price_paise']).where('plan_id', '=', plan).execute());
    const today = localDateAt(new Date(), 'Asia/Kolkata');
    const byMember = Object.fromEntries(sold.map((m) => [m.member_id, m]));
    expect(byMember[newcomer]).toMatchObject({ start_date: today, end_date: termEnd(today, { unit: 'months', count: 3 }), price_paise: 400_000 });
    const renewedFrom = renewalStart(liveEnd.end as string, today);
    expect(byMember[a.ids.member]).toMatchObject({ start_date: renewedFrom, end_date: termEnd(renewedFrom, { unit: 'months', count: 3 }), price_paise: 400_000 });
  });

  it('renews through a payment link whose payment.captured arrives before its order is known', async () => {
    const before = fake.requests.length;
    const res = await call(app, a.tokens.frontdesk, { method: 'POST', url: `/members/${a.ids.member}/payment-links`, body: { planId: a.ids.plan } });
    expect(res.statusCode, res.body).toBe(201);
    const link = res.json().data as { id: string; razorpayId: string; shortUrl: string; sale: string };
    expect(link.sale).toBe('renew');
    expect(fake.requests.slice(before)).toEqual([
      {
        method: 'POST',
        path: '/v1/payment_links',
        body: expect.objectContaining({ amount: PLAN_PRICE, currency: 'INR', reference_id: link.id, customer: { name: 'alpha Member', contact: '+919800000002' }, notes: { gym_id: a.gymId, gymstack_order_id: link.id } }),
      },
    ]);
    const whatsapp = await inGym(a, (trx) => trx.selectFrom('notifications').select(['template', 'data']).where('ref', '=', link.id).executeTakeFirstOrThrow());
    expect(whatsapp).toMatchObject({ template: 'payment_link', data: { name: 'alpha Member', plan: 'Monthly', pay_link: link.shortUrl } });

    // The order Razorpay makes behind a link is first heard of in payment.captured: nothing to apply yet.
    const latestEnd = await inGym(a, (trx) => trx.selectFrom('memberships').select((eb) => eb.fn.max('end_date').as('end')).where('member_id', '=', a.ids.member).where('cancelled_at', 'is', null).executeTakeFirstOrThrow());
    const linkOrderId = nextId('order');
    const paymentId = nextId('pay');
    const payment = paymentEntity({ id: paymentId, orderId: linkOrderId, amount: PLAN_PRICE });
    expect((await send(event('payment.captured', { payment }))).json().data.outcome).toBe('unmatched');
    expect(await paymentsWithReference(paymentId)).toHaveLength(0);

    const paid = event('payment_link.paid', {
      payment_link: { entity: { id: link.razorpayId, amount: PLAN_PRICE, currency: 'INR', status: 'paid' } },
      order: { entity: { id: linkOrderId, amount: PLAN_PRICE, currency: 'INR' } },
      payment,
    });
    expect((await send(paid)).json().data.outcome).toBe('applied');
    expect((await send(event('payment.captured', { payment }))).json().data.outcome).toBe('applied');
    expect(await paymentsWithReference(paymentId)).toHaveLength(1);
    const renewed = await inGym(a, (trx) =>
      trx.selectFrom('razorpay_orders').innerJoin('memberships', 'memberships.id', 'razorpay_orders.membership_id').select(['memberships.start_date']).where('razorpay_orders.id', '=', link.id).executeTakeFirstOrThrow(),
    );
    expect(renewed.start_date).toBe(renewalStart(latestEnd.end as string, localDateAt(new Date(), 'Asia/Kolkata')));
  });

  it('rejects a mismatched amount or currency, stores it for review and never extends a membership', async () => {
    const order = await createOrder(a);
    const memberships = await membershipCount();
    const short = nextId('pay');
    const dollars = nextId('pay');
    expect((await send(event('payment.captured', { payment: paymentEntity({ id: short, orderId: order.razorpayId, amount: PLAN_PRICE - 1 }) }))).json().data.outcome).toBe('review');
    expect((await send(event('payment.captured', { payment: paymentEntity({ id: dollars, orderId: order.razorpayId, amount: PLAN_PRICE, currency: 'USD' }) }))).json().data.outcome).toBe('review');
    // order.paid whose payment names another order than the event's.
    const stray = nextId('pay');
    const strayPaid = event('order.paid', { payment: paymentEntity({ id: stray, orderId: nextId('order'), amount: PLAN_PRICE }), order: { entity: { id: order.razorpayId, amount: PLAN_PRICE, currency: 'INR' } } });
    expect((await send(strayPaid)).json().data.outcome).toBe('review');
    for (const id of [short, dollars, stray]) expect(await paymentsWithReference(id)).toHaveLength(0);
    expect(await membershipCount()).toBe(memberships);

    const reviews = await call(app, a.tokens.owner, { method: 'GET', url: '/payment-reviews' });
    expect(reviews.statusCode).toBe(200);
    const found = (reviews.json().data as { razorpayPaymentId: string; reason: string; orderId: string | null }[]).filter((r) => [short, dollars, stray].includes(r.razorpayPaymentId));
    expect(found.map((r) => [r.razorpayPaymentId, r.reason, r.orderId]).sort()).toEqual(
      [
        [short, 'amount_mismatch', order.id],
        [dollars, 'currency_mismatch', order.id],
        [stray, 'order_mismatch', null],
      ].sort(),
    );
    const open = await inGym(a, (trx) => trx.selectFrom('razorpay_orders').select('status').where('id', '=', order.id).executeTakeFirstOrThrow());
    expect(open.status).toBe('created');
    expect((await call(app, a.tokens.frontdesk, { method: 'GET', url: '/payment-reviews' })).statusCode).toBe(403);
  });

  it('numbers invoices gap-free and uniquely under 50 concurrent payments', async () => {
    const orders = [];
    for (let i = 0; i < 50; i += 1) orders.push(await createOrder(a));
    const answers = await Promise.all(
      orders.map((order) => send(event('payment.captured', { payment: paymentEntity({ id: nextId('pay'), orderId: order.razorpayId, amount: PLAN_PRICE }) }))),
    );
    expect(answers.map((r) => r.json().data.outcome)).toEqual(Array(50).fill('applied'));
    const { numbers, lastSeq } = await inGym(a, async (trx) => ({
      numbers: (await trx.selectFrom('invoices').select('number').where('number', 'like', 'WEB/%').execute()).map((r) => r.number),
      lastSeq: (await trx.selectFrom('invoice_series').select('last_seq').where('prefix', '=', 'WEB').executeTakeFirstOrThrow()).last_seq,
    }));
    const seqs = numbers.map((n) => Number(n.split('/')[2])).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(seqs.length).toBeGreaterThanOrEqual(50);
  });

  describe('refunds', () => {
    type Paid = { id: string; reference: string; invoiceId: string };
    let payment: Paid;

    /** A Razorpay payment of a fresh order, applied by its webhook. */
    async function capturedPayment(): Promise<Paid> {
      const order = await createOrder(a);
      const reference = nextId('pay');
      await send(event('payment.captured', { payment: paymentEntity({ id: reference, orderId: order.razorpayId, amount: PLAN_PRICE }) }));
      const row = await inGym(a, (trx) => trx.selectFrom('payments').select(['id', 'invoice_id']).where('reference', '=', reference).executeTakeFirstOrThrow());
      return { id: row.id, reference, invoiceId: row.invoice_id };
    }

    beforeAll(async () => {
      payment = await capturedPayment();
    });
    const refund = (token: string, body: object, of: Paid = payment) => call(app, token, { method: 'POST', url: `/payments/${of.id}/refunds`, body });
    const refundsOf = (of: Paid) => inGym(a, (trx) => trx.selectFrom('refunds').selectAll().where('payment_id', '=', of.id).orderBy('created_at').execute());
    const creditNotesOf = (of: Paid) => inGym(a, (trx) => trx.selectFrom('credit_notes').select('number').where('invoice_id', '=', of.invoiceId).execute());
    const processed = (of: Paid, id: string, amount: number, ours?: string) =>
      event('refund.processed', { refund: { entity: { id, entity: 'refund', payment_id: of.reference, amount, currency: 'INR', status: 'processed', notes: ours ? { gym_id: a.gymId, gymstack_refund_id: ours } : [] } } });

    it('are the owner’s alone', async () => {
      for (const role of ['manager', 'frontdesk', 'desk', 'member'] as const) expect((await refund(a.tokens[role], { amountPaise: 100 })).statusCode, role).toBe(403);
    });

    it('refund in part, never beyond what is left, each with a credit note against the invoice once processed', async () => {
      const before = fake.requests.length;
      const first = await refund(a.tokens.owner, { amountPaise: 50_000, reason: 'Moved city' });
      expect(first.statusCode, first.body).toBe(201);
      const made = first.json().data;
      // Razorpay answers pending: the money has not gone back yet, so there is no credit note yet.
      expect(made).toMatchObject({ amountPaise: 50_000, status: 'pending', creditNote: null });
      expect(fake.requests.slice(before)).toEqual([
        { method: 'POST', path: `/v1/payments/${payment.reference}/refund`, body: { amount: 50_000, receipt: made.id, notes: { gym_id: a.gymId, gymstack_refund_id: made.id } } },
      ]);

      const tooMuch = await refund(a.tokens.owner, { amountPaise: PLAN_PRICE });
      expect(tooMuch.statusCode).toBe(422);
      expect(tooMuch.json().error.code).toBe('REFUND_EXCEEDS_PAYMENT');
      const rest = await refund(a.tokens.owner, {});
      expect(rest.statusCode, rest.body).toBe(201);
      expect(rest.json().data).toMatchObject({ amountPaise: PLAN_PRICE - 50_000, status: 'pending', creditNote: null });
      expect((await refund(a.tokens.owner, { amountPaise: 1 })).json().error.code).toBe('REFUND_EXCEEDS_PAYMENT');
      expect(await creditNotesOf(payment)).toHaveLength(0);

      for (const [view, amount] of [[made, 50_000], [rest.json().data, PLAN_PRICE - 50_000]] as const) {
        expect((await send(processed(payment, view.razorpayRefundId, amount))).json().data.outcome).toBe('applied');
        // A second copy of the event (another event id) finds it processed and issues nothing more.
        expect((await send(processed(payment, view.razorpayRefundId, amount))).json().data.outcome).toBe('applied');
      }
      const notes = await inGym(a, (trx) => trx.selectFrom('credit_notes').selectAll().where('invoice_id', '=', payment.invoiceId).orderBy('number').execute());
      expect(notes.map((n) => n.total_paise)).toEqual([50_000, PLAN_PRICE - 50_000]);
      for (const n of notes) expect(n.taxable_paise + n.cgst_paise + n.sgst_paise + n.igst_paise).toBe(n.total_paise);
      expect(notes[0]?.number).toMatch(/^WCN\/\d{4}\/\d{5}$/);
      const seq = (number: string | undefined) => Number(number?.split('/')[2]);
      expect(seq(notes[1]?.number)).toBe(seq(notes[0]?.number) + 1);
      expect((await refundsOf(payment)).map((r) => r.status)).toEqual(['processed', 'processed']);
    });

    it('refuses an offline payment: that money goes back over the counter', async () => {
      const cash = await inGym(a, (trx) => trx.selectFrom('payments').select('id').where('method', '=', 'cash').executeTakeFirstOrThrow());
      const res = await call(app, a.tokens.owner, { method: 'POST', url: `/payments/${cash.id}/refunds`, body: { amountPaise: 100 } });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('NOT_REFUNDABLE');
    });

    it('refund.processed records a refund made in Razorpay’s dashboard, with its credit note, once', async () => {
      const count = async () => (await creditNotesOf(payment)).length;
      const notes = await count();
      const elsewhere = nextId('rfnd');
      const eventId = nextId('evt');
      expect((await send(processed(payment, elsewhere, 100), eventId)).json().data.outcome).toBe('applied');
      expect((await send(processed(payment, elsewhere, 100), eventId)).json().data.outcome).toBe('duplicate');
      expect((await send(processed(payment, elsewhere, 100))).json().data.outcome).toBe('applied');
      expect(await count()).toBe(notes + 1);
      expect((await refundsOf(payment)).filter((r) => r.razorpay_refund_id === elsewhere).map((r) => [r.status, r.amount_paise, r.staff_id])).toEqual([['processed', 100, null]]);
    });

    it('lists refunds with their state and credit notes, in the caller’s scope', async () => {
      const list = (token: string, query: string) => call(app, token, { method: 'GET', url: `/refunds?${query}` });
      const mine = await list(a.tokens.owner, `paymentId=${payment.id}&status=processed`);
      expect(mine.statusCode, mine.body).toBe(200);
      const items = mine.json().data as { amountPaise: number; status: string; memberId: string; creditNote: { invoiceId: string; totalPaise: number } | null }[];
      expect(items.length).toBeGreaterThanOrEqual(2);
      for (const item of items) expect(item).toMatchObject({ status: 'processed', memberId: a.ids.member, creditNote: { invoiceId: payment.invoiceId, totalPaise: item.amountPaise } });
      expect(mine.json().meta.total).toBe(items.length);
      // The member the payment was for sees them; filtered by another member, none show.
      expect((await list(a.tokens.member, `paymentId=${payment.id}`)).json().meta.total).toBeGreaterThanOrEqual(2);
      const stranger = (await call(app, a.tokens.owner, { method: 'POST', url: '/members', body: { fullName: 'Refund Stranger', phone: '+919812300002' } })).json().data.id as string;
      expect((await list(a.tokens.owner, `memberId=${stranger}`)).json().data).toEqual([]);
      expect((await list(a.tokens.owner, 'status=refunded')).statusCode).toBe(400);
    });

    it('refund.failed: a pending refund Razorpay could not pay out is kept failed, frees its amount and never gets a credit note', async () => {
      const paid = await capturedPayment();
      const made = (await refund(a.tokens.owner, { amountPaise: 90_000 }, paid)).json().data;
      expect(made.status).toBe('pending');
      const failed = event('refund.failed', { refund: { entity: { id: made.razorpayRefundId, entity: 'refund', payment_id: paid.reference, amount: 90_000, currency: 'INR', status: 'failed', notes: { gym_id: a.gymId, gymstack_refund_id: made.id } } } });
      expect((await send(failed)).json().data.outcome).toBe('applied');
      expect((await refundsOf(paid)).map((r) => [r.status, r.error])).toEqual([['failed', 'Razorpay could not pay the refund out']]);
      expect(await creditNotesOf(paid)).toHaveLength(0);
      const again = await refund(a.tokens.owner, {}, paid);
      expect([again.statusCode, again.json().data?.amountPaise]).toEqual([201, PLAN_PRICE]);
    });

    it('asks Razorpay outside any transaction: while it answers, the request already holds its amount', async () => {
      const paid = await capturedPayment();
      const held = fake.holdNext();
      const first = refund(a.tokens.owner, { amountPaise: 100_000 }, paid);
      await held.arrived;
      // Asked but not answered: stored as requested, and counted, without a lock on the payment's refunds.
      expect((await refundsOf(paid)).map((r) => [r.status, r.amount_paise, r.razorpay_refund_id])).toEqual([['requested', 100_000, null]]);
      const second = await refund(a.tokens.owner, { amountPaise: 60_000 }, paid);
      expect([second.statusCode, second.json().error.code]).toEqual([422, 'REFUND_EXCEEDS_PAYMENT']);
      expect(second.json().error.message).toContain('500.00');
      held.release();
      const made = await first;
      expect(made.statusCode, made.body).toBe(201);
      expect((await refundsOf(paid)).map((r) => r.status)).toEqual(['pending']);
      expect(await creditNotesOf(paid)).toHaveLength(0);
    });

    it('a refund Razorpay refuses is kept as failed with its reason, and frees the amount', async () => {
      const paid = await capturedPayment();
      fake.refuseNext('The payment cannot be refunded yet');
      const refused = await refund(a.tokens.owner, {}, paid);
      expect([refused.statusCode, refused.json().error.code]).toEqual([502, 'PAYMENT_PROVIDER_FAILED']);
      expect((await refundsOf(paid)).map((r) => [r.status, r.error])).toEqual([['failed', 'Razorpay did not refund the payment: The payment cannot be refunded yet']]);
      expect(await creditNotesOf(paid)).toHaveLength(0);
      const again = await refund(a.tokens.owner, {}, paid);
      expect([again.statusCode, again.json().data?.amountPaise]).toEqual([201, PLAN_PRICE]);
    });

    it('with no answer the refund stays requested, holding its amount, until refund.processed names it in its notes', async () => {
      const paid = await capturedPayment();
      const before = fake.requests.length;
      fake.breakNext();
      const lost = await refund(a.tokens.owner, { amountPaise: 40_000 }, paid);
      expect([lost.statusCode, lost.json().error.code]).toEqual([502, 'PAYMENT_PROVIDER_FAILED']);
      const [asked] = await refundsOf(paid);
      expect([asked?.status, asked?.razorpay_refund_id]).toEqual(['requested', null]);
      expect(fake.requests.slice(before).map((r) => r.body.receipt)).toEqual([asked?.id]);
      expect((await refund(a.tokens.owner, { amountPaise: PLAN_PRICE - 30_000 }, paid)).json().error.code).toBe('REFUND_EXCEEDS_PAYMENT');

      const rfnd = nextId('rfnd');
      expect((await send(processed(paid, rfnd, 40_000, asked?.id))).json().data.outcome).toBe('applied');
      expect((await refundsOf(paid)).map((r) => [r.id, r.status, r.razorpay_refund_id])).toEqual([[asked?.id, 'processed', rfnd]]);
      expect(await creditNotesOf(paid)).toHaveLength(1);
    });

    it('refund.processed arriving before the API records Razorpay’s answer completes the refund once', async () => {
      const paid = await capturedPayment();
      const held = fake.holdNext();
      const pending = refund(a.tokens.owner, { amountPaise: 25_000 }, paid);
      const answer = await held.arrived;
      const [asked] = await refundsOf(paid);
      expect((await send(processed(paid, answer.id as string, 25_000, asked?.id))).json().data.outcome).toBe('applied');
      held.release();
      const made = await pending;
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json().data).toMatchObject({ id: asked?.id, status: 'processed', razorpayRefundId: answer.id });
      expect((await refundsOf(paid)).map((r) => r.status)).toEqual(['processed']);
      expect(await creditNotesOf(paid)).toHaveLength(1);
    });
  });
});
