import * as checkins from '../domain/checkins.js';
import { checkinViewSchema, idParams, pageQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/members/:id/check-ins: A member's check-ins, allowed and denied, newest first. */
export const getMemberCheckIns: Route = (app) => {
  app.get(
    '/members/:id/check-ins',
    {
      schema: {
        summary: "A member's check-ins",
        tags: ['members'],
        security: bearer,
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageSchema(checkinViewSchema), ...failures },
      },
      config: { permission: { resource: 'checkins', action: 'read' } },
    },
    async (request) => okPage(await checkins.memberCheckins(request.db, request.access, request.params.id, request.query)),
  );
};
