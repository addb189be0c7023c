import * as branches from '../domain/branches.js';
import { branchInputSchema, branchViewSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/branches: Opens a branch. */
export const postBranches: Route = (app) => {
  app.post(
    '/branches',
    {
      schema: {
        summary: 'Open a branch',
        tags: ['branches'],
        security: bearer,
        body: branchInputSchema,
        response: { 201: okSchema(branchViewSchema), ...failures },
      },
      config: { permission: { resource: 'branches', action: 'create' } },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await branches.createBranch(request.db, request.access, request.body));
    },
  );
};
