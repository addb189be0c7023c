import { AppError, ErrorCode, errors } from '@gymstack/shared';
import { sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import { z } from 'zod';
import { anonymousCaller } from '../auth/callers.js';
import { accountLimit, ipLimit } from '../auth/limits.js';
import { OTP_MAX_SENDS_PER_HOUR, OTP_TTL_MS, otpHash, phoneSchema } from '../auth/otp-codes.js';
import { newOtp } from '../auth/secrets.js';
import { withTenant } from '../db/tenant.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

const body = z.object({ gymId: z.uuid(), phone: phoneSchema });

/**
 * Sends a member a 6-digit code. The answer is the same whether or not the phone is a member's (no
 * enumeration): a code row is stored either way, and so counts toward the 5 sends per phone per hour,
 * but only a member's is sent.
 */
export const postAuthOtpSend: Route = (app, { db, auth }) => {
  app.post(
    '/api/v1/auth/otp/send',
    {
      schema: {
        summary: 'Send a member a login code',
        tags: ['auth'],
        body,
        response: { 200: okSchema(z.object({ expiresIn: z.number().int() })), 400: failureSchema, 404: failureSchema, 429: failureSchema },
      },
      config: { rateLimit: ipLimit(auth.limits) },
      preHandler: accountLimit<z.infer<typeof body>>(app, auth.limits, (b) => `otp:${b.gymId}:${b.phone}`),
    },
    async (request) => {
      const { gymId, phone } = request.body;
      const outcome = await withTenant(db, anonymousCaller(gymId, request.ip), async (trx) => {
        if (!(await trx.selectFrom('gyms').select('id').executeTakeFirst())) return 'no-gym' as const;
        // One sender per phone at a time, so two concurrent requests cannot both pass the count.
        await sql`select pg_advisory_xact_lock(hashtextextended(${`otp:${gymId}:${phone}`}, 0))`.execute(trx);
        const { sent } = await trx
          .selectFrom('member_otps')
          .select((eb) => eb.fn.countAll<number>().as('sent'))
          .where('phone', '=', phone)
          .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
          .executeTakeFirstOrThrow();
        if (Number(sent) >= OTP_MAX_SENDS_PER_HOUR) return 'limited' as const;
        const id = uuid();
        const code = newOtp();
        await trx
          .insertInto('member_otps')
          .values({ gym_id: gymId, id, phone, code_hash: otpHash(id, code), expires_at: new Date(Date.now() + OTP_TTL_MS), consumed_at: null })
          .execute();
        const member = await trx.selectFrom('members').select('id').where('phone', '=', phone).where('deleted_at', 'is', null).executeTakeFirst();
        return member ? { code } : null;
      });
      if (outcome === 'no-gym') throw errors.notFound('Gym');
      if (outcome === 'limited') throw new AppError(ErrorCode.RateLimited, 'Too many codes sent to this number; try again within the hour');
      // Sent after the commit: a code is never delivered that was not stored.
      if (outcome) await auth.otp.send({ gymId, phone, code: outcome.code });
      return ok({ expiresIn: OTP_TTL_MS / 1000 });
    },
  );
};
