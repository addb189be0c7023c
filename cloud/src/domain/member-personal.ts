import type { Member } from '@gymstack/shared';
import { type Transaction, type Updateable, sql } from 'kysely';
import type { Database, MemberTable } from '../db/schema.js';
import type { CheckinView } from './schemas.js';

type Erasable = { [C in keyof MemberTable]?: { erased: (memberId: string) => Updateable<MemberTable>[C]; auditKeys: readonly (keyof Member | keyof CheckinView)[] } };

/** What erasure leaves in the phone: unique to the row, so the NOT NULL and uniqueness rules hold. */
export const erasedPhone = (memberId: string): string => `erased-${memberId}`;

/**
 * A member's personal data (DPDP Act / GDPR), the one list of it: each personal column of `members`,
 * what erasure leaves in it, and the keys under which audit snapshots carry its value (`toMember` for
 * member rows, `toCheckin`'s `memberName` for check-ins). Erasure anonymises these columns and redacts
 * these keys in the audit log from the same entries, so the two can never drift apart. The code, branch
 * and timestamps are not personal: they stay, and so do payments and invoices (tax law).
 */
export const personalMemberFields = {
  full_name: { erased: () => 'Erased member', auditKeys: ['fullName', 'memberName'] },
  phone: { erased: erasedPhone, auditKeys: ['phone'] },
  email: { erased: () => null, auditKeys: ['email'] },
  date_of_birth: { erased: () => null, auditKeys: ['dateOfBirth'] },
  gender: { erased: () => null, auditKeys: ['gender'] },
  emergency_contact: { erased: () => null, auditKeys: ['emergencyContact'] },
  medical_notes: { erased: () => null, auditKeys: ['medicalNotes'] },
  goal: { erased: () => null, auditKeys: ['goal'] },
  source: { erased: () => null, auditKeys: ['source'] },
  state_code: { erased: () => null, auditKeys: ['stateCode'] },
} as const satisfies Erasable;

type PersonalColumn = keyof typeof personalMemberFields;

/** The personal columns, by name (the erasure's audit row lists them, never their values). */
export const personalMemberColumns = Object.keys(personalMemberFields) as PersonalColumn[];

/** The snapshot keys the audit log redacts. */
export const personalAuditKeys: readonly string[] = [...new Set(Object.values(personalMemberFields).flatMap((f) => f.auditKeys))];

/** The `members` update that anonymises one member. */
export function anonymisedMember(memberId: string): Pick<Updateable<MemberTable>, PersonalColumn> {
  return Object.fromEntries(personalMemberColumns.map((c) => [c, personalMemberFields[c].erased(memberId)]));
}

/**
 * Replaces the personal values in the audit rows about an erased member, in the transaction's gym, with
 * a redaction marker (migration 2026_11_22_0003: the one change the append-only audit log allows). The
 * member row must already be anonymised and soft-deleted. Returns how many audit rows changed.
 */
export async function redactMemberAudit(trx: Transaction<Database>, memberId: string): Promise<number> {
  const { rows } = await sql<{ redacted: number }>`select redact_member_audit(${memberId}::uuid, ${personalAuditKeys}::text[]) as redacted`.execute(trx);
  return rows[0]?.redacted ?? 0;
}

/** The push log's keys: a desk's `members/setPhoto` carries the photo itself. */
const personalSyncKeys: readonly string[] = [...personalAuditKeys, 'dataUrl'];

/**
 * Replaces the personal values in the desks' push log about an erased member (migration
 * 2026_11_26_0001), as `redactMemberAudit` does for the audit log. Returns how many mutations changed.
 */
export async function redactMemberSyncLog(trx: Transaction<Database>, memberId: string): Promise<number> {
  const { rows } = await sql<{ redacted: number }>`select redact_member_sync_log(${memberId}::uuid, ${personalSyncKeys}::text[]) as redacted`.execute(trx);
  return rows[0]?.redacted ?? 0;
}
