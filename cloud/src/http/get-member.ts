import * as members from '../domain/members.js';
import { idParams, memberViewSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** GET /api/v1/members/:id: One member with derived status. */
export const getMember: Route = (app) => {
  app.get(
    '/members/:id',
    {
      schema: {
        summary: 'Get a member',
        tags: ['members'],
        security: bearer,
        params: idParams,
        response: { 200: okSchema(memberViewSchema), ...failures },
      },
      config: { permission: { resource: 'members', action: 'read' } },
    },
    async (request) => ok(await members.getMember(request.db, request.access, request.params.id)),
  );
};
