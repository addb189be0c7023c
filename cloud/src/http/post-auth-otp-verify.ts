import { AppError, ErrorCode } from '@gymstack/shared';
import { z } from 'zod';
import { anonymousCaller, memberCaller } from '../auth/callers.js';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { OTP_MAX_ATTEMPTS, otpMatches, phoneSchema } from '../auth/otp-codes.js';
import { gymRefSchema, sessionSchema } from '../auth/schemas.js';
import { grantOf, startSession } from '../auth/sessions.js';
import { withTenant } from '../db/tenant.js';
import { appendAudit } from '../domain/audit.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

const body = z.object({ gymId: z.uuid(), phone: phoneSchema, code: z.string().regex(/^\d{6}$/, 'Must be 6 digits') });

const memberSessionSchema = sessionSchema.extend({ member: z.object({ id: z.uuid(), fullName: z.string() }), gym: gymRefSchema });

const wrongCode = () => new AppError(ErrorCode.Unauthenticated, 'Wrong or expired code');

/**
 * A member signs in with the newest code sent to their phone: 5 minutes, 5 tries, then it is dead.
 * Success gives member tokens scoped to that member alone.
 */
export const postAuthOtpVerify: Route = (app, { db, auth }) => {
  app.post(
    '/api/v1/auth/otp/verify',
    {
      schema: {
        summary: 'Member login with a code',
        tags: ['auth'],
        body,
        response: { 200: okSchema(memberSessionSchema), 400: failureSchema, 401: failureSchema, 429: failureSchema },
      },
      config: { rateLimit: ipLimit(auth.limits) },
      preHandler: accountLimit<z.infer<typeof body>>(app, auth.limits, (b) => `otp-verify:${b.gymId}:${b.phone}`),
    },
    async (request) => {
      const { gymId, phone, code } = request.body;
      const session = await withTenant(db, anonymousCaller(gymId, request.ip), async (trx) => {
        const otp = await trx
          .selectFrom('member_otps')
          .select(['id', 'code_hash', 'attempts', 'expires_at', 'consumed_at'])
          .where('phone', '=', phone)
          .orderBy('created_at', 'desc')
          .limit(1)
          .forUpdate()
          .executeTakeFirst();
        if (!otp || otp.consumed_at !== null || otp.expires_at <= new Date() || otp.attempts >= OTP_MAX_ATTEMPTS) return null;
        const matches = otpMatches(otp.code_hash, otp.id, code);
        await trx
          .updateTable('member_otps')
          .set({ attempts: otp.attempts + 1, ...(matches ? { consumed_at: new Date() } : {}) })
          .where('id', '=', otp.id)
          .execute();
        if (!matches) return null;
        const member = await trx.selectFrom('members').select(['id', 'full_name']).where('phone', '=', phone).where('deleted_at', 'is', null).executeTakeFirst();
        if (!member) return null;
        const caller = memberCaller(gymId, member.id, request.ip);
        const tokens = await startSession(trx, auth.tokens, grantOf(caller), { kind: 'member', id: member.id });
        await appendAudit(trx, caller, { action: 'auth.otp_login', entity: 'member', entityId: member.id, old: null, new: null });
        const gym = await trx.selectFrom('gyms').select(['id', 'name']).executeTakeFirstOrThrow();
        return { ...tokens, member: { id: member.id, fullName: member.full_name }, gym };
      });
      // After the commit: the spent attempt counts.
      if (!session) throw wrongCode();
      return ok(session);
    },
  );
};
