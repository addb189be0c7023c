import { type LocalDate, errors, localDateAt } from '@gymstack/shared';
import type { Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Database } from '../db/schema.js';
import { sendableAt } from './schedule.js';
import { type GymMessaging, loadGymMessaging } from './settings.js';
import { type TemplateData, type TemplateName, templates } from './templates.js';

/** Filled in at send time from the cloud's own URLs, unless the caller gives them (a receipt's invoice link). */
const LINK_VARIABLES = new Set(['link', 'pay_link']);

export interface NotificationRequest {
  gymId: string;
  memberId: string;
  template: TemplateName;
  /** When it should go out; moved to the end of the gym's quiet hours if it falls in them. */
  dueAt: Date;
  /** The template's variables; `name` and `gym_name` are filled in when left out. */
  data: TemplateData;
  /** Tells apart two messages of one template for one member on one day, e.g. a receipt's payment id. */
  ref?: string;
  /** For end-date reminders: the membership end date the message is about. */
  endDate?: LocalDate | null;
}

/**
 * How old what a welcome or receipt announces may be when the cloud learns of it: a week covers a desk
 * that was offline, and leaves out the history a desk brings when it first pairs.
 */
const NEWS_WINDOW_MS = 7 * 24 * 3600_000;

export const isNews = (happenedAt: Date, now: Date): boolean => now.getTime() - happenedAt.getTime() <= NEWS_WINDOW_MS;

/** One row for `insertNotifications`, the member already read. */
export interface NotificationDraft extends NotificationRequest {
  memberName: string;
}

/**
 * Queues messages in the caller's transaction, so they exist exactly when what they announce does. One
 * per (member, template, due date, ref): a draft already queued or sent is skipped. Returns the ids of
 * the rows inserted.
 */
export async function insertNotifications(trx: Transaction<Database>, gym: GymMessaging, drafts: NotificationDraft[], now: Date): Promise<string[]> {
  if (drafts.length === 0) return [];
  const rows = drafts.map((draft) => {
    const data: TemplateData = { name: draft.memberName, gym_name: gym.gymName, ...draft.data };
    const missing = templates[draft.template].variables.filter((v) => !LINK_VARIABLES.has(v) && !data[v]);
    if (missing.length > 0) throw new Error(`Template ${draft.template} needs ${missing.map((v) => `{${v}}`).join(', ')}`);
    return {
      gym_id: draft.gymId,
      id: uuid(),
      member_id: draft.memberId,
      template: draft.template,
      due_on: localDateAt(draft.dueAt, gym.timeZone),
      ref: draft.ref ?? '',
      end_date: draft.endDate ?? null,
      data: JSON.stringify(data),
      send_after: sendableAt(draft.dueAt, gym.timeZone, gym.quiet),
      created_at: now,
      updated_at: now,
    };
  });
  const inserted = await trx
    .insertInto('notifications')
    .values(rows)
    .onConflict((oc) => oc.columns(['gym_id', 'member_id', 'template', 'due_on', 'ref']).doNothing())
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

async function memberNameOf(trx: Transaction<Database>, memberId: string): Promise<string> {
  const member = await trx.selectFrom('members').select('full_name').where('id', '=', memberId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!member) throw errors.notFound('Member');
  return member.full_name;
}

/**
 * Queues one message for a member of the transaction's gym (a receipt, a welcome); null when already
 * queued. The member's name is read unless the caller already has the member.
 */
export async function enqueueNotification(trx: Transaction<Database>, request: NotificationRequest & { memberName?: string }): Promise<string | null> {
  const memberName = request.memberName ?? (await memberNameOf(trx, request.memberId));
  const [id] = await insertNotifications(trx, await loadGymMessaging(trx), [{ ...request, memberName }], new Date());
  return id ?? null;
}
