import { errors } from '@gymstack/shared';
import { type Selectable, type SqlBool, type Transaction, sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Access } from '../auth/permissions.js';
import type { BranchTable, Database } from '../db/schema.js';
import { appendAudit } from './audit.js';
import { type Page, type PageRequest, paginate } from './page.js';
import { definedOnly } from './patch.js';
import type { BranchInput, BranchView } from './schemas.js';

const toBranch = (r: Selectable<BranchTable>): BranchView => ({ id: r.id, gymId: r.gym_id, name: r.name, address: r.address, phone: r.phone });

/** A manager's grant on branches is their own branches (the seed's "Own"). */
const scopedBranches = (trx: Transaction<Database>, access: Access) => {
  const { branchIds } = access.caller;
  const mine = access.scope === 'branch' && branchIds.length > 0 ? sql<SqlBool>`id = any(${branchIds}::uuid[])` : sql<SqlBool>`true`;
  return trx.selectFrom('branches').selectAll().where('deleted_at', 'is', null).where(mine);
};

export async function listBranches(trx: Transaction<Database>, access: Access, query: PageRequest): Promise<Page<BranchView>> {
  const page = await paginate(trx, scopedBranches(trx, access).orderBy('created_at').orderBy('id'), query);
  return { items: page.items.map(toBranch), meta: page.meta };
}

export async function createBranch(trx: Transaction<Database>, access: Access, input: BranchInput): Promise<BranchView> {
  const row = await trx
    .insertInto('branches')
    .values({ gym_id: access.caller.gymId, id: uuid(), name: input.name, address: input.address ?? null, phone: input.phone ?? null, deleted_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  const branch = toBranch(row);
  await appendAudit(trx, access.caller, { action: 'branch.create', entity: 'branch', entityId: branch.id, old: null, new: branch });
  return branch;
}

export async function updateBranch(trx: Transaction<Database>, access: Access, branchId: string, patch: Partial<BranchInput>): Promise<BranchView> {
  const before = await scopedBranches(trx, access).where('id', '=', branchId).executeTakeFirst();
  if (!before) throw errors.notFound('Branch');
  const row = await trx
    .updateTable('branches')
    .set({ ...definedOnly({ name: patch.name, address: patch.address, phone: patch.phone }), updated_at: new Date() })
    .where('id', '=', branchId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const branch = toBranch(row);
  await appendAudit(trx, access.caller, { action: 'branch.update', entity: 'branch', entityId: branchId, old: toBranch(before), new: branch });
  return branch;
}
