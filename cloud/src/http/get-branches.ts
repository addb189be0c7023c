import * as branches from '../domain/branches.js';
import { branchViewSchema, pageQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/branches: The gym's branches (a manager: their own). */
export const getBranches: Route = (app) => {
  app.get(
    '/branches',
    {
      schema: {
        summary: 'List branches',
        tags: ['branches'],
        security: bearer,
        querystring: pageQuery,
        response: { 200: pageSchema(branchViewSchema), ...failures },
      },
      config: { permission: { resource: 'branches', action: 'read' } },
    },
    async (request) => okPage(await branches.listBranches(request.db, request.access, request.query)),
  );
};
