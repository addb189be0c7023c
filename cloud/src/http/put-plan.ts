import { planInputSchema, planSchema } from '@gymstack/shared';
import * as plans from '../domain/plans.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** PUT /api/v1/plans/:id: Field merge of a plan; memberships already sold keep the plan as it was. */
export const putPlan: Route = (app) => {
  app.put(
    '/plans/:id',
    {
      schema: {
        summary: 'Update a plan',
        tags: ['plans'],
        security: bearer,
        params: idParams,
        body: planInputSchema.partial(),
        response: { 200: okSchema(planSchema), ...failures },
      },
      config: { permission: { resource: 'plans', action: 'update' } },
    },
    async (request) => ok(await plans.updatePlan(request.db, request.access, request.params.id, request.body)),
  );
};
