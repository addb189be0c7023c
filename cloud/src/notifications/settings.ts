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
  const gym = await trx.selectFrom('gyms').select(['name', 'time_zone', 'plan_limits']).executeTakeFirstOrThrow();
  const settings = await trx.selectFrom('notification_settings').selectAll().executeTakeFirst();
  return {
    gymName: gym.name,
    timeZone: gym.time_zone,
    quiet: settings ? { start: settings.quiet_start, end: settings.quiet_end } : DEFAULT_QUIET_HOURS,
    phoneNumberId: settings?.whatsapp_phone_number_id ?? null,
    language: settings?.language ?? 'en',
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
