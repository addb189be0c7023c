import { type NotificationStatus, type NotificationView, errors } from '@gymstack/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';
import { appendAudit } from '../domain/audit.js';
import { type Page, paginate } from '../domain/page.js';
import type { NotificationListQuery } from './schemas.js';
import type { TemplateName } from './templates.js';

const rows = (trx: Transaction<Database>) =>
  trx
    .selectFrom('notifications as n')
    .innerJoin('members as m', 'm.id', 'n.member_id')
    .selectAll('n')
    .select('m.full_name as member_name');

type Row = Awaited<ReturnType<ReturnType<typeof rows>['executeTakeFirstOrThrow']>>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

const toView = (r: Row): NotificationView => ({
  id: r.id,
  memberId: r.member_id,
  memberName: r.member_name,
  template: r.template as TemplateName,
  dueOn: r.due_on,
  status: r.status as NotificationStatus,
  error: r.error,
  attempts: r.attempts,
  sendAfter: r.send_after.toISOString(),
  provider: r.provider,
  providerMessageId: r.provider_message_id,
  body: r.body,
  sentAt: iso(r.sent_at),
  deliveredAt: iso(r.delivered_at),
  readAt: iso(r.read_at),
  createdAt: r.created_at.toISOString(),
});

/** The gym's notifications, newest first, by status, template, member and due-date range. */
export async function listNotifications(trx: Transaction<Database>, query: NotificationListQuery): Promise<Page<NotificationView>> {
  const list = rows(trx)
    .$if(query.status !== undefined, (q) => q.where('n.status', '=', query.status as NotificationStatus))
    .$if(query.template !== undefined, (q) => q.where('n.template', '=', query.template as string))
    .$if(query.memberId !== undefined, (q) => q.where('n.member_id', '=', query.memberId as string))
    .$if(query.from !== undefined, (q) => q.where('n.due_on', '>=', query.from as string))
    .$if(query.to !== undefined, (q) => q.where('n.due_on', '<=', query.to as string))
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc');
  const page = await paginate(trx, list, query);
  return { items: page.items.map(toView), meta: page.meta };
}

/** Queues a dead-lettered notification again, for a fresh round of attempts from now. */
export async function retryNotification(trx: Transaction<Database>, caller: TenantScope, notificationId: string, now: Date): Promise<NotificationView> {
  const row = await rows(trx).where('n.id', '=', notificationId).forUpdate('n').executeTakeFirst();
  if (!row) throw errors.notFound('Notification');
  if (row.status !== 'dead') throw errors.conflict('Only a dead-lettered notification can be retried');
  await trx.updateTable('notifications').set({ status: 'queued', attempts: 0, send_after: now, job_id: null, updated_at: now }).where('id', '=', notificationId).execute();
  const after = toView(await rows(trx).where('n.id', '=', notificationId).executeTakeFirstOrThrow());
  const state = (view: NotificationView) => ({ status: view.status, attempts: view.attempts, error: view.error, sendAfter: view.sendAfter });
  await appendAudit(trx, caller, { action: 'notification.retry', entity: 'notification', entityId: notificationId, old: state(toView(row)), new: state(after) });
  return after;
}
