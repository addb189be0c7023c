import { type MutationArgs, errors } from '@gymstack/shared';
import type { Transaction } from 'kysely';
import type { Access } from '../auth/permissions.js';
import type { Database } from '../db/schema.js';
import { appendAudit } from './audit.js';
import { findMember } from './members.js';

/**
 * A fingerprint enrolled at a desk (DESIGN 7): the template arrives sealed with the gym's template key and
 * is stored as it came; the cloud never needs it in the clear. The audit line never carries the template.
 */
export async function enrollFingerprint(trx: Transaction<Database>, access: Access, args: MutationArgs<'fingerprints/enroll'>): Promise<void> {
  const member = await findMember(trx, access, args.memberId);
  const key = await trx.selectFrom('gym_keys').select('key_id').where('kind', '=', 'template').where('key_id', '=', args.keyId).executeTakeFirst();
  if (!key) throw errors.conflict(`Fingerprint sealed with key ${args.keyId}, which is not this gym's template key`);
  await trx
    .insertInto('member_credentials')
    .values({
      gym_id: access.caller.gymId,
      id: args.id,
      member_id: member.id,
      kind: 'finger',
      value: args.id,
      template: Buffer.from(args.template, 'base64'),
      key_id: args.keyId,
      consented_at: new Date(args.consentedAt),
      deleted_at: null,
    })
    .execute();
  await appendAudit(trx, access.caller, { action: 'fingerprint.enroll', entity: 'member', entityId: member.id, old: null, new: { credential: args.id, consentedAt: args.consentedAt } });
}

/** A fingerprint removed at a desk: the template is destroyed, the credential kept as a tombstone. */
export async function removeFingerprint(trx: Transaction<Database>, access: Access, args: MutationArgs<'fingerprints/remove'>): Promise<void> {
  const member = await findMember(trx, access, args.memberId);
  const now = new Date();
  const removed = await trx
    .updateTable('member_credentials')
    .set({ template: null, key_id: null, deleted_at: now, updated_at: now })
    .where('id', '=', args.id)
    .where('member_id', '=', member.id)
    .where('kind', '=', 'finger')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (removed.numUpdatedRows === 0n) throw errors.notFound('Fingerprint');
  await appendAudit(trx, access.caller, { action: 'fingerprint.remove', entity: 'member', entityId: member.id, old: { credential: args.id }, new: null });
}
