import type { ShapeStreamOptions, Value } from '@electric-sql/client';

/**
 * How each cloud table the desk reads (one Electric shape each, DESIGN 6) lands in the desk database.
 * Column names match on both sides; `columns` lists the ones the desk keeps (the cloud sends more, e.g.
 * a branch's phone or a credential's encrypted template, which the desk does not use yet).
 */
export interface SyncedTable {
  /** The cloud table, which names the shape. */
  shape: string;
  /** The desk table it fills. */
  desk: 'gym' | 'branches' | 'plans' | 'members' | 'memberships' | 'freezes' | 'payments' | 'invoices' | 'checkins' | 'checkouts' | 'member_credentials' | 'staff';
  columns: readonly string[];
  /**
   * Append-only on both sides (DESIGN 3): the cloud rows have only `created_at`, are never updated, and
   * replace the desk's own copy whole when they arrive.
   */
  appendOnly?: true;
}

const stamps = ['created_at', 'updated_at', 'deleted_at'] as const;
const tenant = ['gym_id', ...stamps] as const;

/** In the order a first sync reads them: the gym and its people before what refers to them. */
export const SYNCED_TABLES: readonly SyncedTable[] = [
  { shape: 'gyms', desk: 'gym', columns: ['name', 'legal_name', 'gstin', 'address', 'state_code', 'phone', 'time_zone', 'currency', 'locale', ...stamps] },
  { shape: 'branches', desk: 'branches', columns: ['name', 'address', ...tenant] },
  { shape: 'staff', desk: 'staff', columns: ['name', 'role', 'pin_hash', 'active', ...tenant] },
  { shape: 'plans', desk: 'plans', columns: ['name', 'duration', 'price_paise', 'tax_inclusive', 'gst_rate_bps', 'sac', 'access', 'max_freeze_days', 'pt_sessions', 'active', ...tenant] },
  {
    shape: 'members',
    desk: 'members',
    columns: ['branch_id', 'code', 'full_name', 'phone', 'email', 'date_of_birth', 'gender', 'emergency_contact', 'medical_notes', 'goal', 'source', 'state_code', ...tenant],
  },
  { shape: 'member_credentials', desk: 'member_credentials', columns: ['member_id', 'kind', 'value', 'template', 'key_id', 'consented_at', ...tenant] },
  {
    shape: 'memberships',
    desk: 'memberships',
    columns: ['branch_id', 'member_id', 'plan_id', 'plan', 'start_date', 'end_date', 'price_paise', 'discount_paise', 'cancelled_at', 'cancel_reason', ...tenant],
  },
  { shape: 'freezes', desk: 'freezes', columns: ['membership_id', 'from_date', 'to_date', 'reason', ...tenant] },
  {
    shape: 'payments',
    desk: 'payments',
    columns: ['branch_id', 'member_id', 'membership_id', 'method', 'reference', 'amount_paise', 'received_at', 'received_on', 'staff_id', 'device_id', 'invoice_id', 'gym_id', 'created_at'],
    appendOnly: true,
  },
  {
    shape: 'invoices',
    desk: 'invoices',
    columns: [
      'branch_id',
      'series_id',
      'number',
      'payment_id',
      'member_id',
      'membership_id',
      'issued_on',
      'issued_at',
      'sac',
      'rate_bps',
      'place_of_supply',
      'taxable_paise',
      'cgst_paise',
      'sgst_paise',
      'igst_paise',
      'total_paise',
      'snapshot',
      'gym_id',
      'created_at',
    ],
    appendOnly: true,
  },
  { shape: 'checkins', desk: 'checkins', columns: ['branch_id', 'member_id', 'method', 'verdict', 'reason', 'at', 'on_date', 'device_id', 'staff_id', 'gym_id', 'created_at'], appendOnly: true },
  { shape: 'checkouts', desk: 'checkouts', columns: ['branch_id', 'member_id', 'at', 'device_id', 'staff_id', 'gym_id', 'created_at'], appendOnly: true },
];

/** The gym row also carries the front-desk rules (cloud `gyms`), which the desk keeps in its settings. */
export const GYM_RULE_COLUMNS = ['anti_passback_minutes', 'auto_checkout_hours', 'dues_block_paise', 'grace_days', 'expiring_within_days'] as const;

/** Desk roles: trainers and staff without a PIN never log in at a desk, so the desk does not keep them. */
export const DESK_ROLES: readonly string[] = ['frontdesk', 'manager', 'owner'];

/** A cloud `timestamptz` as text (`2026-11-21 04:30:00.123456+00`) as the desk stores instants (ISO, ms, Z). */
export function isoInstant(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?\+00$/.exec(text);
  if (!match) return new Date(text).toISOString();
  return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
}

/**
 * Values as the desk stores them, parsed by the shape's column types: booleans 0/1, integers as
 * numbers (paise fit a double exactly), instants ISO, JSON kept as its text, bytes as bytes.
 */
export const deskParser: NonNullable<ShapeStreamOptions['parser']> = {
  bool: (v: string) => (v === 't' ? 1 : 0),
  int2: (v: string) => Number(v),
  int4: (v: string) => Number(v),
  int8: (v: string) => Number(v),
  timestamptz: (v: string) => isoInstant(v),
  json: (v: string) => v,
  jsonb: (v: string) => v,
  // Postgres' hex text form, `\x…`: a sealed fingerprint template. The client's Value type has no bytes;
  // SQLite binds a Buffer as the blob the column holds.
  bytea: (v: string) => Buffer.from(v.slice(2), 'hex') as unknown as Value,
};
