import { sql } from 'kysely';
// A landed migration is frozen: it keeps its own SQL and helpers rather than sharing code that may change.
// It runs as the owner role (gymstack_owner), which owns every object it creates; the API role
// (gymstack_api) gets exactly the privileges granted here and owns nothing.
const API_ROLE = 'gymstack_api';
/** Columns of every mutable synced row (DESIGN 3). Append-only tables have only `created_at`. */
const mutable = `
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz`;
const bornAt = `created_at timestamptz not null default now()`;
/** Every tenant table, in creation order; the key of each leads with gym_id (DESIGN 3). */
const tenantTables = [
    {
        name: 'branches',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      name text not null,
      address text,
      phone text,
      ${mutable},
      primary key (gym_id, id)`,
    },
    {
        name: 'staff',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      name text not null,
      email text,
      phone text,
      password_hash text,
      pin_hash text,
      role text not null check (role in ('owner', 'manager', 'frontdesk', 'trainer')),
      branch_ids uuid[] not null default '{}',
      active boolean not null default true,
      password_changed_at timestamptz,
      ${mutable},
      primary key (gym_id, id)`,
    },
    {
        name: 'members',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      branch_id uuid not null,
      code text not null,
      full_name text not null,
      phone text not null,
      email text,
      date_of_birth date,
      gender text check (gender in ('female', 'male', 'other')),
      emergency_contact jsonb,
      medical_notes text,
      goal text,
      source text,
      state_code text check (state_code ~ '^[0-9]{2}$'),
      ${mutable},
      primary key (gym_id, id),
      foreign key (gym_id, branch_id) references branches (gym_id, id)`,
    },
    {
        name: 'trainer_assignments',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      trainer_id uuid not null,
      member_id uuid not null,
      started_at timestamptz not null default now(),
      ended_at timestamptz check (ended_at >= started_at),
      ${mutable},
      primary key (gym_id, id),
      foreign key (gym_id, trainer_id) references staff (gym_id, id),
      foreign key (gym_id, member_id) references members (gym_id, id)`,
    },
    {
        name: 'member_credentials',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      member_id uuid not null,
      kind text not null check (kind in ('card', 'finger', 'qr')),
      value text not null,
      template bytea,
      key_id text,
      consented_at timestamptz,
      ${mutable},
      primary key (gym_id, id),
      foreign key (gym_id, member_id) references members (gym_id, id),
      -- A fingerprint template is stored only encrypted (with the id of its key) and only with consent.
      check (template is null or (kind = 'finger' and key_id is not null and consented_at is not null))`,
    },
    {
        name: 'plans',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      name text not null,
      duration jsonb not null,
      price_paise bigint not null check (price_paise >= 0),
      tax_inclusive boolean not null,
      gst_rate_bps integer not null check (gst_rate_bps between 0 and 2800),
      sac text not null check (sac ~ '^[0-9]{6}$'),
      access jsonb not null,
      max_freeze_days integer not null check (max_freeze_days >= 0),
      pt_sessions integer not null check (pt_sessions >= 0),
      active boolean not null default true,
      ${mutable},
      primary key (gym_id, id)`,
    },
    {
        name: 'memberships',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      branch_id uuid not null,
      member_id uuid not null,
      plan_id uuid not null,
      plan jsonb not null,
      start_date date not null,
      end_date date not null check (end_date >= start_date),
      price_paise bigint not null check (price_paise >= 0),
      discount_paise bigint not null default 0 check (discount_paise >= 0),
      cancelled_at timestamptz,
      cancel_reason text,
      ${mutable},
      primary key (gym_id, id),
      foreign key (gym_id, branch_id) references branches (gym_id, id),
      foreign key (gym_id, member_id) references members (gym_id, id),
      foreign key (gym_id, plan_id) references plans (gym_id, id)`,
    },
    {
        name: 'freezes',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      membership_id uuid not null,
      from_date date not null,
      to_date date not null check (to_date >= from_date),
      reason text,
      ${mutable},
      primary key (gym_id, id),
      foreign key (gym_id, membership_id) references memberships (gym_id, id)`,
    },
    {
        name: 'devices',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      branch_id uuid not null,
      name text not null,
      public_key bytea not null check (octet_length(public_key) = 32),
      last_seq bigint not null default 0,
      paired_at timestamptz not null default now(),
      last_seen_at timestamptz,
      revoked_at timestamptz,
      ${mutable},
      primary key (gym_id, id),
      foreign key (gym_id, branch_id) references branches (gym_id, id)`,
    },
    {
        name: 'pairing_codes',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      branch_id uuid not null,
      code_hash bytea not null,
      created_by uuid not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      device_id uuid,
      ${bornAt},
      primary key (gym_id, id),
      foreign key (gym_id, branch_id) references branches (gym_id, id),
      foreign key (gym_id, created_by) references staff (gym_id, id),
      foreign key (gym_id, device_id) references devices (gym_id, id)`,
    },
    {
        name: 'refresh_tokens',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      family_id uuid not null,
      subject_kind text not null check (subject_kind in ('staff', 'member', 'device')),
      subject_id uuid not null,
      token_hash bytea not null,
      expires_at timestamptz not null,
      rotated_at timestamptz,
      revoked_at timestamptz,
      ${bornAt},
      primary key (gym_id, id)`,
    },
    {
        name: 'member_otps',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      phone text not null,
      code_hash bytea not null,
      attempts integer not null default 0 check (attempts >= 0),
      expires_at timestamptz not null,
      consumed_at timestamptz,
      ${bornAt},
      primary key (gym_id, id)`,
    },
    {
        name: 'invoice_series',
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      device_id uuid,
      prefix text not null check (prefix ~ '^[A-Z0-9/-]{1,10}$'),
      fy_start_year integer not null,
      last_seq integer not null default 0 check (last_seq >= 0),
      ${mutable},
      primary key (gym_id, id),
      unique (gym_id, prefix, fy_start_year),
      foreign key (gym_id, device_id) references devices (gym_id, id)`,
    },
    {
        name: 'payments',
        appendOnly: true,
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      branch_id uuid not null,
      member_id uuid not null,
      membership_id uuid not null,
      method text not null check (method in ('cash', 'upi_offline', 'card_terminal')),
      reference text,
      amount_paise bigint not null check (amount_paise > 0),
      received_at timestamptz not null,
      received_on date not null,
      staff_id uuid,
      device_id uuid,
      invoice_id uuid not null,
      ${bornAt},
      primary key (gym_id, id),
      foreign key (gym_id, branch_id) references branches (gym_id, id),
      foreign key (gym_id, member_id) references members (gym_id, id),
      foreign key (gym_id, membership_id) references memberships (gym_id, id),
      foreign key (gym_id, staff_id) references staff (gym_id, id),
      foreign key (gym_id, device_id) references devices (gym_id, id)`,
    },
    {
        name: 'invoices',
        appendOnly: true,
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      branch_id uuid not null,
      series_id uuid not null,
      number text not null check (number ~ '^[A-Z0-9/-]{1,16}$'),
      payment_id uuid not null,
      member_id uuid not null,
      membership_id uuid not null,
      issued_on date not null,
      issued_at timestamptz not null,
      sac text not null,
      rate_bps integer not null,
      place_of_supply text not null,
      taxable_paise bigint not null check (taxable_paise >= 0),
      cgst_paise bigint not null check (cgst_paise >= 0),
      sgst_paise bigint not null check (sgst_paise >= 0),
      igst_paise bigint not null check (igst_paise >= 0),
      total_paise bigint not null check (total_paise = taxable_paise + cgst_paise + sgst_paise + igst_paise),
      snapshot jsonb not null,
      ${bornAt},
      primary key (gym_id, id),
      unique (gym_id, number),
      unique (gym_id, payment_id),
      foreign key (gym_id, branch_id) references branches (gym_id, id),
      foreign key (gym_id, series_id) references invoice_series (gym_id, id),
      foreign key (gym_id, payment_id) references payments (gym_id, id),
      foreign key (gym_id, member_id) references members (gym_id, id),
      foreign key (gym_id, membership_id) references memberships (gym_id, id)`,
    },
    {
        name: 'checkins',
        appendOnly: true,
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      branch_id uuid not null,
      member_id uuid,
      method text not null check (method in ('finger', 'qr', 'card', 'manual')),
      verdict text not null check (verdict in ('allow', 'deny')),
      reason text check ((verdict = 'allow') = (reason is null)),
      at timestamptz not null,
      on_date date not null,
      device_id uuid,
      staff_id uuid,
      ${bornAt},
      primary key (gym_id, id),
      foreign key (gym_id, branch_id) references branches (gym_id, id),
      foreign key (gym_id, member_id) references members (gym_id, id),
      foreign key (gym_id, device_id) references devices (gym_id, id),
      foreign key (gym_id, staff_id) references staff (gym_id, id)`,
    },
    {
        name: 'checkouts',
        appendOnly: true,
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      branch_id uuid not null,
      member_id uuid not null,
      at timestamptz not null,
      device_id uuid,
      staff_id uuid,
      ${bornAt},
      primary key (gym_id, id),
      foreign key (gym_id, branch_id) references branches (gym_id, id),
      foreign key (gym_id, member_id) references members (gym_id, id),
      foreign key (gym_id, device_id) references devices (gym_id, id),
      foreign key (gym_id, staff_id) references staff (gym_id, id)`,
    },
    {
        name: 'audit_log',
        appendOnly: true,
        ddl: `
      gym_id uuid not null references gyms (id),
      id uuid not null,
      at timestamptz not null default now(),
      actor_id uuid,
      actor_role text check (actor_role in ('owner', 'manager', 'frontdesk', 'trainer', 'member', 'desk', 'system')),
      device_id uuid,
      ip inet,
      action text not null,
      entity text not null,
      entity_id uuid,
      old jsonb,
      new jsonb,
      primary key (gym_id, id)`,
    },
];
const indexes = [
    // Live rows only: a soft-deleted member frees their code and phone.
    'create unique index staff_email on staff (gym_id, lower(email)) where deleted_at is null',
    'create unique index staff_phone on staff (gym_id, phone) where deleted_at is null',
    'create unique index members_code on members (gym_id, code) where deleted_at is null',
    'create unique index members_phone on members (gym_id, phone) where deleted_at is null',
    'create index members_branch on members (gym_id, branch_id)',
    'create index members_name on members (gym_id, lower(full_name) text_pattern_ops)',
    'create unique index trainer_assignments_current on trainer_assignments (gym_id, trainer_id, member_id) where ended_at is null',
    'create index trainer_assignments_member on trainer_assignments (gym_id, member_id)',
    'create unique index member_credentials_value on member_credentials (gym_id, kind, value) where deleted_at is null',
    'create index member_credentials_member on member_credentials (gym_id, member_id)',
    'create index memberships_member on memberships (gym_id, member_id, end_date)',
    // The seed's expiry index: the nightly "expiring within N days" job scans only live memberships.
    'create index memberships_expiry on memberships (gym_id, end_date) where cancelled_at is null and deleted_at is null',
    'create index freezes_membership on freezes (gym_id, membership_id)',
    'create unique index refresh_tokens_hash on refresh_tokens (gym_id, token_hash)',
    'create index refresh_tokens_family on refresh_tokens (gym_id, family_id)',
    'create index refresh_tokens_subject on refresh_tokens (gym_id, subject_kind, subject_id)',
    'create index member_otps_phone on member_otps (gym_id, phone, created_at desc)',
    'create index payments_member on payments (gym_id, member_id, received_at desc)',
    'create index payments_gym_date on payments (gym_id, received_at desc)',
    'create index payments_membership on payments (gym_id, membership_id)',
    'create index invoices_member on invoices (gym_id, member_id, issued_at desc)',
    'create index checkins_gym_date on checkins (gym_id, at desc)',
    'create index checkins_member on checkins (gym_id, member_id, at desc)',
    'create index checkouts_member on checkouts (gym_id, member_id, at desc)',
    'create index audit_log_at on audit_log (gym_id, at desc)',
    'create index audit_log_entity on audit_log (gym_id, entity, entity_id)',
];
async function run(db, statements) {
    for (const statement of statements)
        await sql.raw(statement).execute(db);
}
/** RLS that the table owner cannot skip either, scoped by the transaction's app.gym_id (DESIGN 5). */
function isolate(table, key) {
    return [
        `alter table ${table} enable row level security`,
        `alter table ${table} force row level security`,
        `create policy tenant_isolation on ${table} using (${key} = current_gym_id()) with check (${key} = current_gym_id())`,
    ];
}
export async function up(db) {
    await run(db, [
        // current_setting(..., true) is NULL when never set but '' once a SET LOCAL has ended on a pooled
        // connection; both must mean "no tenant", which matches no row instead of failing the uuid cast.
        `create function current_gym_id() returns uuid language sql stable parallel safe
       as $$ select nullif(current_setting('app.gym_id', true), '')::uuid $$`,
        `create function reject_append_only_change() returns trigger language plpgsql as $$
       begin
         raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation';
       end $$`,
        `create table gyms (
       id uuid primary key,
       name text not null,
       legal_name text not null,
       gstin text check (gstin ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$'),
       address text not null,
       state_code text not null check (state_code ~ '^[0-9]{2}$'),
       phone text,
       time_zone text not null default 'Asia/Kolkata',
       currency text not null default 'INR' check (currency ~ '^[A-Z]{3}$'),
       locale text not null default 'en-IN',
       plan_limits jsonb not null default '{"max_members": 200, "max_staff": 5, "max_branches": 1, "whatsapp_messages_per_month": 1000}',
       ${mutable}
     )`,
        // A gym is its own tenant: it is visible by its id. Onboarding opens the scope on the new gym's id.
        ...isolate('gyms', 'id'),
        `grant select, insert, update on gyms to ${API_ROLE}`,
    ]);
    for (const { name, ddl, appendOnly } of tenantTables) {
        await run(db, [
            `create table ${name} (${ddl})`,
            ...isolate(name, 'gym_id'),
            `grant ${appendOnly ? 'select, insert' : 'select, insert, update'} on ${name} to ${API_ROLE}`,
            ...(appendOnly
                ? [
                    // Even the owner cannot rewrite history: a correction is a new row (DESIGN 3).
                    `create trigger ${name}_append_only before update or delete on ${name} for each row execute function reject_append_only_change()`,
                    `create trigger ${name}_no_truncate before truncate on ${name} for each statement execute function reject_append_only_change()`,
                ]
                : []),
        ]);
    }
    await run(db, [
        // A payment and its invoice point at each other and are written in one transaction.
        `alter table payments add foreign key (gym_id, invoice_id) references invoices (gym_id, id) deferrable initially deferred`,
        ...indexes,
        // /readyz compares the applied migrations with the ones this build ships.
        `grant select on kysely_migration to ${API_ROLE}`,
    ]);
}
export async function down(db) {
    const tables = ['gyms', ...tenantTables.map((t) => t.name)].reverse();
    // Dropping a table drops its policies, triggers, indexes and grants with it.
    await run(db, [
        `revoke select on kysely_migration from ${API_ROLE}`,
        `alter table payments drop constraint payments_gym_id_invoice_id_fkey`,
        ...tables.map((t) => `drop table ${t}`),
        'drop function reject_append_only_change()',
        'drop function current_gym_id()',
    ]);
}
//# sourceMappingURL=2026_11_21_0001_initial.js.map