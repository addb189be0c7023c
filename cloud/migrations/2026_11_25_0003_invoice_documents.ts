import { type Kysely, sql } from 'kysely';

// Frozen once landed. The PDF of each invoice as first rendered (DESIGN 3: invoices are append-only),
// kept so every later download, by staff, by the member or through a share link, is the very document
// issued, byte for byte, whatever later changes the renderer's layout or the fonts underneath it. Written
// on the first download, never changed: the same append-only trigger and grants as the invoice itself,
// under the same forced RLS as every tenant table. Not synced: desks render their own from the snapshot.

const API_ROLE = 'gymstack_api';
const tenant = '(gym_id = (select current_gym_id()))';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `create table invoice_documents (
       gym_id uuid not null references gyms (id),
       invoice_id uuid not null,
       pdf bytea not null,
       created_at timestamptz not null default now(),
       primary key (gym_id, invoice_id),
       foreign key (gym_id, invoice_id) references invoices (gym_id, id)
     )`,
    'alter table invoice_documents enable row level security',
    'alter table invoice_documents force row level security',
    `create policy tenant_isolation on invoice_documents using ${tenant} with check ${tenant}`,
    `grant select, insert on invoice_documents to ${API_ROLE}`,
    `create trigger invoice_documents_append_only before update or delete on invoice_documents for each row execute function reject_append_only_change()`,
    `create trigger invoice_documents_no_truncate before truncate on invoice_documents for each statement execute function reject_append_only_change()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['drop table invoice_documents']);
}
