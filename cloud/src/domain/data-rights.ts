import { errors } from '@gymstack/shared';
import { strToU8, zipSync } from 'fflate';
import { type Transaction, sql } from 'kysely';
import type { Access } from '../auth/permissions.js';
import type { Database } from '../db/schema.js';
import { appendAudit } from './audit.js';
import { anonymisedMember, erasedPhone, personalMemberColumns, redactMemberAudit, redactMemberSyncLog } from './member-personal.js';
import { toMember } from './members.js';
import { inScope } from './scope.js';
import { eraseMemberNotifications } from '../notifications/erase.js';

/** A member, deleted or not: data rights outlive a soft delete. */
async function anyMember(trx: Transaction<Database>, access: Access, memberId: string) {
  const row = await trx.selectFrom('members').selectAll().where('id', '=', memberId).where(inScope(access, { member: 'members.id', branch: 'members.branch_id' })).executeTakeFirst();
  if (!row) throw errors.notFound('Member');
  return row;
}

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** RFC 4180 CSV with a header row taken from the first record (empty when there is none). */
function toCsv(records: readonly Record<string, unknown>[]): string {
  const [first] = records;
  if (!first) return '';
  const columns = Object.keys(first);
  return [columns.join(','), ...records.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/**
 * Everything the gym holds about one member (DPDP Act / GDPR access and portability): profile,
 * memberships, freezes, payments, invoices, check-ins, trainer assignments and credentials (metadata
 * only: a fingerprint template never leaves), as one JSON document and one CSV per kind, zipped.
 */
export async function exportMember(trx: Transaction<Database>, access: Access, memberId: string): Promise<Uint8Array> {
  const member = await anyMember(trx, access, memberId);
  const ofMember = async (table: 'memberships' | 'payments' | 'invoices' | 'checkins' | 'trainer_assignments') =>
    (await sql<Record<string, unknown>>`select * from ${sql.table(table)} where member_id = ${memberId} order by created_at, id`.execute(trx)).rows;
  const memberships = await ofMember('memberships');
  const sections: Record<string, Record<string, unknown>[]> = {
    profile: [toMember(member)],
    memberships,
    freezes:
      memberships.length === 0
        ? []
        : await trx.selectFrom('freezes').selectAll().where('membership_id', 'in', memberships.map((m) => m.id as string)).execute(),
    payments: await ofMember('payments'),
    invoices: await ofMember('invoices'),
    checkins: await ofMember('checkins'),
    trainer_assignments: await ofMember('trainer_assignments'),
    credentials: await trx
      .selectFrom('member_credentials')
      .select(['id', 'kind', 'value', 'key_id', 'consented_at', 'created_at', 'updated_at', 'deleted_at'])
      .select((eb) => eb('template', 'is not', null).as('has_template'))
      .where('member_id', '=', memberId)
      .execute(),
  };
  const files: Record<string, Uint8Array> = {
    'member.json': strToU8(JSON.stringify({ exportedAt: new Date().toISOString(), ...sections }, null, 2)),
  };
  for (const [name, records] of Object.entries(sections)) files[`${name}.csv`] = strToU8(toCsv(records));
  await appendAudit(trx, access.caller, { action: 'member.export', entity: 'member', entityId: memberId, old: null, new: { files: Object.keys(files) } });
  return zipSync(files);
}

/**
 * Erasure (DPDP Act / GDPR): personal fields anonymised, biometric templates destroyed and the member's
 * personal data redacted from the audit log and the desks' push log, in one transaction with its own audit row. The personal
 * fields are one list (member-personal.ts) for the anonymisation and the redaction alike. Payments and
 * invoices stay exactly as issued, as tax law requires; they still point at the member row, which now
 * names no one. The member is soft-deleted as well.
 */
export async function eraseMember(trx: Transaction<Database>, access: Access, memberId: string): Promise<void> {
  const member = await anyMember(trx, access, memberId);
  const now = new Date();
  const placeholder = erasedPhone(memberId);
  await trx
    .updateTable('members')
    .set({ ...anonymisedMember(memberId), updated_at: now, deleted_at: member.deleted_at ?? now })
    .where('id', '=', memberId)
    .execute();
  await trx
    .updateTable('member_credentials')
    .set((eb) => ({ template: null, key_id: null, value: placeholder, updated_at: now, deleted_at: eb.fn.coalesce('deleted_at', eb.val(now)) }))
    .where('member_id', '=', memberId)
    .execute();
  // Login codes sent to the phone are personal data too; they are keyed by phone, not by member.
  await trx.updateTable('member_otps').set({ phone: placeholder }).where('phone', '=', member.phone).execute();
  // The WhatsApp messages carried their name, number and text.
  await eraseMemberNotifications(trx, memberId, now);
  // After the anonymisation: the database redacts only an erased member's rows.
  const redactedAuditRows = await redactMemberAudit(trx, memberId);
  const redactedSyncRows = await redactMemberSyncLog(trx, memberId);
  // Names the fields, never their values; written after the redaction, which it records.
  await appendAudit(trx, access.caller, { action: 'member.erase', entity: 'member', entityId: memberId, old: { fields: personalMemberColumns }, new: { redactedAuditRows, redactedSyncRows } });
}
