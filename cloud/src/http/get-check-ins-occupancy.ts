import * as checkins from '../domain/checkins.js';
import { loadGym } from '../domain/gym.js';
import { occupancyQuery, occupancySchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** GET /api/v1/check-ins/occupancy: Members in the building now (optionally at one branch). */
export const getCheckInsOccupancy: Route = (app) => {
  app.get(
    '/check-ins/occupancy',
    {
      schema: {
        summary: 'Live occupancy',
        tags: ['check-ins'],
        security: bearer,
        querystring: occupancyQuery,
        response: { 200: okSchema(occupancySchema), ...failures },
      },
      config: { permission: { resource: 'checkins', action: 'read' } },
    },
    async (request) => ok(await checkins.occupancy(request.db, request.access, await loadGym(request.db), request.query.branchId)),
  );
};
