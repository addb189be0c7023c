import { ipLimit } from '../auth/limits.js';
import { staffProfile } from '../auth/profile.js';
import { staffSessionSchema } from '../auth/schemas.js';
import { currentGrant, startSession } from '../auth/sessions.js';
import { createGym, onboardingSchema } from '../domain/onboarding.js';
import type { Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';

/**
 * POST /api/v1/gyms: public sign-up. Creates the gym, its first branch and its owner (domain/onboarding.ts)
 * and answers the owner's session as a login does, all in one transaction: the gym exists with a live
 * session, or not at all. Rate-limited per client address like the auth routes (each sign-up costs an
 * argon2 hash). A login already taken is 409 CONFLICT.
 */
export const postGyms: Route = (app, { db, auth }) => {
  app.post(
    '/api/v1/gyms',
    {
      schema: {
        summary: 'Sign up: create a gym, its first branch and its owner, and log the owner in',
        tags: ['onboarding'],
        body: onboardingSchema,
        response: { 201: okSchema(staffSessionSchema), 400: failureSchema, 409: failureSchema, 429: failureSchema },
      },
      config: { rateLimit: ipLimit(auth.limits) },
    },
    async (request, reply) => {
      const options = { passwords: auth.passwords, requester: { kind: 'signup', ip: request.ip } as const };
      const { after: session } = await createGym(db, request.body, options, async (trx, { ownerId }, owner) => {
        // Read back rather than assumed, so the token carries the row's own version.
        const grant = await currentGrant(trx, owner, 'staff');
        if (!grant) throw new Error('The new owner is not live');
        const tokens = await startSession(trx, auth.tokens, grant, { kind: 'staff', id: ownerId });
        return { ...tokens, ...(await staffProfile(trx, ownerId)) };
      });
      reply.code(201);
      return ok(session);
    },
  );
};
