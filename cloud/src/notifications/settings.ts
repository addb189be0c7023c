import { errors } from '@gymstack/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';
import { appendAudit } from '../domain/audit.js';
import { definedOnly } from '../domain/patch.js';
import { unique } from '../domain/unique.js';
import { DEFAULT_QUIET_HOURS, type QuietHours } from './schedule.js';
import type { NotificationSettings } from './schemas.js';

/** What sending for a gym needs to know about it; read in the gym's scope. */
export interface GymMessaging {
  gymName: string;
  timeZone: string;
  quiet: QuietHours;
  /** The gym's own WhatsApp number id, or null for the cloud's default number. */
  phoneNumberId: string | null;
  language: string;
  /** The plan's `whatsapp_messages_per_month`. */
  monthlyQuota: number;
}

export async function loadGymMessaging(trx: Transaction<Database>): Promise<GymMessaging> {
  // One round trip: every scan, send and receipt starts here.
  const gym = await trx
    .selectFrom('gyms')
    .leftJoin('notification_settings as s', 's.gym_id', 'gyms.id')
    .select(['gyms.name', 'gyms.time_zone', 'gyms.plan_limits', 's.quiet_start', 's.quiet_end', 's.whatsapp_phone_number_id', 's.language'])
    .executeTakeFirstOrThrow();
  return {
    gymName: gym.name,
    timeZone: gym.time_zone,
    quiet: gym.quiet_start !== null && gym.quiet_end !== null ? { start: gym.quiet_start, end: gym.quiet_end } : DEFAULT_QUIET_HOURS,
    phoneNumberId: gym.whatsapp_phone_number_id,
    language: gym.language ?? 'en',
    monthlyQuota: gym.plan_limits.whatsapp_messages_per_month,
  };
}

const toSettings = (gym: GymMessaging): NotificationSettings => ({
  quietStart: gym.quiet.start,
  quietEnd: gym.quiet.end,
  whatsappPhoneNumberId: gym.phoneNumberId,
  language: gym.language,
});

export async function getNotificationSettings(trx: Transaction<Database>): Promise<NotificationSettings> {
  return toSettings(await loadGymMessaging(trx));
}

/** Field merge, audited; a phone-number id another gym has is a conflict (the webhook must find one gym). */
export async function updateNotificationSettings(trx: Transaction<Database>, caller: TenantScope, patch: Partial<NotificationSettings>): Promise<NotificationSettings> {
  const before = await getNotificationSettings(trx);
  const after = { ...before, ...definedOnly(patch) };
  const columns = { quiet_start: after.quietStart, quiet_end: after.quietEnd, whatsapp_phone_number_id: after.whatsappPhoneNumberId, language: after.language, updated_at: new Date() };
  await unique(
    trx.insertInto('notification_settings').values({ gym_id: caller.gymId, ...columns }).onConflict((oc) => oc.column('gym_id').doUpdateSet(columns)).execute(),
    { notification_settings_phone_number: () => errors.conflict('Another gym already sends from that WhatsApp number') },
  );
  await appendAudit(trx, caller, { action: 'notification_settings.update', entity: 'gym', entityId: caller.gymId, old: before, new: after });
  return after;
}
