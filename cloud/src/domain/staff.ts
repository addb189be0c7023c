import { AppError, ErrorCode, errors } from '@gymstack/shared';
import { type Selectable, type SqlBool, type Transaction, sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Access } from '../auth/permissions.js';
import type { PasswordHasher } from '../auth/passwords.js';
import type { Database, StaffRole, StaffTable } from '../db/schema.js';
import { appendAudit } from './audit.js';
import { assertBranch } from './members.js';
import { type Page, type PageRequest, paginate } from './page.js';
import { definedOnly } from './patch.js';
import { unique } from './unique.js';
import type { StaffInput, StaffPatch, StaffView } from './schemas.js';

type StaffRow = Selectable<StaffTable>;

/** The API's view of a row: never the password or PIN hash, only whether there is a PIN. */
const toStaff = (r: StaffRow): StaffView => ({
  id: r.id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  role: r.role,
  branchIds: r.branch_ids,
  active: r.active,
  hasPin: r.pin_hash !== null,
});

/**
 * The audit row of a PIN set, changed or cleared (`staff.pin`): whether there was one and is one, never
 * the PIN or its hash.
 */
const pinAudit = (staffId: string, before: StaffRow | null, after: StaffRow) => ({
  action: 'staff.pin',
  entity: 'staff',
  entityId: staffId,
  old: before === null ? null : { hasPin: before.pin_hash !== null },
  new: { hasPin: after.pin_hash !== null },
});

const rank: Record<StaffRole, number> = { trainer: 0, frontdesk: 0, manager: 1, owner: 2 };

/**
 * As at the desk: staff manage only roles below their own, owners everyone, so a manager can never
 * make or take over a manager's or an owner's login.
 */
function assertCanManage(access: Access, role: StaffRole): void {
  const actor = access.caller.role;
  if (actor !== 'owner' && (actor === 'member' || actor === 'desk' || rank[actor] <= rank[role])) {
    throw new AppError(ErrorCode.Forbidden, `A ${actor} cannot manage a ${role}`);
  }
}

/**
 * A manager's grant on staff is their branches: staff who work at one of them. Staff of every branch
 * (no branch listed) are the owner's to manage.
 */
function scopedStaff(trx: Transaction<Database>, access: Access) {
  const { branchIds } = access.caller;
  const mine = access.scope === 'branch' && branchIds.length > 0 ? sql<SqlBool>`branch_ids && ${branchIds}::uuid[]` : sql<SqlBool>`true`;
  return trx.selectFrom('staff').selectAll().where('deleted_at', 'is', null).where(mine);
}

async function findStaff(trx: Transaction<Database>, access: Access, staffId: string): Promise<StaffRow> {
  const row = await scopedStaff(trx, access).where('id', '=', staffId).executeTakeFirst();
  if (!row) throw errors.notFound('Staff member');
  return row;
}

/** A branch-scoped manager gives staff only their own branches, and cannot make one who works everywhere. */
async function assertBranches(trx: Transaction<Database>, access: Access, branchIds: readonly string[]): Promise<void> {
  if (access.scope === 'branch' && access.caller.branchIds.length > 0 && branchIds.length === 0) {
    throw errors.validation([{ path: 'branchIds', message: 'Choose at least one of your branches' }]);
  }
  for (const branchId of branchIds) await assertBranch(trx, access, branchId);
}

/** Email and phone log staff in, so each names one live person across every gym (auth migration). */
const loginTaken = (fields: { email?: string | null | undefined; phone?: string | null | undefined }) => {
  const taken = (value: string | null | undefined) => () => errors.conflict(`Someone already logs in with ${value}`);
  return { staff_login_email: taken(fields.email), staff_email: taken(fields.email), staff_login_phone: taken(fields.phone), staff_phone: taken(fields.phone) };
};

export async function listStaff(trx: Transaction<Database>, access: Access, query: PageRequest): Promise<Page<StaffView>> {
  const page = await paginate(trx, scopedStaff(trx, access).orderBy('name').orderBy('id'), query);
  return { items: page.items.map(toStaff), meta: page.meta };
}

export async function createStaff(trx: Transaction<Database>, access: Access, passwords: PasswordHasher, input: StaffInput): Promise<StaffView> {
  assertCanManage(access, input.role);
  await assertBranches(trx, access, input.branchIds);
  const row = await unique(
    trx
    .insertInto('staff')
    .values({
      gym_id: access.caller.gymId,
      id: uuid(),
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      password_hash: input.password === undefined ? null : await passwords.hash(input.password),
      // argon2id, as the desk hashes its own PINs; the PHC string carries its cost, so a desk verifies it as is.
      pin_hash: input.pin === undefined ? null : await passwords.hash(input.pin),
      role: input.role,
      branch_ids: input.branchIds,
      password_changed_at: null,
      deleted_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow(),
    loginTaken(input),
  );
  const staff = toStaff(row);
  await appendAudit(trx, access.caller, { action: 'staff.create', entity: 'staff', entityId: staff.id, old: null, new: staff });
  if (row.pin_hash !== null) await appendAudit(trx, access.caller, pinAudit(staff.id, null, row));
  return staff;
}

/**
 * Field merge; a change of role or branches ends the person's sessions (the auth layer's token version).
 * `pin` sets (or, null, clears) the desk PIN, which reaches the desks through the staff shape. As at the
 * desk, a caller may change their own PIN, though nothing else about themself.
 */
export async function updateStaff(trx: Transaction<Database>, access: Access, passwords: PasswordHasher, staffId: string, patch: StaffPatch): Promise<StaffView> {
  const before = await findStaff(trx, access, staffId);
  const { pin, ...fields } = patch;
  const details = Object.values(fields).some((v) => v !== undefined);
  const ownPinOnly = before.id === access.caller.userId && !details;
  if (!ownPinOnly) assertCanManage(access, before.role);
  if (patch.role !== undefined) assertCanManage(access, patch.role);
  if (patch.branchIds !== undefined) await assertBranches(trx, access, patch.branchIds);
  // Hashed only once the caller may: a refused request costs no argon2 work.
  const pinHash = pin === undefined ? undefined : pin === null ? null : await passwords.hash(pin);
  const row = await unique(
    trx
      .updateTable('staff')
      .set({
        ...definedOnly({ name: patch.name, email: patch.email, phone: patch.phone, role: patch.role, branch_ids: patch.branchIds, pin_hash: pinHash }),
        updated_at: new Date(),
      })
      .where('id', '=', staffId)
      .returningAll()
      .executeTakeFirstOrThrow(),
    loginTaken(patch),
  );
  const staff = toStaff(row);
  // A PIN-only change is recorded as what it is; anything else (an empty patch too) as an update.
  if (details || pin === undefined) {
    await appendAudit(trx, access.caller, { action: 'staff.update', entity: 'staff', entityId: staffId, old: toStaff(before), new: staff });
  }
  if (pin !== undefined) await appendAudit(trx, access.caller, pinAudit(staffId, before, row));
  return staff;
}

export async function deactivateStaff(trx: Transaction<Database>, access: Access, staffId: string): Promise<StaffView> {
  const before = await findStaff(trx, access, staffId);
  if (before.id === access.caller.userId) throw errors.conflict('You cannot deactivate yourself');
  assertCanManage(access, before.role);
  const row = await trx.updateTable('staff').set({ active: false, updated_at: new Date() }).where('id', '=', staffId).returningAll().executeTakeFirstOrThrow();
  const staff = toStaff(row);
  await appendAudit(trx, access.caller, { action: 'staff.deactivate', entity: 'staff', entityId: staffId, old: toStaff(before), new: staff });
  return staff;
}
