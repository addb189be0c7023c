import { addMonths, localDateAt } from '@gymstack/shared';
import { type Kysely, sql } from 'kysely';
import type { InvoiceLinks } from '../auth/invoice-links.js';
import type { Database } from '../db/schema.js';
import { withTenant } from '../db/tenant.js';
import { receiptInvoiceLink, sharedInvoicePath } from '../domain/invoices.js';
import type { MessageProvider, OutboundMessage, SentMessage } from './provider.js';
import { isQuiet, monthStartOf, retryAt, sendableAt } from './schedule.js';
import { loadGymMessaging } from './settings.js';
import { latestLiveEnd } from './stale.js';
import { systemScope } from './system-scope.js';
import { type TemplateData, type TemplateName, parametersOf, renderText } from './templates.js';

export interface DeliveryDeps {
  /** The API role's Kysely: every step runs in the gym's tenant scope. */
  db: Kysely<Database>;
  provider: MessageProvider;
  /** The member app, where `{link}` and `{pay_link}` point unless the notification carries its own. */
  appUrl: string;
  /**
   * With the cloud's public address, a receipt's `{link}` opens its invoice's PDF there (a share link,
   * no login) rather than the member app.
   */
  receiptLinks?: { links: InvoiceLinks; cloudUrl: string };
  now: () => Date;
}

export type DeliveryOutcome = 'sent' | 'simulated' | 'retrying' | 'dead' | 'deferred' | 'cancelled' | 'skipped' | 'ignored';

/**
 * What holds a place in the month's quota once it has a `sent_on`: every message that went out (or would
 * have, simulated), and one being sent now or waiting to be retried.
 */
const QUOTA_STATUSES = ['sent', 'delivered', 'read', 'simulated', 'queued', 'failed'] as const;

type Checked = { outcome: DeliveryOutcome } | { outcome: 'send'; message: OutboundMessage; body: string; timeZone: string };

/**
 * Sends one notification of `gymId`, re-checking everything that may have changed since it was queued:
 * the member, the membership end date (a renewal cancels it), quiet hours (it waits), the member's
 * opt-out and the gym's monthly quota (it is skipped). The provider is called outside any transaction;
 * a failure is retried after 1, 5 and 15 minutes, then the notification is dead. `jobId`: the send job
 * the dispatcher handed it to; a job that is no longer its own does nothing.
 */
export async function deliverNotification(deps: DeliveryDeps, gymId: string, notificationId: string, jobId?: string): Promise<DeliveryOutcome> {
  const scope = systemScope(gymId);
  const checked = await withTenant(deps.db, scope, async (trx): Promise<Checked> => {
    const now = deps.now();
    const row = await trx.selectFrom('notifications').selectAll().where('id', '=', notificationId).forUpdate().executeTakeFirst();
    if (!row || (row.status !== 'queued' && row.status !== 'failed') || (jobId !== undefined && row.job_id !== jobId)) return { outcome: 'ignored' };
    const settle = async (status: 'cancelled' | 'skipped', error: string): Promise<Checked> => {
      await trx.updateTable('notifications').set({ status, error, job_id: null, updated_at: now }).where('id', '=', row.id).execute();
      return { outcome: status };
    };
    const member = await trx.selectFrom('members').select(['phone']).where('id', '=', row.member_id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!member) return settle('cancelled', 'The member was deleted');
    // A reminder about an end date lapses with it (a payment link sent with a reminder template names none).
    if (row.end_date !== null && row.end_date !== (await latestLiveEnd(trx, row.member_id))) {
      return settle('cancelled', 'The membership end date changed');
    }
    const gym = await loadGymMessaging(trx);
    if (isQuiet(now, gym.timeZone, gym.quiet)) {
      await trx.updateTable('notifications').set({ send_after: sendableAt(now, gym.timeZone, gym.quiet), job_id: null, updated_at: now }).where('id', '=', row.id).execute();
      return { outcome: 'deferred' };
    }
    const optedOut = await trx.selectFrom('notification_opt_outs').select('phone').where('phone', '=', member.phone).executeTakeFirst();
    if (optedOut) return settle('skipped', 'The member replied STOP');
    // The quota is checked and this message's place in it taken under the gym's quota lock, so sends running
    // at once cannot all pass the check: the place (`sent_on`) is held while the provider is called, kept
    // when the message goes out and given back when it fails.
    const today = localDateAt(now, gym.timeZone);
    const month = monthStartOf(today);
    await sql`select pg_advisory_xact_lock(hashtextextended(${`notification-quota:${gymId}`}, 0))`.execute(trx);
    const { count } = await trx
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('sent_on', '>=', month)
      .where('sent_on', '<', addMonths(month, 1))
      .where('status', 'in', [...QUOTA_STATUSES])
      .where('id', '<>', row.id)
      .executeTakeFirstOrThrow();
    if (Number(count) >= gym.monthlyQuota) return settle('skipped', `The monthly quota of ${gym.monthlyQuota} messages is used up`);
    await trx.updateTable('notifications').set({ sent_on: today }).where('id', '=', row.id).execute();
    const template = row.template as TemplateName;
    const invoice = deps.receiptLinks && row.template === 'payment_receipt' && row.ref ? await receiptInvoiceLink(trx, deps.receiptLinks.links, row.ref) : null;
    const link = invoice && deps.receiptLinks ? `${deps.receiptLinks.cloudUrl}${sharedInvoicePath(invoice.token)}` : deps.appUrl;
    const data = { link, pay_link: `${deps.appUrl}/renew`, ...(row.data as TemplateData) };
    const message = { to: member.phone, template, language: gym.language, parameters: parametersOf(template, data), phoneNumberId: gym.phoneNumberId };
    return { outcome: 'send', message, body: renderText(template, data), timeZone: gym.timeZone };
  });
  if (checked.outcome !== 'send') return checked.outcome;

  let sent: SentMessage | null = null;
  let failure = '';
  try {
    sent = await deps.provider.send(checked.message);
  } catch (error) {
    failure = (error as Error).message;
  }
  return withTenant(deps.db, scope, async (trx) => {
    const now = deps.now();
    const attempted = { attempts: (await trx.selectFrom('notifications').select('attempts').where('id', '=', notificationId).executeTakeFirstOrThrow()).attempts + 1, job_id: null, to_phone: checked.message.to, body: checked.body, updated_at: now };
    if (sent) {
      const status = sent.provider === 'simulated' ? 'simulated' : 'sent';
      await trx
        .updateTable('notifications')
        .set({ ...attempted, status, provider: sent.provider, provider_message_id: sent.messageId, error: null, sent_at: now, sent_on: localDateAt(now, checked.timeZone) })
        .where('id', '=', notificationId)
        .execute();
      return status;
    }
    const retry = retryAt(now, attempted.attempts);
    await trx
      .updateTable('notifications')
      .set({ ...attempted, status: retry ? 'failed' : 'dead', provider: deps.provider.name, error: failure, sent_on: null, ...(retry ? { send_after: retry } : {}) })
      .where('id', '=', notificationId)
      .execute();
    return retry ? 'retrying' : 'dead';
  });
}
