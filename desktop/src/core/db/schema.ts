/**
 * Kysely's view of the desk database. Column names are snake_case as stored; `rows.ts` maps them to
 * the contract's camelCase shapes. Instants are ISO-8601 UTC text, business dates `YYYY-MM-DD`,
 * money integer paise, booleans 0/1, structured values JSON text.
 */
import type { ReceivedPaymentMethod } from '@gymstack/shared';

/** Columns every synced row carries (DESIGN 3: tenancy and soft delete). */
interface Synced {
  id: string;
  gym_id: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface GymTable {
  id: string;
  name: string;
  legal_name: string;
  gstin: string | null;
  address: string;
  state_code: string;
  phone: string | null;
  time_zone: string;
  currency: string;
  locale: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface BranchTable extends Synced {
  name: string;
  address: string | null;
}

export interface DeviceTable extends Synced {
  branch_id: string;
  name: string;
}

/** One row: this desk's settings (the desk is the device the database belongs to). */
export interface SettingsTable extends Synced {
  device_id: string;
  branch_id: string;
  anti_passback_minutes: number;
  auto_checkout_hours: number;
  dues_block_paise: number | null;
  grace_days: number;
  expiring_within_days: number;
  invoice_prefix: string;
  /** Last number handed out as a member code (`GS` + number). */
  member_code_seq: number;
}

export interface StaffTable extends Synced {
  name: string;
  role: 'frontdesk' | 'manager' | 'owner';
  pin_hash: string;
  active: 0 | 1;
  /** Local lockout state; never synced. */
  failed_pins: number;
  locked_until: string | null;
}

export interface MemberTable extends Synced {
  branch_id: string;
  code: string;
  full_name: string;
  phone: string;
  email: string | null;
  date_of_birth: string | null;
  gender: 'female' | 'male' | 'other' | null;
  emergency_contact: string | null;
  medical_notes: string | null;
  goal: string | null;
  source: string | null;
  state_code: string | null;
}

export interface MemberPhotoTable extends Synced {
  member_id: string;
  data_url: string;
}

export interface MemberCredentialTable extends Synced {
  member_id: string;
  kind: 'card' | 'finger' | 'qr';
  /** Card number; for a finger, the credential's own id (pages differ from desk to desk). */
  value: string;
  /** A fingerprint template sealed with the gym's template key (AES-256-GCM). */
  template: Buffer | null;
  key_id: string | null;
  consented_at: string | null;
}

/** Which fingerprint credential this desk's reader holds on which page. */
export interface FingerPageTable {
  page: number;
  credential_id: string;
  loaded_at: string;
}

/** The gym's keys, sealed with the desk's own secret. */
export interface GymKeyTable {
  kind: 'template' | 'pass';
  key_id: string;
  sealed: Buffer;
  /** The pass key's public half (SPKI DER). */
  public_key: Buffer | null;
}

export interface DeviceConfigTable {
  id: 1;
  /** JSON, as `deviceConfigSchema` reads it. */
  config: string;
  updated_at: string;
}

export interface PlanTable extends Synced {
  name: string;
  /** JSON `{unit, count}`. */
  duration: string;
  price_paise: number;
  tax_inclusive: 0 | 1;
  gst_rate_bps: number;
  sac: string;
  /** JSON access rules. */
  access: string;
  max_freeze_days: number;
  pt_sessions: number;
  active: 0 | 1;
}

export interface MembershipTable extends Synced {
  branch_id: string;
  member_id: string;
  plan_id: string;
  /** JSON plan snapshot at sale. */
  plan: string;
  start_date: string;
  /** Inclusive; already extended by freezes. */
  end_date: string;
  price_paise: number;
  discount_paise: number;
  cancelled_at: string | null;
  cancel_reason: string | null;
}

export interface FreezeTable extends Synced {
  membership_id: string;
  from_date: string;
  to_date: string;
  reason: string | null;
}

export interface PaymentTable extends Synced {
  branch_id: string;
  member_id: string;
  membership_id: string;
  method: ReceivedPaymentMethod;
  reference: string | null;
  amount_paise: number;
  received_at: string;
  /** Business date of `received_at` in the gym's zone, for day totals. */
  received_on: string;
  staff_id: string | null;
  /** null: recorded at the cloud (an online payment). */
  device_id: string | null;
  invoice_id: string;
}

export interface InvoiceTable extends Synced {
  branch_id: string;
  series_id: string;
  number: string;
  payment_id: string;
  member_id: string;
  membership_id: string;
  issued_on: string;
  issued_at: string;
  sac: string;
  rate_bps: number;
  place_of_supply: string;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
  total_paise: number;
  /** JSON: seller, buyer, plan and payment as printed, frozen at issue. */
  snapshot: string;
}

export interface InvoiceSeriesTable extends Synced {
  device_id: string;
  prefix: string;
  fy_start_year: number;
  last_seq: number;
}

export interface CheckinTable extends Synced {
  branch_id: string;
  member_id: string | null;
  method: 'finger' | 'qr' | 'card' | 'manual';
  verdict: 'allow' | 'deny';
  reason: string | null;
  at: string;
  /** Business date of `at`, for the day's counts. */
  on_date: string;
  /** null: recorded at the cloud's dashboard. */
  device_id: string | null;
  staff_id: string | null;
}

export interface CheckoutTable extends Synced {
  branch_id: string;
  member_id: string;
  at: string;
  device_id: string | null;
  staff_id: string | null;
}

export interface AuditLogTable {
  id: string;
  gym_id: string;
  staff_id: string | null;
  device_id: string;
  action: string;
  entity: string;
  entity_id: string;
  summary: string;
  at: string;
}

export interface OutboxTable {
  seq: number;
  device_id: string;
  mutation_id: string;
  name: string;
  args: string;
  created_at: string;
}

/** The pairing with the cloud (one row) and how far the cloud has acknowledged the outbox. */
export interface SyncLinkTable {
  id: 1;
  cloud_url: string;
  device_id: string;
  gym_id: string;
  branch_id: string;
  desk_code: string;
  /** The desk's Ed25519 private key, PKCS#8 PEM; its public half is registered with the cloud. */
  private_key: string;
  acked_seq: number;
  last_synced_at: string | null;
  paired_at: string;
}

/** The Electric handle and offset of each synced table's last applied up-to-date batch. */
export interface SyncShapeTable {
  table_name: string;
  handle: string;
  offset: string;
  updated_at: string;
}

/** A mutation the cloud refused, kept until a person resolves it. */
export interface SyncRejectionTable {
  mutation_id: string;
  seq: number;
  name: string;
  args: string;
  code: string;
  message: string;
  created_at: string;
  rejected_at: string;
  resolved_at: string | null;
  resolution: 'retry' | 'dismiss' | null;
}

export interface Database {
  gym: GymTable;
  branches: BranchTable;
  devices: DeviceTable;
  settings: SettingsTable;
  staff: StaffTable;
  members: MemberTable;
  member_photos: MemberPhotoTable;
  member_credentials: MemberCredentialTable;
  finger_pages: FingerPageTable;
  gym_keys: GymKeyTable;
  device_config: DeviceConfigTable;
  plans: PlanTable;
  memberships: MembershipTable;
  freezes: FreezeTable;
  payments: PaymentTable;
  invoices: InvoiceTable;
  invoice_series: InvoiceSeriesTable;
  checkins: CheckinTable;
  checkouts: CheckoutTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  sync_link: SyncLinkTable;
  sync_shapes: SyncShapeTable;
  sync_rejections: SyncRejectionTable;
  members_fts: MembersFtsTable;
}

/**
 * The FTS5 index over member name, phone suffixes and code (contentless; rowid = members.rowid).
 * The column named after the table is FTS5's whole-row MATCH target.
 */
export interface MembersFtsTable {
  rowid: number;
  members_fts: string;
  name: string;
  phone: string;
  code: string;
  rank: number;
}
