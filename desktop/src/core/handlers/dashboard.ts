import { type LocalDate, addDays, receivedPaymentMethods } from '@gymstack/shared';
import { sql } from 'kysely';
import type { HandlerResult } from '../contract.js';
import type { Context } from '../context.js';
import { summariesOf } from '../domain/member-status.js';
import { occupancy } from '../domain/occupancy.js';
import { defineHandlers } from './types.js';

const DUES_LISTED = 50;

function checkinCounts(ctx: Context, today: LocalDate) {
  const { store } = ctx;
  const rows = store.all(
    store.db
      .selectFrom('checkins')
      .select((eb) => ['verdict', eb.fn.countAll<number>().as('n'), eb.fn.count<number>('member_id').distinct().as('members')])
      .where('on_date', '=', today)
      .where('branch_id', '=', ctx.desk.branch.id)
      .groupBy('verdict'),
  );
  const allowed = rows.find((r) => r.verdict === 'allow');
  return { allowed: allowed?.n ?? 0, denied: rows.find((r) => r.verdict === 'deny')?.n ?? 0, uniqueMembers: allowed?.members ?? 0 };
}

function revenue(ctx: Context, today: LocalDate): HandlerResult<'dashboard/today'>['revenue'] {
  const { store } = ctx;
  const rows = store.all(
    store.db
      .selectFrom('payments')
      .select((eb) => ['method', eb.fn.sum<number>('amount_paise').as('paise')])
      .where('received_on', '=', today)
      .where('deleted_at', 'is', null)
      .groupBy('method'),
  );
  const byMethod = Object.fromEntries(receivedPaymentMethods.map((m) => [m, rows.find((r) => r.method === m)?.paise ?? 0])) as Record<(typeof receivedPaymentMethods)[number], number>;
  return { ...byMethod, total: rows.reduce((sum, r) => sum + r.paise, 0) };
}

/** Month-day birthdays; in a non-leap year 29 February birthdays are greeted on the 28th. */
function birthdayKeys(today: LocalDate): string[] {
  const md = today.slice(5);
  return md === '02-28' && addDays(today, 1).endsWith('03-01') ? [md, '02-29'] : [md];
}

export const dashboardHandlers = defineHandlers({
  'dashboard/today': {
    access: 'frontdesk',
    run(ctx) {
      const { store, desk } = ctx;
      const { settings } = desk;
      const today = ctx.today();
      const summaries = (ids: readonly string[]) => summariesOf(store, ids, today, settings);

      // SQL narrows the candidates; the shared rules then decide, so the dashboard agrees with the door.
      const ending = store.all(
        store.db
          .selectFrom('memberships')
          .select('member_id')
          .distinct()
          .where('end_date', '>=', today)
          .where('end_date', '<=', addDays(today, settings.expiringWithinDays))
          .where('cancelled_at', 'is', null)
          .where('deleted_at', 'is', null),
      );
      const expiringSoon = summaries(ending.map((r) => r.member_id))
        .filter((m) => m.status.state === 'expiring')
        .sort((a, b) => a.status.daysLeft - b.status.daysLeft || a.fullName.localeCompare(b.fullName));

      const owing = store.all(
        store.db
          .selectFrom('memberships as m')
          .select('m.member_id')
          .distinct()
          .where('m.cancelled_at', 'is', null)
          .where('m.deleted_at', 'is', null)
          .where(sql<boolean>`m.price_paise > (select coalesce(sum(p.amount_paise), 0) from payments p where p.membership_id = m.id and p.deleted_at is null)`),
      );
      const withDues = summaries(owing.map((r) => r.member_id))
        .filter((m) => m.status.duePaise > 0)
        .sort((a, b) => b.status.duePaise - a.status.duePaise);

      const born = store.all(
        store.db
          .selectFrom('members')
          .select('id')
          .where(sql`substr(date_of_birth, 6)`, 'in', birthdayKeys(today))
          .where('deleted_at', 'is', null),
      );

      return {
        date: today,
        checkins: checkinCounts(ctx, today),
        occupancy: occupancy(ctx).count,
        revenue: revenue(ctx, today),
        expiringSoon,
        dues: { count: withDues.length, totalPaise: withDues.reduce((sum, m) => sum + m.status.duePaise, 0), members: withDues.slice(0, DUES_LISTED) },
        birthdays: summaries(born.map((r) => r.id)).sort((a, b) => a.fullName.localeCompare(b.fullName)),
      };
    },
  },
});
