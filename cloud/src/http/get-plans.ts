import { planSchema } from '@gymstack/shared';
import * as plans from '../domain/plans.js';
import { planListQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/plans: Plans on sale, cheapest first (archived ones too on request). */
export const getPlans: Route = (app) => {
  app.get(
    '/plans',
    {
      schema: {
        summary: 'List plans',
        tags: ['plans'],
        security: bearer,
        querystring: planListQuery,
        response: { 200: pageSchema(planSchema), ...failures },
      },
      config: { permission: { resource: 'plans', action: 'read' } },
    },
    async (request) => okPage(await plans.listPlans(request.db, request.query)),
  );
};
