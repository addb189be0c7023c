/** Stored rows to the contract's shapes: snake_case to camelCase, 0/1 to booleans, JSON text parsed. */
import type { Selectable } from 'kysely';
import type { Branch, Checkin, Freeze, Gym, Invoice, Member, Membership, Payment, Plan, PlanSnapshot, Staff } from '@gymstack/shared';
import type { Settings } from '../contract.js';
import type {
  BranchTable,
  CheckinTable,
  FreezeTable,
  GymTable,
  InvoiceTable,
  MemberTable,
  MembershipTable,
  PaymentTable,
  PlanTable,
  SettingsTable,
  StaffTable,
} from './schema.js';

type Row<T> = Selectable<T>;

export const toGym = (r: Row<GymTable>): Gym => ({
  id: r.id,
  name: r.name,
  legalName: r.legal_name,
  gstin: r.gstin,
  address: r.address,
  stateCode: r.state_code,
  phone: r.phone,
  timeZone: r.time_zone,
  currency: r.currency,
  locale: r.locale,
});

export const toBranch = (r: Row<BranchTable>): Branch => ({ id: r.id, gymId: r.gym_id, name: r.name, address: r.address });

export const toSettings = (r: Row<SettingsTable>): Settings => ({
  antiPassbackMinutes: r.anti_passback_minutes,
  autoCheckoutHours: r.auto_checkout_hours,
  duesBlockPaise: r.dues_block_paise,
  graceDays: r.grace_days,
  expiringWithinDays: r.expiring_within_days,
  invoicePrefix: r.invoice_prefix,
});

export const toStaff = (r: Pick<Row<StaffTable>, 'id' | 'name' | 'role' | 'active'>): Staff => ({
  id: r.id,
  name: r.name,
  role: r.role,
  active: r.active === 1,
});

export const toMember = (r: Row<MemberTable> & { has_photo: number }): Member => ({
  id: r.id,
  branchId: r.branch_id,
  code: r.code,
  fullName: r.full_name,
  phone: r.phone,
  email: r.email,
  dateOfBirth: r.date_of_birth,
  gender: r.gender,
  emergencyContact: r.emergency_contact === null ? null : (JSON.parse(r.emergency_contact) as Member['emergencyContact']),
  medicalNotes: r.medical_notes,
  goal: r.goal as Member['goal'],
  source: r.source as Member['source'],
  stateCode: r.state_code,
  hasPhoto: r.has_photo === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toPlan = (r: Row<PlanTable>): Plan => ({
  id: r.id,
  name: r.name,
  duration: JSON.parse(r.duration) as Plan['duration'],
  pricePaise: r.price_paise,
  taxInclusive: r.tax_inclusive === 1,
  gstRateBps: r.gst_rate_bps,
  sac: r.sac,
  access: JSON.parse(r.access) as Plan['access'],
  maxFreezeDays: r.max_freeze_days,
  ptSessions: r.pt_sessions,
  active: r.active === 1,
});

export const toMembership = (r: Row<MembershipTable>): Membership => ({
  id: r.id,
  memberId: r.member_id,
  planId: r.plan_id,
  plan: JSON.parse(r.plan) as PlanSnapshot,
  start: r.start_date,
  end: r.end_date,
  pricePaise: r.price_paise,
  discountPaise: r.discount_paise,
  cancelledAt: r.cancelled_at,
  cancelReason: r.cancel_reason,
  createdAt: r.created_at,
});

export const toFreeze = (r: Row<FreezeTable>): Freeze => ({
  id: r.id,
  membershipId: r.membership_id,
  from: r.from_date,
  to: r.to_date,
  reason: r.reason,
  createdAt: r.created_at,
});

export const toPayment = (r: Row<PaymentTable>): Payment => ({
  id: r.id,
  memberId: r.member_id,
  membershipId: r.membership_id,
  method: r.method,
  reference: r.reference,
  amountPaise: r.amount_paise,
  receivedAt: r.received_at,
  staffId: r.staff_id,
  invoiceId: r.invoice_id,
});

export const toInvoice = (r: Row<InvoiceTable>): Invoice => ({
  id: r.id,
  number: r.number,
  paymentId: r.payment_id,
  memberId: r.member_id,
  issuedOn: r.issued_on,
  issuedAt: r.issued_at,
  sac: r.sac,
  rateBps: r.rate_bps,
  placeOfSupply: r.place_of_supply,
  taxablePaise: r.taxable_paise,
  cgstPaise: r.cgst_paise,
  sgstPaise: r.sgst_paise,
  igstPaise: r.igst_paise,
  totalPaise: r.total_paise,
});

export const toCheckin = (r: Row<CheckinTable>): Checkin => ({
  id: r.id,
  memberId: r.member_id,
  branchId: r.branch_id,
  method: r.method,
  verdict: r.verdict,
  reason: r.reason as Checkin['reason'],
  at: r.at,
  deviceId: r.device_id,
  staffId: r.staff_id,
});
