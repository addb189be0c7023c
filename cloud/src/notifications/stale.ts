import { type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/** The latest end among a member's live memberships: what end-date reminders are about. */
export async function latestLiveEnd(trx: Transaction<Database>, memberId: string): Promise<string | null> {
  const row = await trx
    .selectFrom('memberships')
    .select((eb) => eb.fn.max('end_date').as('end_date'))
    .where('member_id', '=', memberId)
    .where('cancelled_at', 'is', null)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row?.end_date ?? null;
}

/**
 * Cancels the unsent end-date reminders (of one member, or all) whose end date is no longer the member's
 * latest: a renewal, a freeze or a cancellation moved it, and the new end date gets reminders of its own.
 */
export async function cancelStaleReminders(trx: Transaction<Database>, now: Date, memberId?: string): Promise<number> {
  const result = await trx
    .updateTable('notifications as n')
    .set({ status: 'cancelled', error: 'The membership end date changed', job_id: null, updated_at: now })
    .where('n.status', 'in', ['queued', 'failed'])
    .where('n.end_date', 'is not', null)
    .$if(memberId !== undefined, (q) => q.where('n.member_id', '=', memberId as string))
    .where(
      sql<boolean>`n.end_date is distinct from (select max(m.end_date) from memberships m
        where m.member_id = n.member_id and m.cancelled_at is null and m.deleted_at is null)`,
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
