import type BetterSqlite3 from 'better-sqlite3';
import type { Store } from '../db/store.js';
import type { ChangedEntity } from '../write.js';
import type { SyncLink } from './link.js';
import { DESK_ROLES, GYM_RULE_COLUMNS, type SyncedTable } from './tables.js';

type Value = string | number | null;
export type CloudRow = Record<string, unknown>;

/** One change of a shape, as the desk applies it (Electric's change message, reduced). */
export interface RowChange {
  operation: 'insert' | 'update' | 'delete';
  value: CloudRow;
}

/** Everything a shape delivered up to one up-to-date message, and where that leaves the shape. */
export interface ShapeBatch {
  table: SyncedTable;
  changes: RowChange[];
  /** The batch is a whole new snapshot (first sync, or after must-refetch): rows it lacks are gone. */
  snapshot: boolean;
  handle: string;
  offset: string;
}

export interface Applied {
  entities: Set<ChangedEntity>;
  /** An update named a row this desk does not hold (one it had filtered out): re-read the table whole. */
  refetch: boolean;
}

const entitiesOf: Record<SyncedTable['desk'], ChangedEntity[]> = {
  gym: ['gym', 'settings'],
  branches: ['gym'],
  staff: ['staff'],
  plans: ['plans'],
  members: ['members'],
  member_credentials: ['members'],
  memberships: ['memberships', 'members'],
  freezes: ['memberships', 'members'],
  payments: ['payments', 'members'],
  invoices: ['payments'],
  checkins: ['checkins'],
  checkouts: ['checkins'],
};

const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/** Statements are built from the table whitelist only, so caching them by text is safe and bounded. */
function prepare(sqlite: BetterSqlite3.Database, text: string): BetterSqlite3.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = sqlite.prepare(text)));
  return statement;
}

const quote = (column: string) => `"${column}"`;

/** A row can clash on each of its table's unique keys once. */
const MAX_DISPLACED = 4;

/** The columns of the unique key a write broke (`UNIQUE constraint failed: members.phone`), or null. */
function uniqueClash(error: unknown, table: string): string[] | null {
  const { code, message } = error as { code?: string; message?: string };
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' || !message) return null;
  const match = /^UNIQUE constraint failed: (.+)$/.exec(message);
  const columns = match?.[1]?.split(', ').map((qualified) => qualified.split('.'));
  if (!columns || columns.some(([t, c]) => t !== table || c === undefined || c === 'id')) return null;
  return columns.map(([, c]) => c as string);
}

/** Rows a desk cannot use (trainers, staff without a PIN) are not kept; see DESK_ROLES. */
function keeps(table: SyncedTable, row: CloudRow): boolean {
  return table.desk !== 'staff' || (DESK_ROLES.includes(String(row.role)) && typeof row.pin_hash === 'string' && row.pin_hash !== '');
}

/** The desk's columns of a cloud row; an append-only row's update stamp is its creation. */
function deskRow(table: SyncedTable, value: CloudRow): Record<string, Value> {
  const row: Record<string, Value> = { id: value.id as string };
  for (const column of table.columns) row[column] = (value[column] ?? null) as Value;
  if (table.appendOnly) {
    row.updated_at = row.created_at ?? null;
    row.deleted_at = null;
  }
  return row;
}

class BatchWriter {
  readonly #sqlite: BetterSqlite3.Database;
  readonly #table: SyncedTable;
  readonly #name: string;
  refetch = false;

  constructor(sqlite: BetterSqlite3.Database, table: SyncedTable) {
    this.#sqlite = sqlite;
    this.#table = table;
    this.#name = quote(table.desk);
  }

  apply(change: RowChange): void {
    const id = change.value.id as string;
    if (change.operation === 'insert') this.#insert(change.value);
    else if (change.operation === 'update') this.#update(id, change.value);
    else if (typeof change.value.deleted_at === 'string' && !this.#table.appendOnly) this.#update(id, change.value);
    else prepare(this.#sqlite, `delete from ${this.#name} where id = ?`).run(id);
  }

  #insert(value: CloudRow): void {
    if (!keeps(this.#table, value)) {
      this.#forget(value.id as string, (value.updated_at as string | undefined) ?? null);
      return;
    }
    const row = deskRow(this.#table, value);
    const columns = Object.keys(row);
    const names = columns.map(quote).join(', ');
    const slots = columns.map((c) => `@${c}`).join(', ');
    // Rows are keyed by the ids the desk made, so a row written offline meets the cloud's copy here and
    // the cloud's version wins (it may have linked the row to its own invoice series, say). Append-only
    // rows are replaced whole: their update trigger guards against edits, not against reconciliation.
    const updates = columns.filter((c) => c !== 'id').map((c) => `${quote(c)} = excluded.${quote(c)}`);
    const text = this.#table.appendOnly
      ? `insert or replace into ${this.#name} (${names}) values (${slots})`
      : `insert into ${this.#name} (${names}) values (${slots}) on conflict (id) do update set ${updates.join(', ')}`;
    this.#write(row.id as string, () => prepare(this.#sqlite, text).run(row), (column) => row[column] ?? null);
  }

  #update(id: string, value: CloudRow): void {
    if (this.#table.appendOnly) return;
    const patch: Record<string, Value> = {};
    for (const column of this.#table.columns) if (Object.hasOwn(value, column)) patch[column] = value[column] as Value;
    if (this.#table.desk === 'staff') {
      const current = prepare(this.#sqlite, `select * from staff where id = ?`).get(id) as CloudRow | undefined;
      if (!current) {
        // Only the changed columns came; the rest of a row this desk skipped is not here to merge with.
        this.refetch = true;
        return;
      }
      const merged = { ...current, ...patch };
      if (!keeps(this.#table, merged)) {
        this.#forget(id, (value.updated_at as string | undefined) ?? null);
        return;
      }
      // A logged update means the cloud row is live, whatever this desk had hidden it as.
      if (!Object.hasOwn(patch, 'deleted_at')) patch.deleted_at = null;
    }
    const columns = Object.keys(patch);
    if (columns.length === 0) return;
    const text = `update ${this.#name} set ${columns.map((c) => `${quote(c)} = @${c}`).join(', ')} where id = @id`;
    const current = (column: string): Value =>
      Object.hasOwn(patch, column) ? (patch[column] ?? null) : ((prepare(this.#sqlite, `select ${quote(column)} as v from ${this.#name} where id = ?`).get(id) as { v: Value } | undefined)?.v ?? null);
    const changed = this.#write(id, () => prepare(this.#sqlite, text).run({ ...patch, id }), current);
    if (changed.changes === 0) this.refetch = true;
  }

  /**
   * Runs a write of the cloud's row. The cloud is the truth: a row of this desk that clashes with it on
   * a unique key (a member's phone or code, a card) is one the cloud never took, since its own rows
   * cannot clash, so it gives way. Its change was or will be refused, and shows at the desk.
   */
  #write(id: string, run: () => BetterSqlite3.RunResult, valueOf: (column: string) => Value): BetterSqlite3.RunResult {
    for (let attempt = 0; ; attempt++) {
      try {
        return run();
      } catch (error) {
        const columns = uniqueClash(error, this.#table.desk);
        if (!columns || attempt >= MAX_DISPLACED) throw error;
        const where = columns.map((c) => `${quote(c)} = @${c}`).join(' and ');
        prepare(this.#sqlite, `delete from ${this.#name} where ${where} and id <> @id`).run({ ...Object.fromEntries(columns.map((c) => [c, valueOf(c)])), id });
      }
    }
  }

  /** A row the desk must not use any more (or never held): hidden like a soft delete. */
  #forget(id: string, at: string | null): void {
    prepare(this.#sqlite, `update ${this.#name} set deleted_at = coalesce(@at, updated_at) where id = @id and deleted_at is null`).run({ id, at });
  }
}

/** The gym row carries the front-desk rules; this desk's settings (and its device row) follow them. */
function followGymRules(sqlite: BetterSqlite3.Database, link: SyncLink, gym: CloudRow, now: string): void {
  const rules: Record<string, Value> = {};
  for (const column of GYM_RULE_COLUMNS) if (Object.hasOwn(gym, column)) rules[column] = gym[column] as Value;
  const existing = prepare(sqlite, 'select id from settings where device_id = ?').get(link.deviceId);
  if (existing) {
    const columns = Object.keys(rules);
    if (columns.length > 0) prepare(sqlite, `update settings set ${columns.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @now where device_id = @device`).run({ ...rules, now, device: link.deviceId });
    return;
  }
  // First sync after pairing: the desk becomes a device of its branch, numbering with its desk code.
  const base = { gym: link.gymId, branch: link.branchId, device: link.deviceId, now };
  prepare(sqlite, `insert into devices (id, gym_id, branch_id, name, created_at, updated_at) values (@device, @gym, @branch, @name, @now, @now)`).run({
    ...base,
    name: `Desk ${link.deskCode}`,
  });
  prepare(
    sqlite,
    `insert into settings (id, gym_id, branch_id, device_id, anti_passback_minutes, auto_checkout_hours, dues_block_paise, grace_days,
       expiring_within_days, invoice_prefix, member_code_seq, created_at, updated_at)
     values (@device, @gym, @branch, @device, @anti_passback_minutes, @auto_checkout_hours, @dues_block_paise, @grace_days,
       @expiring_within_days, @prefix, 1000, @now, @now)`,
  ).run({ ...base, ...rules, prefix: link.deskCode });
}

/**
 * Applies one up-to-date batch of a shape in one SQLite transaction, together with the shape's new
 * handle and offset (DESIGN 6): after a crash the desk resumes from an offset whose rows it holds.
 *
 * Rows are keyed by the ids the desk itself made, so a row written offline is reconciled when the
 * cloud's copy arrives: the server's version replaces it.
 * A snapshot batch also removes the table's rows the cloud no longer has, except rows still named by
 * a mutation waiting in the outbox (`pending`): those reach the cloud later and come back then.
 *
 * Foreign keys are off while a batch applies: each table is its own shape, so a membership may land
 * a moment before its member; the cloud's rows are consistent once every shape is up to date.
 */
export function applyBatch(store: Store, link: SyncLink, batch: ShapeBatch, pending: ReadonlySet<string>, now: string): Applied {
  const { sqlite } = store;
  const writer = new BatchWriter(sqlite, batch.table);
  sqlite.pragma('foreign_keys = OFF');
  try {
    store.transaction(() => {
      // A re-read first drops what the cloud no longer has, so those rows cannot clash with its rows.
      if (batch.snapshot) removeMissing(sqlite, batch, pending);
      for (const change of batch.changes) writer.apply(change);
      if (batch.table.desk === 'gym') {
        const gym = batch.changes.findLast((c) => c.operation !== 'delete')?.value;
        if (gym) followGymRules(sqlite, link, gym, now);
      }
      prepare(
        sqlite,
        `insert into sync_shapes (table_name, handle, "offset", updated_at) values (@table, @handle, @offset, @now)
         on conflict (table_name) do update set handle = excluded.handle, "offset" = excluded."offset", updated_at = excluded.updated_at`,
      ).run({ table: batch.table.shape, handle: batch.handle, offset: batch.offset, now });
    });
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
  const entities = new Set<ChangedEntity>(batch.changes.length > 0 || batch.snapshot ? entitiesOf[batch.table.desk] : []);
  return { entities, refetch: writer.refetch };
}

function removeMissing(sqlite: BetterSqlite3.Database, batch: ShapeBatch, pending: ReadonlySet<string>): void {
  sqlite.exec('create temp table if not exists sync_keep (id text primary key) without rowid');
  sqlite.exec('delete from temp.sync_keep');
  const keep = prepare(sqlite, 'insert or ignore into temp.sync_keep (id) values (?)');
  for (const change of batch.changes) if (change.operation !== 'delete') keep.run(change.value.id as string);
  for (const id of pending) keep.run(id);
  prepare(sqlite, `delete from ${quote(batch.table.desk)} where id not in (select id from temp.sync_keep)`).run();
  sqlite.exec('delete from temp.sync_keep');
}
