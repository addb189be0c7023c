import * as gym from '../domain/gym.js';
import { gymConfigPatchSchema, gymConfigSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** PUT /api/v1/gym/config: Field merge of the gym's details and rules; what the body leaves out stays. */
export const putGymConfig: Route = (app) => {
  app.put(
    '/gym/config',
    {
      schema: {
        summary: 'Update the gym configuration',
        tags: ['gym'],
        security: bearer,
        body: gymConfigPatchSchema,
        response: { 200: okSchema(gymConfigSchema), ...failures },
      },
      config: { permission: { resource: 'gymConfig', action: 'update' } },
    },
    async (request) => ok(await gym.updateGymConfig(request.db, request.tenant, request.body)),
  );
};
