import { errors } from '@gymstack/shared';
import { seal, unseal } from '@gymstack/shared/crypto';
import type { Context } from '../context.js';
import type { FingerprintView } from './contract.js';
import { write } from '../write.js';
import type { GymKeys } from './gym-keys.js';

/** Bound into every sealed template: one moved to another member's credential does not open. */
const templateContext = (credentialId: string, memberId: string) => `finger:${credentialId}:${memberId}`;

export const sealTemplate = (keys: GymKeys, credentialId: string, memberId: string, template: Buffer): Buffer =>
  seal(keys.template.key, template, templateContext(credentialId, memberId));

export function openTemplate(keys: GymKeys, row: { id: string; member_id: string; key_id: string | null; template: Buffer }): Buffer {
  if (row.key_id !== keys.template.keyId) throw new Error(`Template ${row.id} is sealed with key ${row.key_id ?? '?'}, not the gym's ${keys.template.keyId}`);
  return unseal(keys.template.key, row.template, templateContext(row.id, row.member_id));
}

const liveFingers = (ctx: Context) =>
  ctx.store.db
    .selectFrom('member_credentials')
    .where('member_credentials.kind', '=', 'finger')
    .where('member_credentials.deleted_at', 'is', null)
    .where('member_credentials.template', 'is not', null);

export function listFingerprints(ctx: Context, memberId: string): FingerprintView[] {
  const { store } = ctx;
  return store
    .all(
      liveFingers(ctx)
        .leftJoin('finger_pages', 'finger_pages.credential_id', 'member_credentials.id')
        .select(['member_credentials.id', 'member_credentials.consented_at', 'member_credentials.created_at', 'finger_pages.page'])
        .where('member_credentials.member_id', '=', memberId)
        .orderBy('member_credentials.created_at'),
    )
    .map((r) => ({ id: r.id, consentedAt: r.consented_at ?? r.created_at, enrolledAt: r.created_at, onReader: r.page !== null }));
}

/**
 * Stores a template the reader just took at `page`: the credential with its sealed template, the page
 * it sits on here, an audit line, and the mutation that carries it to the cloud and every other desk.
 */
export function saveEnrolled(ctx: Context, keys: GymKeys, enrolled: { id: string; memberId: string; memberName: string; page: number; template: Buffer; consentedAt: string }): void {
  const sealed = sealTemplate(keys, enrolled.id, enrolled.memberId, enrolled.template);
  write(ctx, ['members'], () => {
    const { store, desk } = ctx;
    const now = ctx.clock().toISOString();
    store.run(
      store.db.insertInto('member_credentials').values({
        id: enrolled.id,
        gym_id: desk.gym.id,
        member_id: enrolled.memberId,
        kind: 'finger',
        value: enrolled.id,
        template: sealed,
        key_id: keys.template.keyId,
        consented_at: enrolled.consentedAt,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      }),
    );
    store.run(store.db.insertInto('finger_pages').values({ page: enrolled.page, credential_id: enrolled.id, loaded_at: now }));
    return {
      result: null,
      audit: { action: 'fingerprint.enroll', entity: 'member', entityId: enrolled.memberId, summary: `Enrolled a fingerprint for ${enrolled.memberName}, with consent` },
      mutation: {
        name: 'fingerprints/enroll',
        args: { id: enrolled.id, memberId: enrolled.memberId, template: sealed.toString('base64'), keyId: keys.template.keyId, consentedAt: enrolled.consentedAt },
      },
    };
  });
}

/** Forgets a fingerprint: the template is destroyed here and, through sync, everywhere. Returns the page it was on. */
export function removeFingerprint(ctx: Context, member: { id: string; fullName: string }, fingerprintId: string): number | null {
  const { store } = ctx;
  const row = store.first(liveFingers(ctx).select('id').where('id', '=', fingerprintId).where('member_id', '=', member.id));
  if (!row) throw errors.notFound('Fingerprint');
  const page = store.first(store.db.selectFrom('finger_pages').select('page').where('credential_id', '=', fingerprintId))?.page ?? null;
  write(ctx, ['members'], () => {
    const now = ctx.clock().toISOString();
    store.run(store.db.updateTable('member_credentials').set({ template: null, key_id: null, deleted_at: now, updated_at: now }).where('id', '=', fingerprintId));
    store.run(store.db.deleteFrom('finger_pages').where('credential_id', '=', fingerprintId));
    return {
      result: null,
      audit: { action: 'fingerprint.remove', entity: 'member', entityId: member.id, summary: `Removed a fingerprint of ${member.fullName}` },
      mutation: { name: 'fingerprints/remove', args: { id: fingerprintId, memberId: member.id } },
    };
  });
  return page;
}

/** Every template this desk's reader should hold: live fingerprints of live members. */
export function wantedTemplates(ctx: Context): { id: string; member_id: string; key_id: string | null; template: Buffer }[] {
  const rows = ctx.store.all(
    liveFingers(ctx)
      .innerJoin('members', 'members.id', 'member_credentials.member_id')
      .where('members.deleted_at', 'is', null)
      .select(['member_credentials.id', 'member_credentials.member_id', 'member_credentials.key_id', 'member_credentials.template']),
  );
  return rows.flatMap((r) => (r.template ? [{ ...r, template: r.template }] : []));
}
