import type { LocalDate } from '@gymstack/shared';
import type { Transaction } from 'kysely';
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

/**
 * What each desk took on one business day, to count the drawer and match the UPI and card slips against:
 * per desk (the device that recorded the payment; `null` for the cloud's own), per shift, the cash total
 * and every UPI and card payment with its reference. A shift is one staff member's takings at one desk
 * that day: the payments grouped by who was signed in at the desk when each was recorded, from the first
 * to the last (a payment whose staff member the cloud does not know is a shift of its own, `staffId`
 * null). Anything not cash, UPI or card (online payments) is listed apart, as no drawer or slip holds it.
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

  const desks = new Map<string | null, ReconciliationDesk>();
  const totals = zero();
  for (const p of await query.execute()) {
    let desk = desks.get(p.device_id);
    if (!desk) {
      desk = { deviceId: p.device_id, deviceName: p.device_name, deviceCode: p.device_code, shifts: [], ...zero() };
      desks.set(p.device_id, desk);
    }
    const at = p.received_at.toISOString();
    let shift = desk.shifts.find((s) => s.staffId === p.staff_id);
    if (!shift) {
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
  return { date, desks: [...desks.values()], ...totals };
}
