import { type Kysely, sql } from 'kysely';

// Frozen once landed. Share links to an invoice's PDF are signed tokens (auth/invoice-links.ts) that carry
// the invoice's link generation; revoking the invoice's links moves it on, and a link of an earlier
// generation no longer opens. No row means generation 0, so links shared before this migration keep
// working until revoked. The invoice itself is append-only, hence a table of its own.

const API_ROLE = 'gymstack_api';
const tenant = '(gym_id = (select current_gym_id()))';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table invoice_link_generations (
       gym_id uuid not null references gyms (id),
       invoice_id uuid not null,
       generation integer not null check (generation > 0),
       revoked_at timestamptz not null,
       primary key (gym_id, invoice_id),
       foreign key (gym_id, invoice_id) references invoices (gym_id, id)
     )`,
    'alter table invoice_link_generations enable row level security',
    'alter table invoice_link_generations force row level security',
    `create policy tenant_isolation on invoice_link_generations using ${tenant} with check ${tenant}`,
    `grant select, insert, update on invoice_link_generations to ${API_ROLE}`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table invoice_link_generations`.execute(db);
}
