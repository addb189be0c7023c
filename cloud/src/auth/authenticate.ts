import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Authenticate } from '../http/plugins/tenancy.js';
import { sessionLive } from './lookups.js';
import { type TokenService, unauthenticated } from './tokens.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * The tenant routes' caller: a Bearer access token we signed and that has not expired, whose subject is
 * still live (one primary-key probe: a revoked desk, a deactivated staff member or a changed password
 * ends every token at once). Every failure is the same 401, whatever the reason.
 */
export function bearerAuthenticate(db: Kysely<Database>, tokens: TokenService): Authenticate {
  return async (request) => {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw unauthenticated();
    const claims = await tokens.verify(token);
    if (!(await sessionLive(db, claims))) throw unauthenticated();
    return {
      gymId: claims.gymId,
      userId: claims.userId,
      role: claims.role,
      branchIds: claims.branchIds,
      memberId: claims.memberId,
      deviceId: claims.deviceId,
      ip: request.ip,
    };
  };
}
