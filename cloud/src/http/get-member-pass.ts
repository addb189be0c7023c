import { PASS_TTL_SECONDS, signPass } from '@gymstack/shared/passes';
import { z } from 'zod';
import { loadGymKeys } from '../domain/gym-keys.js';
import { findMember } from '../domain/members.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

const passSchema = z.object({
  token: z.string().describe('The QR pass (`GP1.…`), signed with the gym pass key'),
  expiresAt: z.iso.datetime(),
});

/**
 * GET /api/v1/members/:id/pass: a fresh QR pass, good for PASS_TTL_SECONDS, for a live member the
 * caller may read (a member: only their own). Desks verify it offline with the gym's pass key.
 */
export const getMemberPass: Route = (app, { auth }) => {
  app.get(
    '/members/:id/pass',
    {
      schema: {
        summary: "A member's QR pass",
        tags: ['members'],
        security: bearer,
        params: idParams,
        response: { 200: okSchema(passSchema), ...failures },
      },
      config: { permission: { resource: 'members', action: 'read' } },
    },
    async (request, reply) => {
      // First, so another gym's or an erased member is a 404 before this gym's keys are even made.
      const member = await findMember(request.db, request.access, request.params.id);
      const keys = await loadGymKeys(request.db, request.tenant.gymId, auth.keyEncryptionKey);
      // Whole seconds: the token carries its expiry in seconds, and the answer must say the same instant.
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + PASS_TTL_SECONDS) * 1000);
      reply.header('cache-control', 'no-store');
      return ok({ token: signPass({ memberId: member.id, expiresAt }, keys.pass), expiresAt: expiresAt.toISOString() });
    },
  );
};
