import type { Context } from '../context.js';

/**
 * Members in the building: an allowed check-in at this branch within the last `autoCheckoutHours`
 * with no check-out after it. Older check-ins count as checked out automatically.
 */
export function occupancy(ctx: Context, now = ctx.clock()): { count: number; since: string } {
  const { store, desk } = ctx;
  const since = new Date(now.getTime() - desk.settings.autoCheckoutHours * 3_600_000).toISOString();
  const row = store.first(
    store.db
      .selectFrom('checkins as c')
      .select((eb) => eb.fn.count<number>('c.member_id').distinct().as('n'))
      .where('c.at', '>=', since)
      .where('c.verdict', '=', 'allow')
      .where('c.branch_id', '=', desk.branch.id)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('checkouts as o').select('o.id').whereRef('o.member_id', '=', 'c.member_id').whereRef('o.at', '>=', 'c.at'))),
      ),
  );
  return { count: row?.n ?? 0, since };
}
