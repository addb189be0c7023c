import * as branches from '../domain/branches.js';
import { branchInputSchema, branchViewSchema, idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** PUT /api/v1/branches/:id: Field merge of a branch's details. */
export const putBranch: Route = (app) => {
  app.put(
    '/branches/:id',
    {
      schema: {
        summary: 'Update a branch',
        tags: ['branches'],
        security: bearer,
        params: idParams,
        body: branchInputSchema.partial(),
        response: { 200: okSchema(branchViewSchema), ...failures },
      },
      config: { permission: { resource: 'branches', action: 'update' } },
    },
    async (request) => ok(await branches.updateBranch(request.db, request.access, request.params.id, request.body)),
  );
};
