import * as checkins from '../domain/checkins.js';
import { loadGym } from '../domain/gym.js';
import { checkinInputSchema, checkinResultSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/check-ins: Checks in by member id, code or card: the shared verdict decides, and a denial is kept with its reason. */
export const postCheckIns: Route = (app) => {
  app.post(
    '/check-ins',
    {
      schema: {
        summary: 'Check a member in',
        tags: ['check-ins'],
        security: bearer,
        body: checkinInputSchema,
        response: { 201: okSchema(checkinResultSchema), ...failures },
      },
      config: { permission: { resource: 'checkins', action: 'create' } },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await checkins.createCheckin(request.db, request.access, await loadGym(request.db), request.body));
    },
  );
};
