import { membershipViewSchema } from '@gymstack/shared';
import * as memberships from '../domain/memberships.js';
import { loadGym } from '../domain/gym.js';
import { idParams, pageQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/members/:id/memberships: A member's memberships with derived state, dues and freezes, latest first. */
export const getMemberMemberships: Route = (app) => {
  app.get(
    '/members/:id/memberships',
    {
      schema: {
        summary: "A member's memberships",
        tags: ['members'],
        security: bearer,
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageSchema(membershipViewSchema), ...failures },
      },
      config: { permission: { resource: 'memberships', action: 'read' } },
    },
    async (request) => okPage(await memberships.listMemberMemberships(request.db, request.access, await loadGym(request.db), request.params.id, request.query)),
  );
};
