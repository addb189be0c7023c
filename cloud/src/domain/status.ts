import { type AccessRules, type DateRange, type LocalDate, type MemberStatus, deriveMembershipState, pickCurrentMembership } from '@gymstack/shared';
import { type Transaction, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { type GymSettings } from './schemas.js';

/** What a member's status is derived from, per membership; state itself is never stored (DESIGN 3). */
export interface MembershipFacts {
  id: string;
  memberId: string;
  planName: string;
  access: AccessRules;
  start: LocalDate;
  end: LocalDate;
  pricePaise: number;
  paidPaise: number;
  cancelledAt: string | null;
  freezes: DateRange[];
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

type StatusSettings = Pick<GymSettings, 'expiringWithinDays' | 'graceDays'>;

/** The member's status from the membership that governs today (shared rules), plus dues over every live membership. */
export function memberStatus(
  memberships: readonly MembershipFacts[],
  today: LocalDate,
  settings: StatusSettings,
): { status: MemberStatus; current: MembershipFacts | null } {
  const current = pickCurrentMembership(memberships, today);
  const duePaise = memberships.reduce((sum, m) => (m.cancelledAt === null ? sum + Math.max(0, m.pricePaise - m.paidPaise) : sum), 0);
  if (!current) return { status: { state: 'none', membershipId: null, planName: null, end: null, daysLeft: 0, duePaise }, current };
  const derived = deriveMembershipState({ ...current, today, expiringWithinDays: settings.expiringWithinDays, graceDays: settings.graceDays });
  return {
    status: { state: derived.state, membershipId: current.id, planName: current.planName, end: current.end, daysLeft: derived.daysLeft, duePaise },
    current,
  };
}
