import type { Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { Database } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';
import { newSecret, sha256 } from './secrets.js';
import { ACCESS_TOKEN_TTL_SECONDS, type AccessGrant, type TokenService } from './tokens.js';

const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Who a refresh token belongs to. Desks have none: they prove their key for each access token. */
export type SessionSubject = { kind: 'staff' | 'member'; id: string };

export interface SessionTokens {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
}

/** The grant of a caller, as put into an access token: the scope minus what is per request. */
export const grantOf = (scope: TenantScope, version?: number): AccessGrant => ({
  gymId: scope.gymId,
  userId: scope.userId,
  role: scope.role,
  branchIds: scope.branchIds,
  memberId: scope.memberId,
  deviceId: scope.deviceId,
  version,
});

/**
 * An access token and a refresh token. The refresh token is opaque and stored only as its SHA-256;
 * `familyId` continues a rotated session, else a new family (a new login) starts.
 */
export async function startSession(
  trx: Transaction<Database>,
  tokens: TokenService,
  grant: AccessGrant,
  subject: SessionSubject,
  familyId: string = uuid(),
): Promise<SessionTokens> {
  const refreshToken = newSecret();
  await trx
    .insertInto('refresh_tokens')
    .values({
      gym_id: grant.gymId,
      id: uuid(),
      family_id: familyId,
      subject_kind: subject.kind,
      subject_id: subject.id,
      token_hash: sha256(refreshToken),
      expires_at: new Date(Date.now() + REFRESH_TOKEN_TTL_MS),
      rotated_at: null,
      revoked_at: null,
    })
    .execute();
  return { accessToken: await tokens.sign(grant), expiresIn: ACCESS_TOKEN_TTL_SECONDS, refreshToken };
}

/** Ends every refresh token of a family (logout, or a reused token). */
export async function revokeFamily(trx: Transaction<Database>, familyId: string): Promise<void> {
  await trx.updateTable('refresh_tokens').set({ revoked_at: new Date() }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
}

/** Ends every refresh token of a subject (password change). */
export async function revokeSubject(trx: Transaction<Database>, subject: SessionSubject): Promise<void> {
  await trx
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date() })
    .where('subject_kind', '=', subject.kind)
    .where('subject_id', '=', subject.id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** A refresh token row, locked for the rest of the transaction so two uses of one token serialize. */
export function lockRefreshToken(trx: Transaction<Database>, id: string) {
  return trx
    .selectFrom('refresh_tokens')
    .select(['id', 'family_id', 'subject_kind', 'subject_id', 'expires_at', 'rotated_at', 'revoked_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/**
 * The grant a refreshed session gets: read afresh, so a changed role or branch list applies at once;
 * null when the staff member was deactivated or deleted, or the member erased.
 */
export async function currentGrant(trx: Transaction<Database>, caller: TenantScope, kind: SessionSubject['kind']): Promise<AccessGrant | null> {
  if (kind === 'member') {
    const member = await trx.selectFrom('members').select('id').where('id', '=', caller.userId).where('deleted_at', 'is', null).executeTakeFirst();
    return member ? grantOf(caller) : null;
  }
  const staff = await trx
    .selectFrom('staff')
    .select(['role', 'branch_ids', 'token_version'])
    .where('id', '=', caller.userId)
    .where('active', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return staff ? grantOf({ ...caller, role: staff.role, branchIds: staff.branch_ids }, staff.token_version) : null;
}
