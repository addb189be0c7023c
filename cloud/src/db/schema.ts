import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

/**
 * Kysely's view of the cloud database (migrations/). Columns are snake_case as stored. Ids are UUIDv7
 * strings made where the row is born; money is integer paise (bigint, read as number: see pool.ts);
 * business dates are `YYYY-MM-DD` strings; instants are `Date`s on read and Date or ISO text on write.
 */

type Instant = ColumnType<Date, Date | string, Date | string>;
type DefaultInstant = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T, T>;

/** Columns of every mutable synced row: tenancy and soft delete (DESIGN 3). */
interface Mutable {
  gym_id: string;
  id: string;
  created_at: DefaultInstant;
  updated_at: DefaultInstant;
  deleted_at: Instant | null;
}

/**
 * Rows with only a creation instant: the append-only tables (payments, invoices, check-ins,
 * check-outs; never updated or deleted) and short-lived auth rows that are only marked used or revoked.
 */
interface Born {
  gym_id: string;
  id: string;
  created_at: DefaultInstant;
}

/** The seed's staff roles. (Shared `staffRoles` are the desk's, where trainers never log in.) */
export type StaffRole = 'owner' | 'manager' | 'frontdesk' | 'trainer';

export interface PlanLimits {
  max_members: number;
  max_staff: number;
  max_branches: number;
  whatsapp_messages_per_month: number;
}

export interface GymTable {
  id: string;
  name: string;
  legal_name: string;
  gstin: string | null;
  address: string;
  state_code: string;
  phone: string | null;
  time_zone: Generated<string>;
  currency: Generated<string>;
  locale: Generated<string>;
  plan_limits: ColumnType<PlanLimits, PlanLimits | undefined, PlanLimits>;
  /** Front-desk rules, as the desk's settings: the same check-in verdict and derived state everywhere. */
  anti_passback_minutes: Generated<number>;
  auto_checkout_hours: Generated<number>;
  /** Deny check-in when dues exceed this; null never blocks. */
  dues_block_paise: ColumnType<number | null, number | null | undefined, number | null>;
  grace_days: Generated<number>;
  expiring_within_days: Generated<number>;
  /** The last number behind a member code the cloud assigned (`WB1001`, ...). */
  member_code_seq: Generated<number>;
  created_at: DefaultInstant;
  updated_at: DefaultInstant;
  deleted_at: Instant | null;
}

export interface BranchTable extends Mutable {
  name: string;
  address: string | null;
  phone: string | null;
}

export interface StaffTable extends Mutable {
  name: string;
  email: string | null;
  phone: string | null;
  /** argon2id PHC string; null until a password is set. */
  password_hash: string | null;
  /** The desk PIN's argon2id hash, synced to the desks. */
  pin_hash: string | null;
  role: StaffRole;
  /** Branches this person works at; empty means every branch. */
  branch_ids: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  /** Sessions issued before this instant are void. */
  password_changed_at: Instant | null;
  /** Access tokens carry it; a trigger bumps it when role, branches, password, active or deletion change. */
  token_version: Generated<number>;
}

export interface TrainerAssignmentTable extends Mutable {
  trainer_id: string;
  member_id: string;
  started_at: DefaultInstant;
  ended_at: Instant | null;
}

export interface MemberTable extends Mutable {
  branch_id: string;
  code: string;
  full_name: string;
  phone: string;
  email: string | null;
  date_of_birth: string | null;
  gender: 'female' | 'male' | 'other' | null;
  emergency_contact: Json<{ name: string; phone: string }> | null;
  medical_notes: string | null;
  goal: string | null;
  source: string | null;
  state_code: string | null;
}

export interface MemberCredentialTable extends Mutable {
  member_id: string;
  kind: 'card' | 'finger' | 'qr';
  /** Card number, fingerprint page id or QR key id. */
  value: string;
  /** The fingerprint template, encrypted with the key named by key_id; never shown on a dashboard. */
  template: Buffer | null;
  key_id: string | null;
  consented_at: Instant | null;
}

export interface PlanTable extends Mutable {
  name: string;
  duration: Json<{ unit: 'days' | 'months'; count: number }>;
  price_paise: number;
  tax_inclusive: boolean;
  gst_rate_bps: number;
  sac: string;
  access: Json<unknown>;
  max_freeze_days: number;
  pt_sessions: number;
  active: Generated<boolean>;
}

export interface MembershipTable extends Mutable {
  branch_id: string;
  member_id: string;
  plan_id: string;
  /** The plan as sold (shared `planSnapshotSchema`); later plan edits never change it. */
  plan: Json<unknown>;
  start_date: string;
  end_date: string;
  price_paise: number;
  discount_paise: Generated<number>;
  cancelled_at: Instant | null;
  cancel_reason: string | null;
}

export interface FreezeTable extends Mutable {
  membership_id: string;
  from_date: string;
  to_date: string;
  reason: string | null;
}

/** A paired desk. */
export interface DeviceTable extends Mutable {
  branch_id: string;
  name: string;
  /**
   * The desk code, unique among the gym's live desks (`D1`, `D2`, ...; `^[A-Z0-9]{1,5}$`), allocated at
   * pairing (migration 2026_11_23_0001_desk_codes): the desk's invoice series prefix and the prefix of the
   * member codes it hands out offline.
   */
  code: string;
  /** Raw 32-byte Ed25519 public key the desk proves possession of. */
  public_key: Buffer;
  /** The last outbox seq applied from this desk (DESIGN 6). */
  last_seq: ColumnType<number, number | undefined, number>;
  paired_at: DefaultInstant;
  last_seen_at: Instant | null;
  revoked_at: Instant | null;
  /** The newest signed timestamp (ms) the desk proved its key with; the next proof must be newer. */
  proof_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface PairingCodeTable extends Born {
  branch_id: string;
  code_hash: Buffer;
  created_by: string;
  expires_at: Instant;
  used_at: Instant | null;
  device_id: string | null;
}

export interface RefreshTokenTable extends Born {
  family_id: string;
  subject_kind: 'staff' | 'member' | 'device';
  subject_id: string;
  token_hash: Buffer;
  expires_at: Instant;
  rotated_at: Instant | null;
  revoked_at: Instant | null;
}

export interface MemberOtpTable extends Born {
  phone: string;
  code_hash: Buffer;
  attempts: Generated<number>;
  expires_at: Instant;
  consumed_at: Instant | null;
}

export interface InvoiceSeriesTable extends Mutable {
  /** null: the cloud's own series, for online payments. */
  device_id: string | null;
  prefix: string;
  fy_start_year: number;
  last_seq: Generated<number>;
}

export interface PaymentTable extends Born {
  branch_id: string;
  member_id: string;
  membership_id: string;
  /** `razorpay`: recorded from Razorpay's webhook, its payment id as the reference. */
  method: 'cash' | 'upi_offline' | 'card_terminal' | 'razorpay';
  reference: string | null;
  amount_paise: number;
  received_at: Instant;
  received_on: string;
  staff_id: string | null;
  device_id: string | null;
  invoice_id: string;
}

export interface InvoiceTable extends Born {
  branch_id: string;
  series_id: string;
  number: string;
  payment_id: string;
  member_id: string;
  membership_id: string;
  issued_on: string;
  issued_at: Instant;
  sac: string;
  rate_bps: number;
  place_of_supply: string;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
  total_paise: number;
  snapshot: Json<unknown>;
}

export interface CheckinTable extends Born {
  branch_id: string;
  member_id: string | null;
  method: 'finger' | 'qr' | 'card' | 'manual';
  verdict: 'allow' | 'deny';
  reason: string | null;
  at: Instant;
  on_date: string;
  device_id: string | null;
  staff_id: string | null;
}

export interface CheckoutTable extends Born {
  branch_id: string;
  member_id: string;
  at: Instant;
  device_id: string | null;
  staff_id: string | null;
}

export interface AuditLogTable {
  gym_id: string;
  id: string;
  at: DefaultInstant;
  actor_id: string | null;
  actor_role: StaffRole | 'member' | 'desk' | 'system' | null;
  device_id: string | null;
  ip: string | null;
  /** e.g. `member.create`, `payment.record`. */
  action: string;
  entity: string;
  entity_id: string | null;
  old: Json<unknown> | null;
  new: Json<unknown> | null;
  /** The member the row is about (the member's own rows, or a snapshot's memberId); set by Postgres (migration 2026_11_22_0003). */
  about_member: GeneratedAlways<string | null>;
}

export interface Database {
  gyms: GymTable;
  branches: BranchTable;
  staff: StaffTable;
  trainer_assignments: TrainerAssignmentTable;
  members: MemberTable;
  member_credentials: MemberCredentialTable;
  plans: PlanTable;
  memberships: MembershipTable;
  freezes: FreezeTable;
  devices: DeviceTable;
  pairing_codes: PairingCodeTable;
  refresh_tokens: RefreshTokenTable;
  member_otps: MemberOtpTable;
  invoice_series: InvoiceSeriesTable;
  payments: PaymentTable;
  invoices: InvoiceTable;
  checkins: CheckinTable;
  checkouts: CheckoutTable;
  audit_log: AuditLogTable;
}

/** A desk's sync high-water mark (migration 2026_11_22_0006_sync_push). */
export interface DeviceSyncStateTable {
  gym_id: string;
  device_id: string;
  last_seq: Generated<number>;
  schema_version: number;
  created_at: DefaultInstant;
  updated_at: DefaultInstant;
}

/** The outcome of each mutation a desk pushed; append-only. */
export interface SyncMutationTable {
  gym_id: string;
  mutation_id: string;
  device_id: string;
  seq: number;
  name: string;
  args: Json<unknown>;
  status: 'applied' | 'rejected';
  error_code: string | null;
  error_message: string | null;
  desk_created_at: Instant;
  applied_at: DefaultInstant;
}

// Declaration merging: the sync tables join the one Database interface above.
export interface Database {
  device_sync_state: DeviceSyncStateTable;
  sync_mutations: SyncMutationTable;
}

/**
 * A gym's key (migration 2026_11_24_0001_gym_keys): `sealed` is the secret sealed with the cloud's
 * key-encryption key (context `${gym_id}:${kind}:${key_id}`); `public_key` is a pass key's SPKI DER.
 */
export interface GymKeyTable {
  gym_id: string;
  kind: 'template' | 'pass';
  key_id: string;
  sealed: Buffer;
  public_key: Buffer | null;
  created_at: DefaultInstant;
}

export interface Database {
  gym_keys: GymKeyTable;
}

/** An invoice's PDF as first downloaded (migration 2026_11_25_0003_invoice_documents); append-only. */
export interface InvoiceDocumentTable {
  gym_id: string;
  invoice_id: string;
  pdf: Buffer;
  created_at: DefaultInstant;
}

export interface Database {
  invoice_documents: InvoiceDocumentTable;
}

/** How many times an invoice's share links were revoked (migration 2026_11_28_0002); no row means none. */
export interface InvoiceLinkGenerationTable {
  gym_id: string;
  invoice_id: string;
  generation: number;
  revoked_at: Instant;
}

export interface Database {
  invoice_link_generations: InvoiceLinkGenerationTable;
}

/**
 * A desk's invoice number taken into its series as void because the cloud refused the payment it was
 * printed on (migration 2026_11_28_0004_voided_invoice_numbers); append-only. `created_at`: when voided.
 */
export interface VoidedInvoiceNumberTable extends Born {
  series_id: string;
  number: string;
  device_id: string;
  /** The pushed mutation that carried the number, and its outbox seq. */
  mutation_id: string | null;
  seq: number | null;
  /** What the desk recorded with the number. */
  method: 'cash' | 'upi_offline' | 'card_terminal';
  reference: string | null;
  amount_paise: number;
  received_at: Instant;
  received_on: string;
  /** Why the cloud refused the payment. */
  error_code: string;
  error_message: string;
}

export interface Database {
  voided_invoice_numbers: VoidedInvoiceNumberTable;
}

/** A gym's messaging settings (migration 2026_11_25_0002_notifications); no row means the defaults. */
export interface NotificationSettingsTable {
  gym_id: string;
  /** Quiet hours, local `HH:MM`; the end is also when the daily reminder scan runs. */
  quiet_start: Generated<string>;
  quiet_end: Generated<string>;
  /** The gym's own WhatsApp number id: how a provider webhook finds the gym. */
  whatsapp_phone_number_id: ColumnType<string | null, string | null | undefined, string | null>;
  language: Generated<string>;
  /** The local date of the last daily reminder scan. */
  scanned_on: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: DefaultInstant;
}

/** One WhatsApp message: the outbox row and its delivery history. */
export interface NotificationTable {
  gym_id: string;
  id: string;
  member_id: string;
  template: string;
  /** The local date it is for; with template, member and ref, the dedupe key. */
  due_on: string;
  ref: Generated<string>;
  /** The membership end date an end-date reminder is about. */
  end_date: string | null;
  /** The template's variables (jsonb). */
  data: Json<unknown>;
  status: ColumnType<'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'dead' | 'simulated' | 'cancelled' | 'skipped', 'queued' | undefined, 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'dead' | 'simulated' | 'cancelled' | 'skipped'>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  attempts: Generated<number>;
  send_after: Instant;
  /** The pg-boss send job it is handed to; a lease with updated_at. */
  job_id: ColumnType<string | null, string | null | undefined, string | null>;
  provider: ColumnType<'whatsapp_cloud' | 'gupshup' | 'simulated' | null, undefined, 'whatsapp_cloud' | 'gupshup' | 'simulated' | null>;
  provider_message_id: ColumnType<string | null, undefined, string | null>;
  to_phone: ColumnType<string | null, undefined, string | null>;
  body: ColumnType<string | null, undefined, string | null>;
  sent_at: ColumnType<Date | null, undefined, Date | string | null>;
  /** The local date it went out: the monthly quota counts by it. */
  sent_on: ColumnType<string | null, undefined, string | null>;
  delivered_at: ColumnType<Date | null, undefined, Date | string | null>;
  read_at: ColumnType<Date | null, undefined, Date | string | null>;
  created_at: DefaultInstant;
  updated_at: DefaultInstant;
}

/** A phone that replied STOP to the gym's WhatsApp number. */
export interface NotificationOptOutTable {
  gym_id: string;
  phone: string;
  opted_out_at: DefaultInstant;
}

export interface Database {
  notification_settings: NotificationSettingsTable;
  notifications: NotificationTable;
  notification_opt_outs: NotificationOptOutTable;
}

/** A gym's Razorpay account (migration 2026_11_25_0001_online_payments); both secrets sealed with the cloud's key-encryption key. */
export interface RazorpayAccountTable {
  gym_id: string;
  key_id: string;
  key_secret_sealed: Buffer;
  webhook_secret_sealed: Buffer;
  created_at: DefaultInstant;
  updated_at: DefaultInstant;
}

/** An order or payment link the cloud made for a member's purchase (`sell`) or renewal (`renew`). */
export interface RazorpayOrderTable {
  gym_id: string;
  id: string;
  kind: 'order' | 'payment_link';
  sale: 'sell' | 'renew';
  branch_id: string;
  member_id: string;
  plan_id: string;
  /** The plan as quoted (migration 2026_11_28_0003), sold as is when paid; null on older orders. */
  plan: Json<unknown> | null;
  amount_paise: number;
  currency: string;
  status: 'created' | 'simulated' | 'paid';
  /** `order_…` or `plink_…`; null when simulated (the gym has no Razorpay account). */
  razorpay_id: string | null;
  /** The order Razorpay made behind a payment link, learned from its `payment_link.paid`. */
  razorpay_order_id: string | null;
  short_url: string | null;
  payment_id: string | null;
  membership_id: string | null;
  created_by: string | null;
  created_at: DefaultInstant;
  updated_at: DefaultInstant;
}

export interface RazorpayWebhookEventTable {
  gym_id: string;
  event_id: string;
  type: string;
  outcome: 'received' | 'applied' | 'unmatched' | 'review' | 'ignored';
  razorpay_payment_id: string | null;
  payload: Json<unknown>;
  received_at: DefaultInstant;
}

/** A payment the webhook refused to apply; append-only. */
export interface PaymentReviewTable {
  gym_id: string;
  id: string;
  event_id: string;
  reason: 'amount_mismatch' | 'currency_mismatch' | 'order_mismatch' | 'not_applicable';
  message: string;
  razorpay_payment_id: string;
  razorpay_order_id: string | null;
  order_id: string | null;
  amount_paise: number;
  currency: string;
  created_at: DefaultInstant;
}

export interface RefundTable {
  gym_id: string;
  id: string;
  payment_id: string;
  amount_paise: number;
  reason: string | null;
  /** `requested` while Razorpay is asked (or did not answer); `failed` when it refused. */
  status: 'requested' | 'pending' | 'processed' | 'failed';
  razorpay_refund_id: string | null;
  staff_id: string | null;
  /** Razorpay's reason for refusing a `failed` refund. */
  error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: DefaultInstant;
  updated_at: DefaultInstant;
}

/** The GST credit note of a refund, referencing the payment's invoice; append-only. */
export interface CreditNoteTable extends Born {
  branch_id: string;
  series_id: string;
  number: string;
  refund_id: string;
  invoice_id: string;
  member_id: string;
  issued_on: string;
  issued_at: Instant;
  rate_bps: number;
  place_of_supply: string;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  igst_paise: number;
  total_paise: number;
}

export interface Database {
  razorpay_accounts: RazorpayAccountTable;
  razorpay_orders: RazorpayOrderTable;
  razorpay_webhook_events: RazorpayWebhookEventTable;
  payment_reviews: PaymentReviewTable;
  refunds: RefundTable;
  credit_notes: CreditNoteTable;
}
