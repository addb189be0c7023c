import { type DateRange, type LocalDate, type MembershipFacts as StatusFacts, type StatusSettings, memberStatus } from '@gymstack/shared';
import { sql } from 'kysely';
import type { MemberStatus } from '../contract.js';
import type { Store } from '../db/store.js';
import { loadMemberFacts } from './member-status.js';

const MEMBER_CHANGED = 'gymstack_member_changed';
const MEMBERS_REORDERED = 'gymstack_members_reordered';

/**
 * Temporary triggers live only in this connection and are never part of the schema: they call back
 * into the directory whenever a write touches what a member's status or the name order depends on.
 */
const TRIGGERS = [
  ...(['insert', 'update', 'delete'] as const).flatMap((event) => {
    const row = event === 'delete' ? 'old' : 'new';
    const both = event === 'update' ? `select ${MEMBER_CHANGED}(old.member_id); ` : '';
    const viaMembership = event === 'update' ? `select ${MEMBER_CHANGED}(member_id) from memberships where id = old.membership_id; ` : '';
    return [
      `create temp trigger if not exists gymstack_directory_memberships_${event} after ${event} on main.memberships begin ${both}select ${MEMBER_CHANGED}(${row}.member_id); end`,
      `create temp trigger if not exists gymstack_directory_payments_${event} after ${event} on main.payments begin ${both}select ${MEMBER_CHANGED}(${row}.member_id); end`,
      `create temp trigger if not exists gymstack_directory_freezes_${event} after ${event} on main.freezes begin ${viaMembership}select ${MEMBER_CHANGED}(member_id) from memberships where id = ${row}.membership_id; end`,
    ];
  }),
  `create temp trigger if not exists gymstack_directory_members_insert after insert on main.members begin select ${MEMBERS_REORDERED}(); end`,
  `create temp trigger if not exists gymstack_directory_members_update after update of full_name, deleted_at on main.members begin select ${MEMBERS_REORDERED}(); end`,
  `create temp trigger if not exists gymstack_directory_members_delete after delete on main.members begin select ${MEMBERS_REORDERED}(); end`,
];

interface BulkFactsRow {
  id: string;
  member_id: string;
  start_date: string;
  end_date: string;
  price_paise: number;
  cancelled_at: string | null;
  plan_name: string;
  paid_paise: number;
  freezes: string | null;
}

/**
 * Every live membership's status facts in one pass: payments and freezes are aggregated once and
 * joined, rather than looked up per membership as `loadFacts` does for a handful of members.
 */
const allFacts = sql<BulkFactsRow>`
  select m.id, m.member_id, m.start_date, m.end_date, m.price_paise, m.cancelled_at,
         json_extract(m.plan, '$.name') as plan_name, coalesce(p.paid, 0) as paid_paise, f.freezes
  from memberships m
  left join (select membership_id, sum(amount_paise) as paid from payments where deleted_at is null group by membership_id) p
    on p.membership_id = m.id
  left join (select membership_id, json_group_array(json_object('from', from_date, 'to', to_date)) as freezes
             from freezes where deleted_at is null group by membership_id) f
    on f.membership_id = m.id
  where m.deleted_at is null`;

const nameOrder = sql<{ id: string }>`select id from members where deleted_at is null order by full_name, id`;

export interface DirectoryPage {
  items: { id: string; status: MemberStatus }[];
  total: number;
}

/**
 * Every live member's status, in name order, kept in memory so that listing members by state at
 * 50,000 members reads no more than the page it returns. Status is still derived, never stored
 * (DESIGN 3), by the same `memberStatus` as everywhere else; the directory keeps the derivation's
 * inputs and results and refreshes them:
 * - one member, after a write on this connection touched their memberships, payments or freezes;
 * - the name order, after a member was added, renamed or removed;
 * - everything, after another connection committed (`PRAGMA data_version`);
 * - every status, when the business date or the status settings change.
 * It loads on first use (about half a second at 50,000 members), not when the desk opens.
 */
export class MemberDirectory {
  #loaded = false;
  #dataVersion = -1;
  readonly #facts = new Map<string, StatusFacts[]>();
  readonly #dirty = new Set<string>();
  readonly #statuses = new Map<string, MemberStatus>();
  #statusKey = '';
  /** Live members in name order with their statuses: what a page is cut from. */
  #rows: { id: string; status: MemberStatus }[] = [];
  readonly #rowOf = new Map<string, { id: string; status: MemberStatus }>();
  #orderStale = true;

  constructor(private readonly store: Store) {}

  /** Live members in name order whose status passes `keep` (all when null): one page, and how many in all. */
  page(today: LocalDate, settings: StatusSettings, keep: ((status: MemberStatus) => boolean) | null, offset: number, limit: number): DirectoryPage {
    this.#refresh(today, settings);
    const rows = this.#rows;
    if (!keep) return { items: rows.slice(offset, offset + limit).map((r) => ({ ...r })), total: rows.length };
    const items: DirectoryPage['items'] = [];
    let total = 0;
    for (const row of rows) {
      if (!keep(row.status)) continue;
      if (total >= offset && items.length < limit) items.push({ ...row });
      total++;
    }
    return { items, total };
  }

  #refresh(today: LocalDate, settings: StatusSettings): void {
    const { store } = this;
    const version = store.sqlite.pragma('data_version', { simple: true }) as number;
    if (!this.#loaded || version !== this.#dataVersion) {
      this.#install();
      this.#loadAll();
      this.#dataVersion = version;
    }
    const key = `${today}|${settings.expiringWithinDays}|${settings.graceDays}`;
    if (key !== this.#statusKey) {
      this.#dirty.clear();
      this.#statuses.clear();
      for (const id of this.#facts.keys()) this.#derive(id, today, settings);
      this.#statusKey = key;
      this.#orderStale = true;
    }
    for (const id of this.#dirty) {
      const facts = loadMemberFacts(store, id);
      if (facts.length > 0) this.#facts.set(id, facts);
      else this.#facts.delete(id);
      this.#derive(id, today, settings);
      const row = this.#rowOf.get(id);
      if (row) row.status = this.#statusOf(id, today, settings);
    }
    this.#dirty.clear();
    if (this.#orderStale) {
      this.#rows = store.all(nameOrder).map((r) => ({ id: r.id, status: this.#statusOf(r.id, today, settings) }));
      this.#rowOf.clear();
      for (const row of this.#rows) this.#rowOf.set(row.id, row);
      this.#orderStale = false;
    }
  }

  /** A member with no live membership reads as `none`. */
  #statusOf(id: string, today: LocalDate, settings: StatusSettings): MemberStatus {
    return this.#statuses.get(id) ?? memberStatus([], today, settings).status;
  }

  #derive(id: string, today: LocalDate, settings: StatusSettings): void {
    const facts = this.#facts.get(id);
    if (facts) this.#statuses.set(id, memberStatus(facts, today, settings).status);
    else this.#statuses.delete(id);
  }

  #install(): void {
    if (this.#loaded) return;
    const { sqlite } = this.store;
    sqlite.function(MEMBER_CHANGED, (memberId: unknown) => {
      if (typeof memberId === 'string') this.#dirty.add(memberId);
      return null;
    });
    sqlite.function(MEMBERS_REORDERED, () => {
      this.#orderStale = true;
      return null;
    });
    for (const trigger of TRIGGERS) sqlite.exec(trigger);
  }

  #loadAll(): void {
    this.#facts.clear();
    this.#dirty.clear();
    for (const r of this.store.all(allFacts)) {
      const facts: StatusFacts = {
        id: r.id,
        planName: r.plan_name,
        start: r.start_date,
        end: r.end_date,
        pricePaise: r.price_paise,
        paidPaise: r.paid_paise,
        cancelledAt: r.cancelled_at,
        freezes: r.freezes === null ? [] : (JSON.parse(r.freezes) as DateRange[]),
      };
      const list = this.#facts.get(r.member_id);
      if (list) list.push(facts);
      else this.#facts.set(r.member_id, [facts]);
    }
    this.#statusKey = '';
    this.#orderStale = true;
    this.#loaded = true;
  }
}

const directories = new WeakMap<Store, MemberDirectory>();

/** The directory of the members in `store` (one per connection: its triggers are the connection's). */
export function directoryOf(store: Store): MemberDirectory {
  let directory = directories.get(store);
  if (!directory) {
    directory = new MemberDirectory(store);
    directories.set(store, directory);
  }
  return directory;
}
