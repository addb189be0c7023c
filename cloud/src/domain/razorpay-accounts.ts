import { seal, unseal } from '@gymstack/shared/crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';
import type { RazorpayCredentials } from '../razorpay/gateway.js';
import { appendAudit } from './audit.js';

export const razorpayAccountSchema = z.object({
  keyId: z.string().regex(/^rzp_(test|live)_[A-Za-z0-9]+$/, 'A Razorpay key id, rzp_test_… or rzp_live_…'),
  keySecret: z.string().min(8).max(100),
  webhookSecret: z.string().min(8).max(100),
});
export type RazorpayAccountInput = z.infer<typeof razorpayAccountSchema>;

/** A gym's Razorpay account, secrets opened: only in memory, only for the request at hand. */
export interface RazorpayAccount extends RazorpayCredentials {
  webhookSecret: string;
}

type Secret = 'key_secret' | 'webhook_secret';

/** Binds a sealed secret to its gym and purpose: copied to another gym or column, it does not open. */
const contextOf = (gymId: string, secret: Secret) => `${gymId}:razorpay:${secret}`;

/** Stores (or replaces) the gym's keys; the audit row says which key id, never a secret. */
export async function saveRazorpayAccount(trx: Transaction<Database>, caller: TenantScope, kek: Buffer, input: RazorpayAccountInput): Promise<{ keyId: string }> {
  const { gymId } = caller;
  const sealed = {
    key_id: input.keyId,
    key_secret_sealed: seal(kek, Buffer.from(input.keySecret), contextOf(gymId, 'key_secret')),
    webhook_secret_sealed: seal(kek, Buffer.from(input.webhookSecret), contextOf(gymId, 'webhook_secret')),
  };
  const before = await trx.selectFrom('razorpay_accounts').select('key_id').executeTakeFirst();
  await trx
    .insertInto('razorpay_accounts')
    .values({ gym_id: gymId, ...sealed })
    .onConflict((oc) => oc.column('gym_id').doUpdateSet({ ...sealed, updated_at: new Date() }))
    .execute();
  await appendAudit(trx, caller, { action: 'razorpay.account', entity: 'gym', entityId: gymId, old: before ? { keyId: before.key_id } : null, new: { keyId: input.keyId } });
  return { keyId: input.keyId };
}

/** The gym's account in the transaction's scope, or null when it has none (payments are then simulated). */
export async function loadRazorpayAccount(trx: Transaction<Database>, kek: Buffer): Promise<RazorpayAccount | null> {
  const row = await trx.selectFrom('razorpay_accounts').selectAll().executeTakeFirst();
  if (!row) return null;
  const open = (sealed: Buffer, secret: Secret) => unseal(kek, sealed, contextOf(row.gym_id, secret)).toString('utf8');
  return { keyId: row.key_id, keySecret: open(row.key_secret_sealed, 'key_secret'), webhookSecret: open(row.webhook_secret_sealed, 'webhook_secret') };
}
