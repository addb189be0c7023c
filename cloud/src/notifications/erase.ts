import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * A member's erasure reaches their messages: the variables (name, plan, dates), the text and the number
 * go; what was sent when, and its status, stay as the gym's record. Unsent ones are cancelled.
 */
export async function eraseMemberNotifications(trx: Transaction<Database>, memberId: string, now: Date): Promise<void> {
  await trx
    .updateTable('notifications')
    .set({ status: 'cancelled', error: 'The member was erased', job_id: null, updated_at: now })
    .where('member_id', '=', memberId)
    .where('status', 'in', ['queued', 'failed'])
    .execute();
  await trx.updateTable('notifications').set({ data: JSON.stringify({}), body: null, to_phone: null, updated_at: now }).where('member_id', '=', memberId).execute();
}
