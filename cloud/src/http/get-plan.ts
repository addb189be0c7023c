import { planSchema } from '@gymstack/shared';
import * as plans from '../domain/plans.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** GET /api/v1/plans/:id: One plan. */
export const getPlan: Route = (app) => {
  app.get(
    '/plans/:id',
    {
      schema: {
        summary: 'Get a plan',
        tags: ['plans'],
        security: bearer,
        params: idParams,
        response: { 200: okSchema(planSchema), ...failures },
      },
      config: { permission: { resource: 'plans', action: 'read' } },
    },
    async (request) => ok(await plans.findPlan(request.db, request.params.id)),
  );
};
