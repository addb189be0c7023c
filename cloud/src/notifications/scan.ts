import { type LocalDate, formatInr, localDateAt } from '@gymstack/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { type NotificationDraft, insertNotifications } from './enqueue.js';
import { birthdayIn, endDatesDueOn, remindersDue } from './schedule.js';
import { loadGymMessaging } from './settings.js';
import type { TemplateData } from './templates.js';
import { cancelStaleReminders } from './stale.js';

/** Made once: building an Intl formatter costs far more than using one, and a scan formats thousands of dates. */
const messageDateFormat = new Intl.DateTimeFormat('en-IN', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** `30 Nov 2026`: how a date reads in a message. */
export function messageDate(date: LocalDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return messageDateFormat.format(Date.UTC(y, m - 1, d));
}

/** `1,500.00`: the templates already say "Rs". */
export const messageAmount = (paise: number): string => formatInr(paise).replace('₹', '');

/** The variables of an end-date reminder, from the latest membership. */
const endDateData = (plan: unknown, end: LocalDate, pricePaise: number): TemplateData => ({
  plan: (plan as { name: string }).name,
  date: messageDate(end),
  amount: messageAmount(pricePaise),
});

/**
 * The daily reminder scan of the transaction's gym, for its local date at `now`: queues the end-date
 * reminders and birthday wishes due today (the unique key makes a second scan a no-op), cancels the
 * reminders a renewal made stale, and records the day as scanned. Returns how many it queued.
 */
export async function scanGym(trx: Transaction<Database>, gymId: string, now: Date): Promise<number> {
  const gym = await loadGymMessaging(trx);
  const today = localDateAt(now, gym.timeZone);
  await cancelStaleReminders(trx, now);
  const birthdays = [today.slice(5)];
  // 29 February birthdays are wished on 28 February outside leap years.
  if (birthdayIn('2000-02-29', Number(today.slice(0, 4))) === today) birthdays.push('02-29');
  const members = await trx
    .with('latest', (db) =>
      db
        .selectFrom('memberships')
        .distinctOn('member_id')
        .select(['member_id', 'end_date', 'plan', 'price_paise'])
        .where('cancelled_at', 'is', null)
        .where('deleted_at', 'is', null)
        .orderBy('member_id')
        .orderBy('end_date', 'desc'),
    )
    .selectFrom('members as m')
    .leftJoin('latest as l', 'l.member_id', 'm.id')
    .select(['m.id', 'm.full_name', 'm.date_of_birth', 'l.end_date', 'l.plan', 'l.price_paise'])
    .where('m.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([eb('l.end_date', 'in', endDatesDueOn(today)), eb(eb.fn('to_char', ['m.date_of_birth', eb.val('MM-DD')]), 'in', birthdays)]),
    )
    .execute();
  const drafts: NotificationDraft[] = members.flatMap((member) =>
    remindersDue({ today, latestEnd: member.end_date, dateOfBirth: member.date_of_birth }).map((due) => ({
      gymId,
      memberId: member.id,
      memberName: member.full_name,
      template: due.template,
      dueAt: now,
      endDate: due.endDate,
      data: due.endDate === null ? {} : endDateData(member.plan, due.endDate, member.price_paise ?? 0),
    })),
  );
  const queued = await insertNotifications(trx, gym, drafts, now);
  await trx
    .insertInto('notification_settings')
    .values({ gym_id: gymId, scanned_on: today, updated_at: now })
    .onConflict((oc) => oc.column('gym_id').doUpdateSet({ scanned_on: today, updated_at: now }))
    .execute();
  return queued.length;
}
