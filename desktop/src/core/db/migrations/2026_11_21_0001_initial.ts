import { type CreateTableBuilder, type Kysely, sql } from 'kysely';

// A landed migration is frozen, so it keeps its own helpers rather than sharing code that may change.

/** id, tenancy and soft-delete columns of every synced table (DESIGN 3). */
function synced<T extends string>(table: CreateTableBuilder<T, never>, opts: { branch?: boolean } = {}) {
  let t = table.addColumn('id', 'text', (c) => c.primaryKey()).addColumn('gym_id', 'text', (c) => c.notNull().references('gym.id'));
  if (opts.branch) t = t.addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'));
  return t
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text');
}

const live = sql<boolean>`deleted_at is null`;

/**
 * Every suffix of the phone's digits from 4 digits up, so FTS5's prefix match also finds a number
 * by its last digits ("…3210") and the full national number is one of the tokens.
 */
const phoneTokens = (phone: string) =>
  Array.from({ length: 12 }, (_, i) => `substr(replace(${phone}, '+', ''), -${i + 4})`).join(` || ' ' || `);

const ftsRow = (row: 'new') => `(${row}.rowid, ${row}.full_name, ${phoneTokens(`${row}.phone`)}, ${row}.code)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gym')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('legal_name', 'text', (c) => c.notNull())
    .addColumn('gstin', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('state_code', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();

  await synced(db.schema.createTable('branches')).addColumn('name', 'text', (c) => c.notNull()).addColumn('address', 'text').execute();

  await synced(db.schema.createTable('devices'), { branch: true }).addColumn('name', 'text', (c) => c.notNull()).execute();

  await synced(db.schema.createTable('settings'), { branch: true })
    .addColumn('device_id', 'text', (c) => c.notNull().unique().references('devices.id'))
    .addColumn('anti_passback_minutes', 'integer', (c) => c.notNull())
    .addColumn('auto_checkout_hours', 'integer', (c) => c.notNull())
    .addColumn('dues_block_paise', 'integer')
    .addColumn('grace_days', 'integer', (c) => c.notNull())
    .addColumn('expiring_within_days', 'integer', (c) => c.notNull())
    .addColumn('invoice_prefix', 'text', (c) => c.notNull())
    .addColumn('member_code_seq', 'integer', (c) => c.notNull())
    .execute();

  await synced(db.schema.createTable('staff'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('frontdesk', 'manager', 'owner')`))
    .addColumn('pin_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('failed_pins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .execute();

  await synced(db.schema.createTable('members'), { branch: true })
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('date_of_birth', 'text')
    .addColumn('gender', 'text')
    .addColumn('emergency_contact', 'text')
    .addColumn('medical_notes', 'text')
    .addColumn('goal', 'text')
    .addColumn('source', 'text')
    .addColumn('state_code', 'text')
    .execute();
  await db.schema.createIndex('members_code').unique().on('members').column('code').where(live).execute();
  await db.schema.createIndex('members_phone').unique().on('members').column('phone').where(live).execute();
  await db.schema.createIndex('members_name').on('members').column('full_name').execute();
  // Birthdays are matched on month-day; the expression must match the query's exactly.
  await db.schema.createIndex('members_birthday').on('members').expression(sql`substr(date_of_birth, 6)`).execute();

  await synced(db.schema.createTable('member_photos'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('data_url', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('member_photos_member').unique().on('member_photos').column('member_id').execute();

  await synced(db.schema.createTable('member_credentials'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('card', 'finger', 'qr')`))
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('member_credentials_value').unique().on('member_credentials').columns(['kind', 'value']).where(live).execute();
  await db.schema.createIndex('member_credentials_member').on('member_credentials').column('member_id').execute();

  await synced(db.schema.createTable('plans'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('duration', 'text', (c) => c.notNull())
    .addColumn('price_paise', 'integer', (c) => c.notNull())
    .addColumn('tax_inclusive', 'integer', (c) => c.notNull())
    .addColumn('gst_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('sac', 'text', (c) => c.notNull())
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('max_freeze_days', 'integer', (c) => c.notNull())
    .addColumn('pt_sessions', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();

  await synced(db.schema.createTable('memberships'), { branch: true })
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('price_paise', 'integer', (c) => c.notNull())
    .addColumn('discount_paise', 'integer', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .execute();
  await db.schema.createIndex('memberships_member').on('memberships').columns(['member_id', 'end_date']).execute();
  await db.schema.createIndex('memberships_end').on('memberships').column('end_date').execute();

  await synced(db.schema.createTable('freezes'))
    .addColumn('membership_id', 'text', (c) => c.notNull().references('memberships.id'))
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('freezes_membership').on('freezes').column('membership_id').execute();

  await synced(db.schema.createTable('invoice_series'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('fy_start_year', 'integer', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addUniqueConstraint('invoice_series_prefix_fy', ['prefix', 'fy_start_year'])
    .execute();

  await synced(db.schema.createTable('payments'), { branch: true })
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('membership_id', 'text', (c) => c.notNull().references('memberships.id'))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('cash', 'upi_offline', 'card_terminal')`))
    .addColumn('reference', 'text')
    .addColumn('amount_paise', 'integer', (c) => c.notNull().check(sql`amount_paise > 0`))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.references('staff.id'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payments_membership').on('payments').column('membership_id').execute();
  await db.schema.createIndex('payments_member').on('payments').columns(['member_id', 'received_at']).execute();
  await db.schema.createIndex('payments_day').on('payments').column('received_on').execute();

  await synced(db.schema.createTable('invoices'), { branch: true })
    .addColumn('series_id', 'text', (c) => c.notNull().references('invoice_series.id'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('payment_id', 'text', (c) => c.notNull().unique())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('membership_id', 'text', (c) => c.notNull().references('memberships.id'))
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('sac', 'text', (c) => c.notNull())
    .addColumn('rate_bps', 'integer', (c) => c.notNull())
    .addColumn('place_of_supply', 'text', (c) => c.notNull())
    .addColumn('taxable_paise', 'integer', (c) => c.notNull())
    .addColumn('cgst_paise', 'integer', (c) => c.notNull())
    .addColumn('sgst_paise', 'integer', (c) => c.notNull())
    .addColumn('igst_paise', 'integer', (c) => c.notNull())
    .addColumn('total_paise', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute();

  await synced(db.schema.createTable('checkins'), { branch: true })
    .addColumn('member_id', 'text', (c) => c.references('members.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('allow', 'deny')`))
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text')
    .execute();
  // Anti-passback and a member's history read backwards from the latest check-in.
  await db.schema.createIndex('checkins_member').on('checkins').columns(['member_id', 'at']).execute();
  await db.schema.createIndex('checkins_at').on('checkins').column('at').execute();
  await db.schema.createIndex('checkins_day').on('checkins').columns(['on_date', 'verdict']).execute();

  await synced(db.schema.createTable('checkouts'), { branch: true })
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text')
    .execute();
  await db.schema.createIndex('checkouts_member').on('checkouts').columns(['member_id', 'at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('gym_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('mutation_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('args', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // Append-only tables refuse edits at the storage level too (DESIGN 3).
  for (const table of ['payments', 'invoices', 'checkins', 'checkouts', 'audit_log']) {
    await sql
      .raw(`create trigger ${table}_append_only before update on ${table} begin select raise(abort, '${table} is append-only'); end`)
      .execute(db);
  }

  // Member search: contentless (the text lives in members), rowid = members.rowid.
  await sql
    .raw(
      `create virtual table members_fts using fts5(name, phone, code, content='', contentless_delete=1, ` +
        `tokenize='unicode61 remove_diacritics 2', prefix='2 3')`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger members_fts_insert after insert on members when new.deleted_at is null begin
         insert into members_fts(rowid, name, phone, code) values ${ftsRow('new')};
       end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger members_fts_update after update of full_name, phone, code, deleted_at on members begin
         delete from members_fts where rowid = old.rowid;
         insert into members_fts(rowid, name, phone, code) select ${ftsRow('new').slice(1, -1)} where new.deleted_at is null;
       end`,
    )
    .execute(db);
  await sql.raw(`create trigger members_fts_delete after delete on members begin delete from members_fts where rowid = old.rowid; end`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table members_fts').execute(db);
  const tables = [
    'outbox', 'audit_log', 'checkouts', 'checkins', 'invoices', 'payments', 'invoice_series', 'freezes', 'memberships',
    'plans', 'member_credentials', 'member_photos', 'members', 'staff', 'settings', 'devices', 'branches', 'gym',
  ];
  // Dropping a table drops its indexes and triggers with it.
  for (const table of tables) await db.schema.dropTable(table).execute();
}
