import { renewInputSchema, saleResultSchema } from '@gymstack/shared';
import * as memberships from '../domain/memberships.js';
import { loadGym } from '../domain/gym.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/memberships/renew: Renews from the day after the latest live term (or today once it has lapsed), with an optional payment. */
export const postMembershipRenewal: Route = (app) => {
  app.post(
    '/memberships/renew',
    {
      schema: {
        summary: 'Renew a membership',
        tags: ['memberships'],
        security: bearer,
        body: renewInputSchema,
        response: { 201: okSchema(saleResultSchema), ...failures },
      },
      config: { permission: { resource: 'memberships', action: 'create' } },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await memberships.sellMembership(request.db, request.access, await loadGym(request.db), 'renew', request.body));
    },
  );
};
