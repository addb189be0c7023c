import { saleResultSchema, sellInputSchema } from '@gymstack/shared';
import * as memberships from '../domain/memberships.js';
import { loadGym } from '../domain/gym.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/memberships: Sells a plan from a start date (today by default), with an optional first payment and its invoice. */
export const postMemberships: Route = (app) => {
  app.post(
    '/memberships',
    {
      schema: {
        summary: 'Sell a membership',
        tags: ['memberships'],
        security: bearer,
        body: sellInputSchema,
        response: { 201: okSchema(saleResultSchema), ...failures },
      },
      config: { permission: { resource: 'memberships', action: 'create' } },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await memberships.sellMembership(request.db, request.access, await loadGym(request.db), 'sell', request.body));
    },
  );
};
