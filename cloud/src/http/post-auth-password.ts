import { AppError, ErrorCode, errors } from '@gymstack/shared';
import { z } from 'zod';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { newPasswordSchema, passwordSchema, sessionSchema } from '../auth/schemas.js';
import { grantOf, revokeSubject, startSession } from '../auth/sessions.js';
import { appendAudit } from '../domain/audit.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

const body = z.object({ currentPassword: passwordSchema, newPassword: newPasswordSchema });

/**
 * A staff member changes their own password. Every session they have ends: all refresh families are
 * revoked, and the new hash bumps staff.token_version (trigger), which voids every access token issued
 * before. The caller gets a fresh session back.
 */
export const postAuthPassword: Route = (app, { auth }) => {
  app.post(
    '/auth/password',
    {
      schema: {
        summary: 'Change your password (ends every other session)',
        tags: ['auth'],
        body,
        response: { 200: okSchema(sessionSchema), 400: failureSchema, 401: failureSchema, 403: failureSchema, 429: failureSchema },
      },
      config: { permission: 'authenticated', rateLimit: ipLimit(auth.limits) },
      preHandler: accountLimit<z.infer<typeof body>>(app, auth.limits, (_b, request) => `password:${request.tenant.userId}`),
    },
    async (request) => {
      const caller = request.tenant;
      if (caller.role === 'member' || caller.role === 'desk') throw new AppError(ErrorCode.Forbidden, 'Only staff have passwords');
      const trx = request.db;
      const staff = await trx.selectFrom('staff').select('password_hash').where('id', '=', caller.userId).executeTakeFirstOrThrow();
      if (!(await auth.passwords.verify(staff.password_hash, request.body.currentPassword))) {
        throw errors.validation([{ path: 'currentPassword', message: 'Wrong password' }]);
      }
      const { token_version } = await trx
        .updateTable('staff')
        .set({ password_hash: await auth.passwords.hash(request.body.newPassword), password_changed_at: new Date(), updated_at: new Date() })
        .where('id', '=', caller.userId)
        .returning('token_version')
        .executeTakeFirstOrThrow();
      await revokeSubject(trx, { kind: 'staff', id: caller.userId });
      await appendAudit(trx, caller, { action: 'auth.password_change', entity: 'staff', entityId: caller.userId, old: null, new: null });
      return ok(await startSession(trx, auth.tokens, grantOf(caller, token_version), { kind: 'staff', id: caller.userId }));
    },
  );
};
