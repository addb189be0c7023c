import * as members from '../domain/members.js';
import { memberListQuery, memberViewSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/members: Members with derived status, filtered by status, expiry, dues, search and branch; a trainer sees their clients, a member themself. */
export const getMembers: Route = (app) => {
  app.get(
    '/members',
    {
      schema: {
        summary: 'List members',
        tags: ['members'],
        security: bearer,
        querystring: memberListQuery,
        response: { 200: pageSchema(memberViewSchema), ...failures },
      },
      config: { permission: { resource: 'members', action: 'read' } },
    },
    async (request) => okPage(await members.listMembers(request.db, request.access, request.query)),
  );
};
