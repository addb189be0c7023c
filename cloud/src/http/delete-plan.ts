import * as plans from '../domain/plans.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok } from './envelope.js';
import { bearer, failures, okNull } from './responses.js';

/** DELETE /api/v1/plans/:id: Soft-deletes a plan; memberships keep their snapshot of it. */
export const deletePlan: Route = (app) => {
  app.delete(
    '/plans/:id',
    {
      schema: {
        summary: 'Delete a plan',
        tags: ['plans'],
        security: bearer,
        params: idParams,
        response: { 200: okNull, ...failures },
      },
      config: { permission: { resource: 'plans', action: 'delete' } },
    },
    async (request) => {
      await plans.retirePlan(request.db, request.access, request.params.id, 'delete');
      return ok(null);
    },
  );
};
