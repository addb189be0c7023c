import { AppError, ErrorCode, normalizePhone } from '@gymstack/shared';
import { z } from 'zod';
import { staffCaller } from '../auth/callers.js';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { findStaffLogin } from '../auth/lookups.js';
import { staffProfile } from '../auth/profile.js';
import { passwordSchema, staffSessionSchema } from '../auth/schemas.js';
import { grantOf, startSession } from '../auth/sessions.js';
import { withTenant } from '../db/tenant.js';
import { appendAudit } from '../domain/audit.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

const body = z.object({
  /** An email, or a phone number (E.164, or national for the default country). */
  login: z.string().trim().min(3).max(254),
  password: passwordSchema,
});

/** Emails compare case-insensitively; phones as E.164. Null: cannot be anyone's login. */
const canonicalLogin = (login: string): string | null => (login.includes('@') ? login.toLowerCase() : normalizePhone(login));

const wrongCredentials = () => new AppError(ErrorCode.Unauthenticated, 'Wrong login or password');

/**
 * Staff login. An unknown login costs the same argon2 work as a wrong password and gets the same
 * answer. Logins are unique across gyms (migration 2026_11_22_0002), so no gym is named.
 */
export const postAuthLogin: Route = (app, { db, auth }) => {
  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        summary: 'Staff login with email or phone and password',
        tags: ['auth'],
        body,
        response: { 200: okSchema(staffSessionSchema), 400: failureSchema, 401: failureSchema, 429: failureSchema },
      },
      config: { rateLimit: ipLimit(auth.limits) },
      preHandler: accountLimit<z.infer<typeof body>>(app, auth.limits, (b) => `login:${canonicalLogin(b.login) ?? b.login}`),
    },
    async (request) => {
      const login = canonicalLogin(request.body.login);
      const staff = login === null ? undefined : await findStaffLogin(db, login);
      // Hashing happens before any transaction opens: no connection is held for it.
      const valid = await auth.passwords.verify(staff?.password_hash ?? null, request.body.password);
      if (!staff) throw wrongCredentials();

      const caller = staffCaller(staff, request.ip);
      const session = await withTenant(db, caller, async (trx) => {
        if (!valid) {
          await appendAudit(trx, caller, { action: 'auth.login_failed', entity: 'staff', entityId: staff.id, old: null, new: null });
          return null;
        }
        const tokens = await startSession(trx, auth.tokens, grantOf(caller, staff.token_version), { kind: 'staff', id: staff.id });
        await appendAudit(trx, caller, { action: 'auth.login', entity: 'staff', entityId: staff.id, old: null, new: null });
        return { ...tokens, ...(await staffProfile(trx, staff.id)) };
      });
      // Thrown after the commit, so the failed attempt stays in the audit log.
      if (!session) throw wrongCredentials();
      return ok(session);
    },
  );
};
