import { planInputSchema, planSchema } from '@gymstack/shared';
import * as plans from '../domain/plans.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/plans: Creates a plan, on sale at once. */
export const postPlans: Route = (app) => {
  app.post(
    '/plans',
    {
      schema: {
        summary: 'Create a plan',
        tags: ['plans'],
        security: bearer,
        body: planInputSchema,
        response: { 201: okSchema(planSchema), ...failures },
      },
      config: { permission: { resource: 'plans', action: 'create' } },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await plans.createPlan(request.db, request.access, request.body));
    },
  );
};
