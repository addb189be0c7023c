import { createHmac } from 'node:crypto';
import { addDays, localDateAt, renewalStart, splitGst, termEnd } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../src/db/tenant.js';
import { deliverNotification } from '../src/notifications/deliver.js';
import { messageAmount, messageDate, scanGym } from '../src/notifications/scan.js';
import { SimulatedProvider } from '../src/notifications/simulated.js';
import { fixtureWebhookSecret } from './fixtures.js';
import { call, createWorld, type Gym, type World } from './world.js';

/**
 * The renewal story end to end (issue 6): a member whose membership ends in 3 days gets the reminder
 * (simulated: the gym has no WhatsApp credentials), pays through the payment link it carries (a signed
 * `payment_link.paid`), and the new term, its GST invoice and the receipt are all correct.
 */
describe('a renewal, from reminder to receipt', () => {
  let w: World;
  let a: Gym;
  const provider = new SimulatedProvider();
  const inGym = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(w.t.api, a.seed.scope, fn);
  const deliver = (id: string) => deliverNotification({ db: w.t.api, provider, appUrl: 'https://app.test', now: () => new Date() }, a.gymId, id);

  beforeAll(async () => {
    w = await createWorld();
    a = w.gyms.a;
  });
  afterAll(() => w?.close());

  it('reminds, takes the online payment once, extends the term, invoices it and sends the receipt', async () => {
    const now = new Date();
    const today = localDateAt(now, 'Asia/Kolkata');
    const end = addDays(today, 3);
    const member = { id: uuid(), phone: '+919876500003', name: 'Renewing Rhea' };
    const plan = await inGym(async (trx) => {
      const row = await trx.selectFrom('plans').select(['duration', 'price_paise', 'gst_rate_bps', 'tax_inclusive']).where('id', '=', a.ids.plan).executeTakeFirstOrThrow();
      const snapshot = (await trx.selectFrom('memberships').select('plan').where('id', '=', a.ids.membership).executeTakeFirstOrThrow()).plan;
      await trx
        .insertInto('members')
        .values({ gym_id: a.gymId, id: member.id, branch_id: a.branchId, code: 'RR1', full_name: member.name, phone: member.phone, email: null, date_of_birth: null, gender: null, emergency_contact: null, medical_notes: null, goal: null, source: null, state_code: null, deleted_at: null })
        .execute();
      await trx
        .insertInto('memberships')
        .values({ gym_id: a.gymId, id: uuid(), branch_id: a.branchId, member_id: member.id, plan_id: a.ids.plan, plan: snapshot, start_date: addDays(end, -29), end_date: end, price_paise: row.price_paise, cancelled_at: null, cancel_reason: null, deleted_at: null })
        .execute();
      return row;
    });

    // The daily scan queues the 3-day reminder; without credentials it is stored as simulated.
    await inGym((trx) => scanGym(trx, a.gymId, now));
    const reminder = await inGym((trx) => trx.selectFrom('notifications').selectAll().where('member_id', '=', member.id).where('template', '=', 'renewal_reminder_3d').executeTakeFirstOrThrow());
    expect(reminder).toMatchObject({ due_on: today, end_date: end, status: 'queued' });
    await deliver(reminder.id);
    expect(await inGym((trx) => trx.selectFrom('notifications').select('status').where('id', '=', reminder.id).executeTakeFirstOrThrow())).toEqual({ status: 'simulated' });

    // The desk sends the payment link; Razorpay (the local stand-in) makes it.
    const res = await call(w.app, a.tokens.frontdesk, { method: 'POST', url: `/members/${member.id}/payment-links`, body: { planId: a.ids.plan } });
    expect(res.statusCode, res.body).toBe(201);
    const link = res.json().data as { id: string; razorpayId: string; shortUrl: string };

    // The member pays by UPI: Razorpay's signed webhook, delivered twice as Razorpay may.
    const paymentId = `pay_Renewal${Date.now().toString(36)}`;
    // Razorpay makes an order behind every link; the payment names it.
    const orderId = `order_Renewal${Date.now().toString(36)}`;
    const body = JSON.stringify({
      entity: 'event',
      event: 'payment_link.paid',
      contains: ['payment_link', 'order', 'payment'],
      payload: {
        payment_link: { entity: { id: link.razorpayId, amount: plan.price_paise, currency: 'INR', status: 'paid' } },
        order: { entity: { id: orderId, amount: plan.price_paise, currency: 'INR' } },
        payment: { entity: { id: paymentId, entity: 'payment', amount: plan.price_paise, currency: 'INR', status: 'captured', order_id: orderId, method: 'upi', captured: true, created_at: Math.floor(Date.now() / 1000) } },
      },
      created_at: Math.floor(Date.now() / 1000),
    });
    const signature = createHmac('sha256', fixtureWebhookSecret('alpha')).update(body).digest('hex');
    const webhook = () =>
      w.app.inject({ method: 'POST', url: `/api/v1/payments/webhook/${a.gymId}`, headers: { 'content-type': 'application/json', 'x-razorpay-event-id': 'evt_RenewalOnce', 'x-razorpay-signature': signature }, payload: body });
    const deliveries = [await webhook(), await webhook()];
    expect(deliveries.map((d) => [d.statusCode, d.json().data.outcome])).toEqual([
      [200, 'applied'],
      [200, 'duplicate'],
    ]);

    // One new term, from the day after the old one ends, for the plan's length.
    const terms = await inGym((trx) => trx.selectFrom('memberships').select(['id', 'start_date', 'end_date']).where('member_id', '=', member.id).orderBy('start_date').execute());
    const start = renewalStart(end, today);
    expect(start).toBe(addDays(end, 1));
    expect(terms.map((t) => [t.start_date, t.end_date])).toEqual([
      [addDays(end, -29), end],
      [start, termEnd(start, plan.duration)],
    ]);

    // One payment and its invoice, from the cloud's series, with the GST split of the plan's price.
    const paid = await inGym((trx) =>
      trx
        .selectFrom('payments')
        .innerJoin('invoices', 'invoices.id', 'payments.invoice_id')
        .select(['payments.method', 'payments.amount_paise', 'invoices.number', 'invoices.taxable_paise', 'invoices.cgst_paise', 'invoices.sgst_paise', 'invoices.igst_paise', 'invoices.total_paise', 'invoices.membership_id'])
        .where('payments.member_id', '=', member.id)
        .execute(),
    );
    const gst = splitGst({ amountPaise: plan.price_paise, inclusive: plan.tax_inclusive, rateBps: plan.gst_rate_bps, intraState: true });
    expect(paid).toEqual([
      {
        method: 'razorpay',
        amount_paise: plan.price_paise,
        number: expect.stringMatching(/^WEB\//),
        taxable_paise: gst.taxablePaise,
        cgst_paise: gst.cgstPaise,
        sgst_paise: gst.sgstPaise,
        igst_paise: 0,
        total_paise: plan.price_paise,
        membership_id: terms[1]?.id,
      },
    ]);
    const pdf = await call(w.app, a.tokens.owner, { method: 'GET', url: `/invoices/${(await inGym((trx) => trx.selectFrom('invoices').select('id').where('member_id', '=', member.id).executeTakeFirstOrThrow())).id}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toMatch(/application\/pdf/);

    // The receipt names the amount, the plan and the new end date, and goes out (simulated).
    const receipt = await inGym((trx) => trx.selectFrom('notifications').selectAll().where('member_id', '=', member.id).where('template', '=', 'payment_receipt').executeTakeFirstOrThrow());
    expect(receipt.data).toMatchObject({ plan: 'Monthly', amount: messageAmount(plan.price_paise), date: messageDate(termEnd(start, plan.duration)) });
    await deliver(receipt.id);
    expect(await inGym((trx) => trx.selectFrom('notifications').select('status').where('id', '=', receipt.id).executeTakeFirstOrThrow())).toEqual({ status: 'simulated' });

    // The reminders still queued for the old end date are void now.
    await inGym((trx) => scanGym(trx, a.gymId, new Date(now.getTime() + 86_400_000)));
    const later = await inGym((trx) => trx.selectFrom('notifications').select(['template', 'end_date', 'status']).where('member_id', '=', member.id).where('template', 'like', 'renewal_reminder_%').execute());
    expect(later.filter((r) => r.end_date === end && r.status === 'queued')).toEqual([]);
  });
});
