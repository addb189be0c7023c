import { type Kysely, sql } from 'kysely';

// Frozen once landed. Sync push (DESIGN 6): each desk's high-water mark and the outcome of every
// mutation it pushed. Both tables are tenant tables keyed by gym first, under the same forced RLS policy
// as the others (the once-per-statement sub-select form of 2026_11_22_0004_rls_initplan).

const API_ROLE = 'gymstack_api';
const tenant = '(gym_id = (select current_gym_id()))';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const isolate = (table: string) => [
  `alter table ${table} enable row level security`,
  `alter table ${table} force row level security`,
  `create policy tenant_isolation on ${table} using ${tenant} with check ${tenant}`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    // One row per desk: the last seq applied (or acknowledged). A push locks it FOR UPDATE per mutation,
    // so parallel replays of one outbox serialize and each seq is settled exactly once.
    `create table device_sync_state (
       gym_id uuid not null references gyms (id),
       device_id uuid not null,
       last_seq bigint not null default 0 check (last_seq >= 0),
       schema_version integer not null,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now(),
       primary key (gym_id, device_id),
       foreign key (gym_id, device_id) references devices (gym_id, id)
     )`,
    ...isolate('device_sync_state'),
    `grant select, insert, update on device_sync_state to ${API_ROLE}`,
    // Every mutation a desk pushed, applied or rejected with its reason; append-only.
    `create table sync_mutations (
       gym_id uuid not null references gyms (id),
       mutation_id uuid not null,
       device_id uuid not null,
       seq bigint not null check (seq > 0),
       name text not null,
       args jsonb not null,
       status text not null check (status in ('applied', 'rejected')),
       error_code text,
       error_message text,
       desk_created_at timestamptz not null,
       applied_at timestamptz not null default now(),
       check ((status = 'rejected') = (error_code is not null)),
       primary key (gym_id, mutation_id),
       unique (gym_id, device_id, seq),
       foreign key (gym_id, device_id) references devices (gym_id, id)
     )`,
    ...isolate('sync_mutations'),
    `grant select, insert on sync_mutations to ${API_ROLE}`,
    `create trigger sync_mutations_append_only before update or delete on sync_mutations for each row execute function reject_append_only_change()`,
    `create trigger sync_mutations_no_truncate before truncate on sync_mutations for each statement execute function reject_append_only_change()`,
    `create index sync_mutations_rejected on sync_mutations (gym_id, device_id, seq) where status = 'rejected'`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['drop table sync_mutations', 'drop table device_sync_state']);
}
