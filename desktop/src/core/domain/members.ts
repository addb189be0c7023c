import { type Member, type MemberInputParsed, errors } from '@gymstack/shared';
import type { Context } from '../context.js';
import { toMember } from '../db/rows.js';
import type { MemberTable } from '../db/schema.js';
import { hasPhoto } from './member-status.js';

export const MEMBER_CODE_PREFIX = 'GS';

export function findMember(ctx: Context, memberId: string): Member {
  const { store } = ctx;
  const row = store.first(store.db.selectFrom('members').selectAll().select(hasPhoto).where('id', '=', memberId).where('deleted_at', 'is', null));
  if (!row) throw errors.notFound('Member');
  return toMember(row);
}

/** Phone and code are unique among live members; `exceptId` is the member being edited. */
export function assertUnique(ctx: Context, fields: { phone?: string; code?: string }, exceptId: string | null): void {
  const { store } = ctx;
  const clash = (column: 'phone' | 'code', value: string) =>
    store.first(
      store.db
        .selectFrom('members')
        .select('id')
        .where(column, '=', value)
        .where('deleted_at', 'is', null)
        .where('id', '!=', exceptId ?? ''),
    ) !== undefined;
  if (fields.phone !== undefined && clash('phone', fields.phone)) throw errors.duplicatePhone(fields.phone);
  if (fields.code !== undefined && clash('code', fields.code)) throw errors.conflict(`Member code ${fields.code} is already in use`);
}

/**
 * The next free code from the desk's counter: `GS1001` on a standalone desk, `D2-1001` on a paired one
 * (its desk code first, so desks of one gym never hand out the same code offline). Call inside the
 * write's transaction.
 */
export function nextMemberCode(ctx: Context): string {
  const { store } = ctx;
  for (;;) {
    store.run(store.db.updateTable('settings').set((eb) => ({ member_code_seq: eb('member_code_seq', '+', 1) })).where('device_id', '=', ctx.desk.deviceId));
    const seq = store.first(store.db.selectFrom('settings').select('member_code_seq').where('device_id', '=', ctx.desk.deviceId));
    const prefix = ctx.desk.deskCode === null ? MEMBER_CODE_PREFIX : `${ctx.desk.deskCode}-`;
    const code = `${prefix}${seq?.member_code_seq ?? 0}`;
    // A hand-typed code may already hold the number; skip past it.
    if (!store.first(store.db.selectFrom('members').select('id').where('code', '=', code).where('deleted_at', 'is', null))) return code;
  }
}

type MemberColumns = Omit<MemberTable, 'id' | 'gym_id' | 'branch_id' | 'code' | 'created_at' | 'updated_at' | 'deleted_at'>;

/** undefined stays undefined (a patch leaves the field alone); a cleared field becomes null. */
const orNull = <T>(value: T | null | undefined): T | null | undefined => (value === undefined ? undefined : (value ?? null));

/** Input fields to columns; a field absent from a patch stays absent, so an update merges. */
export function memberColumns(input: Partial<MemberInputParsed>): Partial<MemberColumns> {
  const contact = orNull(input.emergencyContact);
  const columns: Partial<MemberColumns> = {
    full_name: input.fullName,
    phone: input.phone,
    email: orNull(input.email),
    date_of_birth: orNull(input.dateOfBirth),
    gender: orNull(input.gender),
    emergency_contact: contact && JSON.stringify(contact),
    medical_notes: input.medicalNotes === undefined ? undefined : input.medicalNotes || null,
    goal: orNull(input.goal),
    source: orNull(input.source),
    state_code: orNull(input.stateCode),
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
}
