import * as checkins from '../domain/checkins.js';
import { loadGym } from '../domain/gym.js';
import { checkinViewSchema, pageQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/check-ins/today: Today's check-ins in the gym's time zone, newest first. */
export const getCheckInsToday: Route = (app) => {
  app.get(
    '/check-ins/today',
    {
      schema: {
        summary: "Today's check-ins",
        tags: ['check-ins'],
        security: bearer,
        querystring: pageQuery,
        response: { 200: pageSchema(checkinViewSchema), ...failures },
      },
      config: { permission: { resource: 'checkins', action: 'read' } },
    },
    async (request) => okPage(await checkins.todaysCheckins(request.db, request.access, await loadGym(request.db), request.query)),
  );
};
