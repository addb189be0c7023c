import { type Member, errors, memberStatus } from '@gymstack/shared';
import { type Selectable, type Transaction, sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { z } from 'zod';
import type { Access } from '../auth/permissions.js';
import type { Database, MemberTable } from '../db/schema.js';
import { appendAudit } from './audit.js';
import { type GymContext, loadGym } from './gym.js';
import { type Page, paginateCounted } from './page.js';
import { definedOnly } from './patch.js';
import { unique } from './unique.js';
import { type MemberListQuery, type MemberView, type memberCreateSchema, type memberPatchSchema } from './schemas.js';
import { assertBranchInScope, inScope } from './scope.js';
import { derivedStatusConditions, loadFacts } from './status.js';
import { enqueueNotification, isNews } from '../notifications/enqueue.js';

export type MemberRow = Selectable<MemberTable>;
type MemberCreate = z.infer<typeof memberCreateSchema>;
type MemberPatch = z.infer<typeof memberPatchSchema>;

/** Codes the cloud assigns; desks use their own prefix, so the two never race for one number. */
const CLOUD_CODE_PREFIX = 'WB';

export const toMember = (r: MemberRow): Member => ({
  id: r.id,
  branchId: r.branch_id,
  code: r.code,
  fullName: r.full_name,
  phone: r.phone,
  email: r.email,
  dateOfBirth: r.date_of_birth,
  gender: r.gender,
  emergencyContact: r.emergency_contact,
  medicalNotes: r.medical_notes,
  goal: r.goal as Member['goal'],
  source: r.source as Member['source'],
  stateCode: r.state_code,
  // Photos stay on the desks for now; the cloud holds none.
  hasPhoto: false,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Live members the caller's grant reaches (scope.ts). */
const scopedMembers = (trx: Transaction<Database>, access: Access) =>
  trx.selectFrom('members').selectAll().where('deleted_at', 'is', null).where(inScope(access, { member: 'members.id', branch: 'members.branch_id' }));

/** A live member in the caller's scope; anyone else's is NOT_FOUND, exactly like a missing one. */
export async function findMember(trx: Transaction<Database>, access: Access, memberId: string): Promise<MemberRow> {
  const row = await scopedMembers(trx, access).where('id', '=', memberId).executeTakeFirst();
  if (!row) throw errors.notFound('Member');
  return row;
}

/** Members with their derived status, statuses from one batched query. */
async function withStatus(trx: Transaction<Database>, ctx: GymContext, rows: readonly MemberRow[]): Promise<MemberView[]> {
  const facts = await loadFacts(trx, rows.map((r) => r.id));
  return rows.map((r) => ({ ...toMember(r), status: memberStatus(facts.get(r.id) ?? [], ctx.today, ctx.settings).status }));
}

async function viewOf(trx: Transaction<Database>, row: MemberRow): Promise<MemberView> {
  const [view] = await withStatus(trx, await loadGym(trx), [row]);
  return view as MemberView;
}

export async function getMember(trx: Transaction<Database>, access: Access, memberId: string): Promise<MemberView> {
  return viewOf(trx, await findMember(trx, access, memberId));
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Members by name, with search (any part of the name or code, or of the phone's digits), branch and the
 * derived-status filters (status, dues, expiry) all in SQL, then one page whose statuses come from the
 * shared rules. The status filters are SQL restatements of those rules (status.ts), and the page carries
 * its total (`paginateCounted`), so a filtered page costs one query however many members the gym has.
 */
export async function listMembers(trx: Transaction<Database>, access: Access, query: MemberListQuery): Promise<Page<MemberView>> {
  const ctx = await loadGym(trx);
  let rows = scopedMembers(trx, access);
  if (query.branchId) rows = rows.where('branch_id', '=', query.branchId);
  if (query.q) {
    const text = `%${escapeLike(query.q)}%`;
    const digits = query.q.replace(/\D/g, '');
    rows = rows.where((eb) =>
      eb.or([eb('full_name', 'ilike', text), eb('code', 'ilike', text), ...(digits.length >= 3 ? [eb('phone', 'like', `%${digits}%`)] : [])]),
    );
  }
  for (const condition of derivedStatusConditions(query, ctx.today, ctx.settings)) rows = rows.where(condition);
  const page = await paginateCounted(trx, rows.orderBy(sql`lower(full_name)`).orderBy('id'), query);
  return { items: await withStatus(trx, ctx, page.items), meta: page.meta };
}

/** Phone and code are unique among the gym's live members, whoever may see them. */
const memberTaken = (fields: { phone?: string | undefined; code?: string | undefined }) => ({
  members_phone: () => errors.duplicatePhone(fields.phone ?? ''),
  members_code: () => errors.conflict(`Member code ${fields.code ?? ''} is already in use`),
});

/** The next free cloud member code; the gym row's counter is bumped in the caller's transaction. */
async function nextMemberCode(trx: Transaction<Database>): Promise<string> {
  for (;;) {
    const { member_code_seq } = await trx
      .updateTable('gyms')
      .set((eb) => ({ member_code_seq: eb('member_code_seq', '+', 1) }))
      .returning('member_code_seq')
      .executeTakeFirstOrThrow();
    const code = `${CLOUD_CODE_PREFIX}${member_code_seq}`;
    // A hand-typed code may already hold the number; skip past it.
    const taken = await trx.selectFrom('members').select('id').where('code', '=', code).where('deleted_at', 'is', null).executeTakeFirst();
    if (!taken) return code;
  }
}

/** A live branch the caller may act in. */
export async function assertBranch(trx: Transaction<Database>, access: Access, branchId: string): Promise<void> {
  assertBranchInScope(access, branchId);
  const branch = await trx.selectFrom('branches').select('id').where('id', '=', branchId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!branch) throw errors.notFound('Branch');
}

/** The caller's only (or first) branch, else the gym's oldest. */
async function defaultBranch(trx: Transaction<Database>, access: Access): Promise<string> {
  const own = access.caller.branchIds[0];
  if (own) return own;
  const first = await trx.selectFrom('branches').select('id').where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').executeTakeFirst();
  if (!first) throw errors.notFound('Branch');
  return first.id;
}

/** Input fields to columns; a field absent from a patch stays absent, so an update merges. */
const memberColumns = (input: MemberPatch) =>
  definedOnly({
    full_name: input.fullName,
    phone: input.phone,
    email: input.email,
    date_of_birth: input.dateOfBirth,
    gender: input.gender,
    emergency_contact: input.emergencyContact,
    medical_notes: input.medicalNotes === undefined ? undefined : input.medicalNotes || null,
    goal: input.goal,
    source: input.source,
    state_code: input.stateCode,
    code: input.code,
  });

/** `born`: a member enrolled at a desk keeps the id and instant it was born with there (sync push). */
export async function createMember(trx: Transaction<Database>, access: Access, input: MemberCreate, born?: { id: string; at: Date }): Promise<MemberView> {
  const branchId = input.branchId ?? (await defaultBranch(trx, access));
  await assertBranch(trx, access, branchId);
  const code = input.code ?? (await nextMemberCode(trx));
  const row = await unique(
    trx
    .insertInto('members')
    .values({
      email: null,
      date_of_birth: null,
      gender: null,
      emergency_contact: null,
      medical_notes: null,
      goal: null,
      source: null,
      state_code: null,
      ...memberColumns(input),
      gym_id: access.caller.gymId,
      id: born?.id ?? uuid(),
      ...(born ? { created_at: born.at, updated_at: born.at } : {}),
      branch_id: branchId,
      full_name: input.fullName,
      phone: input.phone,
      code,
      deleted_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow(),
    memberTaken(input),
  );
  const member = toMember(row);
  // Queued in the member's own transaction: no welcome for an enrolment that rolls back.
  if (isNews(row.created_at, new Date())) {
    await enqueueNotification(trx, { gymId: access.caller.gymId, memberId: row.id, memberName: row.full_name, template: 'welcome_member', dueAt: row.created_at, data: {} });
  }
  await appendAudit(trx, access.caller, { action: 'member.create', entity: 'member', entityId: row.id, old: null, new: member });
  return viewOf(trx, row);
}

export async function updateMember(trx: Transaction<Database>, access: Access, memberId: string, patch: MemberPatch): Promise<MemberView> {
  const before = await findMember(trx, access, memberId);
  const row = await unique(
    trx.updateTable('members').set({ ...memberColumns(patch), updated_at: new Date() }).where('id', '=', memberId).returningAll().executeTakeFirstOrThrow(),
    memberTaken(patch),
  );
  await appendAudit(trx, access.caller, { action: 'member.update', entity: 'member', entityId: memberId, old: toMember(before), new: toMember(row) });
  return viewOf(trx, row);
}

/** Soft delete (DESIGN 3): the row stays for history and syncs as a tombstone; phone and code are freed. */
export async function deleteMember(trx: Transaction<Database>, access: Access, memberId: string): Promise<void> {
  const before = await findMember(trx, access, memberId);
  await trx.updateTable('members').set({ deleted_at: new Date(), updated_at: new Date() }).where('id', '=', memberId).execute();
  await appendAudit(trx, access.caller, { action: 'member.delete', entity: 'member', entityId: memberId, old: toMember(before), new: null });
}
