import { type AccessRules, type DateRange, type LocalDate, type MemberStatus, type MembershipFacts as StatusFacts, type StatusSettings } from '@gymstack/shared';
import { type Expression, type RawBuilder, type SqlBool, type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/** Status facts (shared) plus what the door also needs: the member and the plan's access rules. */
export interface MembershipFacts extends StatusFacts {
  memberId: string;
  access: AccessRules;
}

/**
 * The live memberships of the given members with their paid totals and freezes, in one query however
 * many members (no N+1), grouped by member.
 */
export async function loadFacts(trx: Transaction<Database>, memberIds: readonly string[]): Promise<Map<string, MembershipFacts[]>> {
  const byMember = new Map<string, MembershipFacts[]>();
  if (memberIds.length === 0) return byMember;
  const rows = await trx
    .selectFrom('memberships as m')
    .select([
      'm.id',
      'm.member_id',
      'm.start_date',
      'm.end_date',
      'm.price_paise',
      'm.cancelled_at',
      sql<string>`m.plan->>'name'`.as('plan_name'),
      sql<AccessRules>`m.plan->'access'`.as('access'),
      sql<number>`(select coalesce(sum(p.amount_paise), 0)::bigint from payments p where p.gym_id = m.gym_id and p.membership_id = m.id)`.as('paid_paise'),
      sql<DateRange[]>`coalesce((select json_agg(json_build_object('from', f.from_date, 'to', f.to_date)) from freezes f
        where f.gym_id = m.gym_id and f.membership_id = m.id and f.deleted_at is null), '[]')`.as('freezes'),
    ])
    .where('m.member_id', '=', sql<string>`any(${memberIds}::uuid[])`)
    .where('m.deleted_at', 'is', null)
    .execute();
  for (const r of rows) {
    const facts: MembershipFacts = {
      id: r.id,
      memberId: r.member_id,
      planName: r.plan_name,
      access: r.access,
      start: r.start_date,
      end: r.end_date,
      pricePaise: r.price_paise,
      paidPaise: r.paid_paise,
      cancelledAt: r.cancelled_at?.toISOString() ?? null,
      freezes: r.freezes,
    };
    const list = byMember.get(r.member_id);
    if (list) list.push(facts);
    else byMember.set(r.member_id, [facts]);
  }
  return byMember;
}


/** Filters on derived status (the member list's `status`, `hasDues`, `expiringWithinDays`). */
export interface DerivedStatusFilter {
  status?: MemberStatus['state'] | undefined;
  hasDues?: boolean | undefined;
  expiringWithinDays?: number | undefined;
}

/**
 * The derived-status filters as SQL conditions on `members.id`, so a filtered list is cut and counted
 * by Postgres instead of deriving every member's status in memory (issue 3, `cloud.members_list_rps`).
 * Nothing is stored: the state is computed in the query from the same rows `loadFacts` reads.
 *
 * The SQL restates the shared rules, and must agree with them exactly (the API suite checks every
 * filter against `memberStatus` over randomly generated memberships):
 * - `pickCurrentMembership`: among live (uncancelled) memberships, or all when every one is cancelled,
 *   the one covering today with the latest end, else the next to start, else the latest ended; then
 *   the smaller id. Here: DISTINCT ON per member in that order.
 * - `deriveMembershipState` of that membership: cancelled, frozen (a live freeze covers today), pending,
 *   expiring / active (days left against `expiringWithinDays`), grace (`graceDays`), expired.
 * - `none`: no live membership row at all; dues: the sum over uncancelled memberships of price − paid,
 *   each floored at zero.
 * The page's statuses themselves are still derived by `memberStatus`.
 */
export function derivedStatusConditions(filter: DerivedStatusFilter, today: LocalDate, settings: StatusSettings): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  const { status, hasDues, expiringWithinDays } = filter;
  const day = sql`${today}::date`;
  if (status === 'none') {
    conditions.push(sql<SqlBool>`not exists (select 1 from memberships ms where ms.member_id = members.id and ms.deleted_at is null)`);
  }
  const onCurrent: RawBuilder<SqlBool>[] = [];
  if (status !== undefined && status !== 'none') onCurrent.push(sql<SqlBool>`cur.state = ${status}`);
  if (expiringWithinDays !== undefined) {
    onCurrent.push(sql<SqlBool>`cur.state in ('active', 'expiring') and cur.end_date - ${day} <= ${expiringWithinDays}::int`);
  }
  if (onCurrent.length > 0) {
    const rank = sql`case when ${day} < ms.start_date then 1 when ${day} <= ms.end_date then 0 else 2 end`;
    conditions.push(sql<SqlBool>`members.id in (
      select cur.member_id from (
        select c.member_id, c.end_date, case
            when c.cancelled_at is not null then 'cancelled'
            when exists (select 1 from freezes f where f.gym_id = c.gym_id and f.membership_id = c.id and f.deleted_at is null
                           and f.from_date <= ${day} and ${day} <= f.to_date) then 'frozen'
            when ${day} < c.start_date then 'pending'
            when c.end_date >= ${day} then case when c.end_date - ${day} <= ${settings.expiringWithinDays}::int then 'expiring' else 'active' end
            when ${day} - c.end_date <= ${settings.graceDays}::int then 'grace'
            else 'expired'
          end as state
        from (
          select distinct on (ms.member_id) ms.gym_id, ms.id, ms.member_id, ms.start_date, ms.end_date, ms.cancelled_at
          from memberships ms
          where ms.deleted_at is null
          order by ms.member_id, ms.cancelled_at is not null, ${rank},
            case when ${day} < ms.start_date then ms.start_date end,
            case when ${day} >= ms.start_date then ms.end_date end desc,
            ms.id
        ) c
      ) cur
      where ${sql.join(onCurrent, sql` and `)})`);
  }
  if (hasDues !== undefined) {
    const owing = sql`select ms.member_id from memberships ms
      where ms.deleted_at is null and ms.cancelled_at is null
      group by ms.member_id
      having sum(greatest(0, ms.price_paise - (select coalesce(sum(p.amount_paise), 0) from payments p
                                                 where p.gym_id = ms.gym_id and p.membership_id = ms.id))) > 0`;
    conditions.push(hasDues ? sql<SqlBool>`members.id in (${owing})` : sql<SqlBool>`members.id not in (${owing})`);
  }
  return conditions;
}
