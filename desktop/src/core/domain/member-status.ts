import { type AccessRules, type DateRange, type LocalDate, type MembershipFacts as StatusFacts, type StatusSettings, memberStatus } from '@gymstack/shared';
import { type Kysely, sql } from 'kysely';
import type { MemberStatus, MemberSummary } from '../contract.js';
import { type Param, defineQuery } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import type { Store } from '../db/store.js';

/** Status facts plus what the door also needs: the plan's access rules. */
export interface MembershipFacts extends StatusFacts {
  memberId: string;
  access: AccessRules;
}

/** The columns status is derived from, per live membership (paid total and freezes included). */
const factsQuery = (db: Kysely<Database>) =>
  db
    .selectFrom('memberships as m')
    .select([
      'm.id',
      'm.member_id',
      'm.start_date',
      'm.end_date',
      'm.price_paise',
      'm.cancelled_at',
      sql<string>`json_extract(m.plan, '$.name')`.as('plan_name'),
      sql<string>`json_extract(m.plan, '$.access')`.as('access'),
      sql<number>`(select coalesce(sum(p.amount_paise), 0) from payments p where p.membership_id = m.id and p.deleted_at is null)`.as('paid_paise'),
      sql<string>`(select json_group_array(json_object('from', f.from_date, 'to', f.to_date)) from freezes f where f.membership_id = m.id and f.deleted_at is null)`.as(
        'freezes',
      ),
    ])
    .where('m.deleted_at', 'is', null);

type FactsRow = Awaited<ReturnType<ReturnType<typeof factsQuery>['executeTakeFirstOrThrow']>>;

function toFacts(r: FactsRow): MembershipFacts {
  return {
    id: r.id,
    memberId: r.member_id,
    planName: r.plan_name,
    access: JSON.parse(r.access) as AccessRules,
    start: r.start_date,
    end: r.end_date,
    pricePaise: r.price_paise,
    paidPaise: r.paid_paise,
    cancelledAt: r.cancelled_at,
    freezes: JSON.parse(r.freezes) as DateRange[],
  };
}

/**
 * Memberships of the given members (all members when omitted) with their paid total and freezes,
 * in one query: search results and lists derive status from it.
 */
export function loadFacts(store: Store, memberIds?: readonly string[]): Map<string, MembershipFacts[]> {
  const byMember = new Map<string, MembershipFacts[]>();
  if (memberIds?.length === 0) return byMember;
  let query = factsQuery(store.db);
  if (memberIds) query = query.where('m.member_id', 'in', memberIds);
  for (const r of store.all(query)) {
    const facts = toFacts(r);
    const list = byMember.get(r.member_id);
    if (list) list.push(facts);
    else byMember.set(r.member_id, [facts]);
  }
  return byMember;
}

const memberFactsQuery = defineQuery((db, p: Param<{ memberId: string }>) => factsQuery(db).where('m.member_id', '=', p('memberId')));

/** One member's memberships, as `loadFacts` gives them, on a prepared statement: the check-in hot path. */
export function loadMemberFacts(store: Store, memberId: string): MembershipFacts[] {
  return store.prepared(memberFactsQuery).all({ memberId }).map(toFacts);
}


/** Whether `members` row has a live photo; photos live in their own table to keep member rows small. */
export const hasPhoto = sql<number>`exists (select 1 from member_photos ph where ph.member_id = members.id and ph.deleted_at is null)`.as('has_photo');

/** The columns a member summary needs, selectable from `members`. */
export const summaryColumns = [
  'members.id',
  'members.code',
  'members.full_name',
  'members.phone',
  'members.date_of_birth',
  hasPhoto,
] as const;

export interface SummaryRow {
  id: string;
  code: string;
  full_name: string;
  phone: string;
  date_of_birth: string | null;
  has_photo: number;
}

export function toSummary(r: SummaryRow, status: MemberStatus): MemberSummary {
  return { id: r.id, code: r.code, fullName: r.full_name, phone: r.phone, hasPhoto: r.has_photo === 1, dateOfBirth: r.date_of_birth, status };
}

/** Summaries for member rows, in their order, with statuses from one batched query (no N+1). */
export function summarize(store: Store, rows: readonly SummaryRow[], today: LocalDate, settings: StatusSettings): MemberSummary[] {
  const facts = loadFacts(
    store,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toSummary(r, memberStatus(facts.get(r.id) ?? [], today, settings).status));
}

/** Summaries of the given live members (any order). */
export function summariesOf(store: Store, memberIds: readonly string[], today: LocalDate, settings: StatusSettings): MemberSummary[] {
  if (memberIds.length === 0) return [];
  const rows = store.all(store.db.selectFrom('members').select(summaryColumns).where('members.id', 'in', memberIds).where('members.deleted_at', 'is', null));
  return summarize(store, rows, today, settings);
}
