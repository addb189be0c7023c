import * as gym from '../domain/gym.js';
import { gymConfigSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** GET /api/v1/gym/config: The gym's details and its gym-wide front-desk rules. */
export const getGymConfig: Route = (app) => {
  app.get(
    '/gym/config',
    {
      schema: {
        summary: 'Gym configuration',
        tags: ['gym'],
        security: bearer,
        response: { 200: okSchema(gymConfigSchema), ...failures },
      },
      config: { permission: { resource: 'gymConfig', action: 'read' } },
    },
    async (request) => ok(await gym.getGymConfig(request.db)),
  );
};
