import type { LocalDate } from '@gymstack/shared';
import { type Expression, type SqlBool, type Transaction, sql } from 'kysely';
import type { Access } from '../auth/permissions.js';
import type { Database } from '../db/schema.js';
import type { Reconciliation, ReconciliationDesk, ReconciliationShift } from './schemas.js';
import { inScope } from './scope.js';

type Totals = Pick<ReconciliationShift, 'cashPaise' | 'upiPaise' | 'cardPaise' | 'onlinePaise' | 'totalPaise'>;
const zero = (): Totals => ({ cashPaise: 0, upiPaise: 0, cardPaise: 0, onlinePaise: 0, totalPaise: 0 });

/** Where a payment is counted: the drawer, the UPI or card slips, or (any other method) online. */
type Head = 'cash' | 'upi' | 'card' | 'online';
const headOf = (method: string): Head => (method === 'cash' ? 'cash' : method === 'upi_offline' ? 'upi' : method === 'card_terminal' ? 'card' : 'online');

function add(totals: Totals, head: Head, amountPaise: number): void {
  totals[`${head}Paise`] += amountPaise;
  totals.totalPaise += amountPaise;
}

/** A voided number belongs to a desk, not a member: a branch grant reaches its desks', a grant per member none. */
function deskInScope(access: Access): Expression<SqlBool> {
  const { branchIds } = access.caller;
  if (access.scope === 'all' || (access.scope === 'branch' && branchIds.length === 0)) return sql<SqlBool>`true`;
  return access.scope === 'branch' ? sql<SqlBool>`devices.branch_id = any(${branchIds}::uuid[])` : sql<SqlBool>`false`;
}

/**
 * What each desk took on one business day, to count the drawer and match the UPI and card slips against:
 * per desk (the device that recorded the payment; `null` for the cloud's own), per shift, the cash total
 * and every UPI and card payment with its reference. A shift is one staff member's run at one desk: the
 * desk's payments in the order they were taken, a new shift starting whenever the next was taken by
 * someone else (who was signed in at the desk), so a drawer counted at each handover matches one shift; a
 * staff member back at the desk later starts another (a payment whose staff member the cloud does not
 * know belongs to a run of its own, `staffId` null). Anything not cash, UPI or card (online payments) is listed apart, as no drawer or slip holds it.
 * Each desk also lists the invoice numbers it printed that day on payments the cloud refused (voided,
 * see sync/push-apply.ts), with what the desk took: no payment here counts that money.
 */
export async function reconciliation(trx: Transaction<Database>, access: Access, date: LocalDate, deviceId?: string): Promise<Reconciliation> {
  let query = trx
    .selectFrom('payments')
    .innerJoin('invoices', (join) => join.onRef('invoices.gym_id', '=', 'payments.gym_id').onRef('invoices.id', '=', 'payments.invoice_id'))
    .leftJoin('devices', (join) => join.onRef('devices.gym_id', '=', 'payments.gym_id').onRef('devices.id', '=', 'payments.device_id'))
    .leftJoin('staff', (join) => join.onRef('staff.gym_id', '=', 'payments.gym_id').onRef('staff.id', '=', 'payments.staff_id'))
    .select([
      'payments.id',
      'payments.method',
      'payments.reference',
      'payments.amount_paise',
      'payments.received_at',
      'payments.device_id',
      'payments.staff_id',
      'invoices.number as invoice_number',
      'devices.name as device_name',
      'devices.code as device_code',
      'staff.name as staff_name',
    ])
    .where('payments.received_on', '=', date)
    .where(inScope(access, { member: 'payments.member_id', branch: 'payments.branch_id' }))
    .orderBy('payments.received_at')
    .orderBy('payments.id');
  if (deviceId) query = query.where('payments.device_id', '=', deviceId);
  let voids = trx
    .selectFrom('voided_invoice_numbers as v')
    .innerJoin('devices', (join) => join.onRef('devices.gym_id', '=', 'v.gym_id').onRef('devices.id', '=', 'v.device_id'))
    .select(['v.device_id', 'v.number', 'v.method', 'v.reference', 'v.amount_paise', 'v.received_at', 'v.error_code', 'v.error_message', 'v.created_at', 'devices.name as device_name', 'devices.code as device_code'])
    .where('v.received_on', '=', date)
    .where(deskInScope(access))
    .orderBy('v.received_at')
    .orderBy('v.number');
  if (deviceId) voids = voids.where('v.device_id', '=', deviceId);

  const desks = new Map<string | null, ReconciliationDesk>();
  const deskOf = (row: { device_id: string | null; device_name: string | null; device_code: string | null }): ReconciliationDesk => {
    let desk = desks.get(row.device_id);
    if (!desk) {
      desk = { deviceId: row.device_id, deviceName: row.device_name, deviceCode: row.device_code, shifts: [], voided: [], ...zero() };
      desks.set(row.device_id, desk);
    }
    return desk;
  };
  const totals = zero();
  for (const p of await query.execute()) {
    const desk = deskOf(p);
    const at = p.received_at.toISOString();
    let shift = desk.shifts.at(-1);
    if (shift?.staffId !== p.staff_id) {
      shift = { staffId: p.staff_id, staffName: p.staff_name, from: at, to: at, count: 0, upi: [], card: [], online: [], ...zero() };
      desk.shifts.push(shift);
    }
    shift.to = at;
    shift.count += 1;
    const head = headOf(p.method);
    const slip = { paymentId: p.id, reference: p.reference, amountPaise: p.amount_paise, invoiceNumber: p.invoice_number, receivedAt: at };
    if (head === 'online') shift.online.push({ ...slip, method: p.method });
    else if (head !== 'cash') shift[head].push(slip);
    for (const t of [shift, desk, totals]) add(t, head, p.amount_paise);
  }
  for (const v of await voids.execute()) {
    deskOf(v).voided.push({
      invoiceNumber: v.number,
      method: v.method,
      reference: v.reference,
      amountPaise: v.amount_paise,
      receivedAt: v.received_at.toISOString(),
      reason: { code: v.error_code, message: v.error_message },
      voidedAt: v.created_at.toISOString(),
    });
  }
  return { date, desks: [...desks.values()], ...totals };
}
