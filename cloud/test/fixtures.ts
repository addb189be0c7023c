import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Database } from '../src/db/schema.js';
import { type TenantScope, withTenant } from '../src/db/tenant.js';
import { loadGymKeys } from '../src/domain/gym-keys.js';
import { saveRazorpayAccount } from '../src/domain/razorpay-accounts.js';
import { testKeyEncryptionKey } from './auth-support.js';

/** Every seeded gym's Razorpay API keys; the test worlds' stand-in for Razorpay (fake-razorpay.ts) answers to them. */
export const fixtureRazorpayKeys = { keyId: 'rzp_test_Fixture01', keySecret: 'fixture-key-secret' };
/** A seeded gym's own webhook secret, so one gym's signature never verifies at another's URL. */
export const fixtureWebhookSecret = (label: string) => `${label}-webhook-secret`;

export interface SeededGym {
  scope: TenantScope;
  branchId: string;
  memberId: string;
}

const plan = {
  name: 'Monthly',
  duration: { unit: 'months' as const, count: 1 },
  price_paise: 150_000,
  tax_inclusive: true,
  gst_rate_bps: 1800,
  sac: '999723',
  access: { allowedBranchIds: null, hours: null },
  max_freeze_days: 7,
  pt_sessions: 0,
};

/**
 * Onboards a gym the way the API will (a fresh id, the tenant scope opened on it before the gym row
 * exists) as the API role, then writes one row into every tenant table.
 */
export async function seedGym(db: Kysely<Database>, label: string): Promise<SeededGym> {
  const gymId = uuid();
  const ownerId = uuid();
  const scope: TenantScope = { gymId, userId: ownerId, role: 'owner', branchIds: [], memberId: null, deviceId: null, ip: '127.0.0.1' };
  const ids = { branch: uuid(), member: uuid(), trainer: uuid(), plan: uuid(), membership: uuid(), device: uuid(), series: uuid(), payment: uuid(), invoice: uuid() };
  const tenant = { gym_id: gymId };
  const now = new Date();

  await withTenant(db, scope, async (trx) => {
    await trx.insertInto('gyms').values({ id: gymId, name: `${label} Fitness`, legal_name: `${label} Fitness LLP`, gstin: '29AAAFF1234B1Z5', address: '1 MG Road', state_code: '29', phone: null }).execute();
    await trx.insertInto('branches').values({ ...tenant, id: ids.branch, name: 'Main', address: null, phone: null }).execute();
    await trx
      .insertInto('staff')
      .values([
        { ...tenant, id: ownerId, name: `${label} Owner`, email: `owner@${label}.test`, phone: null, password_hash: null, pin_hash: null, role: 'owner', password_changed_at: null },
        { ...tenant, id: ids.trainer, name: `${label} Trainer`, email: `trainer@${label}.test`, phone: null, password_hash: null, pin_hash: null, role: 'trainer', branch_ids: [ids.branch], password_changed_at: null },
      ])
      .execute();
    await trx
      .insertInto('members')
      .values({ ...tenant, id: ids.member, branch_id: ids.branch, code: 'GS1001', full_name: `${label} Member`, phone: '+919800000002', email: null, date_of_birth: '1990-04-01', gender: null, emergency_contact: null, medical_notes: null, goal: null, source: null, state_code: null })
      .execute();
    await trx.insertInto('trainer_assignments').values({ ...tenant, id: uuid(), trainer_id: ids.trainer, member_id: ids.member, ended_at: null }).execute();
    await trx
      .insertInto('member_credentials')
      .values({ ...tenant, id: uuid(), member_id: ids.member, kind: 'finger', value: '17', template: Buffer.from('ciphertext'), key_id: 'k1', consented_at: now })
      .execute();
    await trx.insertInto('plans').values({ ...tenant, id: ids.plan, ...plan }).execute();
    await trx
      .insertInto('memberships')
      .values({ ...tenant, id: ids.membership, branch_id: ids.branch, member_id: ids.member, plan_id: ids.plan, plan, start_date: '2026-11-01', end_date: '2026-11-30', price_paise: 150_000, cancelled_at: null, cancel_reason: null })
      .execute();
    await trx.insertInto('freezes').values({ ...tenant, id: uuid(), membership_id: ids.membership, from_date: '2026-11-10', to_date: '2026-11-12', reason: null }).execute();
    await trx.insertInto('devices').values({ ...tenant, id: ids.device, branch_id: ids.branch, name: 'Front desk', code: 'D1', public_key: Buffer.alloc(32, 7), last_seen_at: null, revoked_at: null }).execute();
    await trx
      .insertInto('pairing_codes')
      .values({ ...tenant, id: uuid(), branch_id: ids.branch, code_hash: randomBytes(32), created_by: ownerId, expires_at: now, used_at: now, device_id: ids.device })
      .execute();
    await trx
      .insertInto('refresh_tokens')
      .values({ ...tenant, id: uuid(), family_id: uuid(), subject_kind: 'staff', subject_id: ownerId, token_hash: randomBytes(32), expires_at: now, rotated_at: null, revoked_at: null })
      .execute();
    await trx.insertInto('member_otps').values({ ...tenant, id: uuid(), phone: '+919800000002', code_hash: Buffer.from('otp'), expires_at: now, consumed_at: null }).execute();
    await trx.insertInto('invoice_series').values({ ...tenant, id: ids.series, device_id: ids.device, prefix: 'D1', fy_start_year: 2026 }).execute();
    // The payment names its invoice before the invoice exists: the foreign key is checked at commit.
    await trx
      .insertInto('payments')
      .values({ ...tenant, id: ids.payment, branch_id: ids.branch, member_id: ids.member, membership_id: ids.membership, method: 'cash', reference: null, amount_paise: 150_000, received_at: now, received_on: '2026-11-01', staff_id: ownerId, device_id: ids.device, invoice_id: ids.invoice })
      .execute();
    await trx
      .insertInto('invoices')
      .values({
        ...tenant,
        id: ids.invoice,
        branch_id: ids.branch,
        series_id: ids.series,
        number: 'D1/26-27/0001',
        payment_id: ids.payment,
        member_id: ids.member,
        membership_id: ids.membership,
        issued_on: '2026-11-01',
        issued_at: now,
        sac: '999723',
        rate_bps: 1800,
        place_of_supply: '29',
        taxable_paise: 127_119,
        cgst_paise: 11_441,
        sgst_paise: 11_440,
        igst_paise: 0,
        total_paise: 150_000,
        snapshot: {},
      })
      .execute();
    await trx.insertInto('invoice_documents').values({ ...tenant, invoice_id: ids.invoice, pdf: Buffer.from('%PDF-1.3 fixture') }).execute();
    await trx.insertInto('invoice_link_generations').values({ ...tenant, invoice_id: ids.invoice, generation: 1, revoked_at: now }).execute();
    await trx
      .insertInto('voided_invoice_numbers')
      .values({ ...tenant, id: uuid(), series_id: ids.series, number: 'D1/2026/00002', device_id: ids.device, mutation_id: null, seq: null, method: 'cash', reference: null, amount_paise: 50_000, received_at: now, received_on: '2026-11-01', error_code: 'OVERPAYMENT', error_message: 'Amount is more than the ₹0.00 due' })
      .execute();
    await trx
      .insertInto('checkins')
      .values({ ...tenant, id: uuid(), branch_id: ids.branch, member_id: ids.member, method: 'finger', verdict: 'allow', reason: null, at: now, on_date: '2026-11-01', device_id: ids.device, staff_id: null })
      .execute();
    await trx.insertInto('checkouts').values({ ...tenant, id: uuid(), branch_id: ids.branch, member_id: ids.member, at: now, device_id: ids.device, staff_id: null }).execute();
    // Sync push (migration 2026_11_22_0006_sync_push): the desk has pushed one mutation.
    await trx.insertInto('device_sync_state').values({ ...tenant, device_id: ids.device, last_seq: 1, schema_version: 1 }).execute();
    await trx
      .insertInto('sync_mutations')
      .values({ ...tenant, mutation_id: uuid(), device_id: ids.device, seq: 1, name: 'checkins/checkout', args: JSON.stringify({ memberId: ids.member }), status: 'applied', error_code: null, error_message: null, desk_created_at: now })
      .execute();
    // WhatsApp notifications (migration 2026_11_25_0002_notifications): the gym's number, a receipt sent, an opt-out.
    await trx.insertInto('notification_settings').values({ gym_id: gymId, whatsapp_phone_number_id: `PN-${label}` }).execute();
    await trx
      .insertInto('notifications')
      .values({ ...tenant, id: uuid(), member_id: ids.member, template: 'payment_receipt', due_on: '2026-11-01', ref: ids.payment, end_date: null, data: JSON.stringify({ amount: '1,500.00', plan: 'Monthly', date: '30 Nov 2026', link: 'https://app.test/invoice' }), send_after: now })
      .execute();
    await trx.insertInto('notification_opt_outs').values({ ...tenant, phone: '+919800000099' }).execute();
    // The gym's template and pass keys (migration 2026_11_24_0001_gym_keys), sealed as the test apps open them.
    await loadGymKeys(trx, gymId, testKeyEncryptionKey);
    // Online payments (migration 2026_11_25_0001_online_payments): the Razorpay account, an order, a webhook
    // event whose payment was held for review, and a refund of the payment above with its credit note.
    await saveRazorpayAccount(trx, scope, testKeyEncryptionKey, { ...fixtureRazorpayKeys, webhookSecret: fixtureWebhookSecret(label) });
    // Razorpay ids are letters and digits only; a label may have others ('retain-a').
    const rzp = `Fixture${label.replace(/[^A-Za-z0-9]/g, '')}`;
    const order = { ...tenant, id: uuid(), razorpay_id: `order_${rzp}` };
    await trx
      .insertInto('razorpay_orders')
      .values({ ...order, kind: 'order', sale: 'sell', branch_id: ids.branch, member_id: ids.member, plan_id: ids.plan, amount_paise: 150_000, currency: 'INR', status: 'created', razorpay_order_id: order.razorpay_id, short_url: null, payment_id: null, membership_id: null, created_by: ownerId })
      .execute();
    const event = { ...tenant, event_id: `evt_${rzp}`, razorpay_payment_id: `pay_${rzp}` };
    await trx.insertInto('razorpay_webhook_events').values({ ...event, type: 'payment.captured', outcome: 'review', payload: '{}' }).execute();
    await trx
      .insertInto('payment_reviews')
      .values({ ...event, id: uuid(), reason: 'amount_mismatch', message: 'Paid 100 paise; the order is for 150000', razorpay_order_id: order.razorpay_id, order_id: order.id, amount_paise: 100, currency: 'INR' })
      .execute();
    const refundId = uuid();
    const creditSeries = uuid();
    await trx.insertInto('refunds').values({ ...tenant, id: refundId, payment_id: ids.payment, amount_paise: 10_000, reason: null, status: 'processed', razorpay_refund_id: null, staff_id: ownerId }).execute();
    await trx.insertInto('invoice_series').values({ ...tenant, id: creditSeries, device_id: null, prefix: 'WCN', fy_start_year: 2026, last_seq: 1 }).execute();
    await trx
      .insertInto('credit_notes')
      .values({
        ...tenant,
        id: uuid(),
        branch_id: ids.branch,
        series_id: creditSeries,
        number: 'WCN/2627/00001',
        refund_id: refundId,
        invoice_id: ids.invoice,
        member_id: ids.member,
        issued_on: '2026-11-02',
        issued_at: now,
        rate_bps: 1800,
        place_of_supply: '29',
        taxable_paise: 8_475,
        cgst_paise: 763,
        sgst_paise: 762,
        igst_paise: 0,
        total_paise: 10_000,
      })
      .execute();
    await trx
      .insertInto('audit_log')
      .values({ ...tenant, id: uuid(), actor_id: ownerId, actor_role: 'owner', device_id: null, ip: '127.0.0.1', action: 'member.create', entity: 'member', entity_id: ids.member, old: null, new: { code: 'GS1001' } })
      .execute();
  });
  return { scope, branchId: ids.branch, memberId: ids.member };
}
