import { z } from 'zod';
import { refreshTokenCaller } from '../auth/callers.js';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { findRefreshToken } from '../auth/lookups.js';
import { refreshBodySchema } from '../auth/schemas.js';
import { sha256 } from '../auth/secrets.js';
import { lockRefreshToken, revokeFamily } from '../auth/sessions.js';
import { withTenant } from '../db/tenant.js';
import { appendAudit } from '../domain/audit.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

/**
 * Ends the session the refresh token belongs to (its whole family). Takes the refresh token rather than
 * an access token so a client whose access token expired can still sign out; an unknown token is a no-op.
 * The session's access token lives out its 15 minutes.
 */
export const postAuthLogout: Route = (app, { db, auth }) => {
  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        summary: 'Log out (revoke the session)',
        tags: ['auth'],
        body: refreshBodySchema,
        response: { 200: okSchema(z.null()), 400: failureSchema, 429: failureSchema },
      },
      config: { rateLimit: ipLimit(auth.limits) },
      preHandler: accountLimit<{ refreshToken: string }>(app, auth.limits, (b) => `logout:${sha256(b.refreshToken).toString('base64url')}`),
    },
    async (request) => {
      const ref = await findRefreshToken(db, sha256(request.body.refreshToken));
      if (ref) {
        const caller = refreshTokenCaller(ref, request.ip);
        await withTenant(db, caller, async (trx) => {
          const token = await lockRefreshToken(trx, ref.id);
          if (token.revoked_at !== null) return;
          await revokeFamily(trx, token.family_id);
          await appendAudit(trx, caller, { action: 'auth.logout', entity: 'session', entityId: token.family_id, old: null, new: null });
        });
      }
      return ok(null);
    },
  );
};
