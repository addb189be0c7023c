import { type LocalDate, localDateAt } from '@gymstack/shared';
import type { Selectable, Transaction } from 'kysely';
import type { Database, GymTable } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';
import { appendAudit } from './audit.js';
import { definedOnly } from './patch.js';
import type { GymConfig, GymConfigPatch, GymSettings } from './schemas.js';

export type GymRow = Selectable<GymTable>;

/** The caller's gym (RLS shows no other), with what the business rules need: its clock and settings. */
export interface GymContext {
  gym: GymRow;
  settings: GymSettings;
  now: Date;
  /** The business date in the gym's time zone. */
  today: LocalDate;
}

export async function loadGym(trx: Transaction<Database>): Promise<GymContext> {
  return gymAt(await trx.selectFrom('gyms').selectAll().executeTakeFirstOrThrow(), new Date());
}

/** The context of a gym row already read, at `now`. */
export function gymAt(gym: GymRow, now: Date): GymContext {
  return { gym, settings: settingsOf(gym), now, today: localDateAt(now, gym.time_zone) };
}

const settingsOf = (gym: GymRow): GymSettings => ({
  antiPassbackMinutes: gym.anti_passback_minutes,
  autoCheckoutHours: gym.auto_checkout_hours,
  duesBlockPaise: gym.dues_block_paise,
  graceDays: gym.grace_days,
  expiringWithinDays: gym.expiring_within_days,
});

const toConfig = (gym: GymRow): GymConfig => ({
  id: gym.id,
  name: gym.name,
  legalName: gym.legal_name,
  gstin: gym.gstin,
  address: gym.address,
  stateCode: gym.state_code,
  phone: gym.phone,
  timeZone: gym.time_zone,
  currency: gym.currency,
  locale: gym.locale,
  ...settingsOf(gym),
});

export async function getGymConfig(trx: Transaction<Database>): Promise<GymConfig> {
  return toConfig((await loadGym(trx)).gym);
}

/** Field merge: what the patch leaves out stays as it is. */
export async function updateGymConfig(trx: Transaction<Database>, caller: TenantScope, patch: GymConfigPatch): Promise<GymConfig> {
  const before = await getGymConfig(trx);
  const columns = {
    name: patch.name,
    legal_name: patch.legalName,
    gstin: patch.gstin,
    address: patch.address,
    state_code: patch.stateCode,
    phone: patch.phone,
    time_zone: patch.timeZone,
    anti_passback_minutes: patch.antiPassbackMinutes,
    auto_checkout_hours: patch.autoCheckoutHours,
    dues_block_paise: patch.duesBlockPaise,
    grace_days: patch.graceDays,
    expiring_within_days: patch.expiringWithinDays,
  };
  const gym = await trx
    .updateTable('gyms')
    .set({ ...definedOnly(columns), updated_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
  const after = toConfig(gym);
  await appendAudit(trx, caller, { action: 'gym.update', entity: 'gym', entityId: gym.id, old: before, new: after });
  return after;
}
