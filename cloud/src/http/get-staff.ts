import * as staff from '../domain/staff.js';
import { pageQuery, staffViewSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/staff: Staff by name (a manager: those working at their branches). */
export const getStaff: Route = (app) => {
  app.get(
    '/staff',
    {
      schema: {
        summary: 'List staff',
        tags: ['staff'],
        security: bearer,
        querystring: pageQuery,
        response: { 200: pageSchema(staffViewSchema), ...failures },
      },
      config: { permission: { resource: 'staff', action: 'read' } },
    },
    async (request) => okPage(await staff.listStaff(request.db, request.access, request.query)),
  );
};
