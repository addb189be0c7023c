import * as plans from '../domain/plans.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok } from './envelope.js';
import { bearer, failures, okNull } from './responses.js';

/** POST /api/v1/plans/:id/archive: Takes a plan off sale; memberships already sold are untouched. */
export const postPlanArchive: Route = (app) => {
  app.post(
    '/plans/:id/archive',
    {
      schema: {
        summary: 'Archive a plan',
        tags: ['plans'],
        security: bearer,
        params: idParams,
        response: { 200: okNull, ...failures },
      },
      config: { permission: { resource: 'plans', action: 'delete' } },
    },
    async (request) => {
      await plans.retirePlan(request.db, request.access, request.params.id, 'archive');
      return ok(null);
    },
  );
};
