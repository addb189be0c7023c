import { refreshTokenCaller } from '../auth/callers.js';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { findRefreshToken } from '../auth/lookups.js';
import { refreshBodySchema, sessionSchema } from '../auth/schemas.js';
import { sha256 } from '../auth/secrets.js';
import { currentGrant, lockRefreshToken, revokeFamily, startSession } from '../auth/sessions.js';
import { unauthenticated } from '../auth/tokens.js';
import { withTenant } from '../db/tenant.js';
import { appendAudit } from '../domain/audit.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

/**
 * Trades a refresh token for a new pair; the old one is spent. A spent token presented again means it
 * was copied (or the client raced itself): the whole family is revoked, the legitimate holder's newest
 * token included, and everyone signs in again.
 */
export const postAuthRefresh: Route = (app, { db, auth }) => {
  app.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        summary: 'Rotate a refresh token',
        tags: ['auth'],
        body: refreshBodySchema,
        response: { 200: okSchema(sessionSchema), 400: failureSchema, 401: failureSchema, 429: failureSchema },
      },
      config: { rateLimit: ipLimit(auth.limits) },
      preHandler: accountLimit<{ refreshToken: string }>(app, auth.limits, (b) => `refresh:${sha256(b.refreshToken).toString('base64url')}`),
    },
    async (request) => {
      const ref = await findRefreshToken(db, sha256(request.body.refreshToken));
      if (!ref) throw unauthenticated();
      const caller = refreshTokenCaller(ref, request.ip);
      const session = await withTenant(db, caller, async (trx) => {
        const token = await lockRefreshToken(trx, ref.id);
        if (token.revoked_at !== null || token.expires_at <= new Date()) return null;
        if (token.rotated_at !== null) {
          await revokeFamily(trx, token.family_id);
          await appendAudit(trx, caller, { action: 'auth.refresh_reused', entity: 'session', entityId: token.family_id, old: null, new: null });
          return null;
        }
        await trx.updateTable('refresh_tokens').set({ rotated_at: new Date() }).where('id', '=', token.id).execute();
        const subject = { kind: caller.role === 'member' ? ('member' as const) : ('staff' as const), id: token.subject_id };
        const grant = await currentGrant(trx, caller, subject.kind);
        if (!grant) {
          await revokeFamily(trx, token.family_id);
          return null;
        }
        return startSession(trx, auth.tokens, grant, subject, token.family_id);
      });
      // After the commit: a detected reuse stays revoked.
      if (!session) throw unauthenticated();
      return ok(session);
    },
  );
};
