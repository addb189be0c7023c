import * as members from '../domain/members.js';
import { idParams, memberPatchSchema, memberViewSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** PUT /api/v1/members/:id: Field merge of a member's profile. */
export const putMember: Route = (app) => {
  app.put(
    '/members/:id',
    {
      schema: {
        summary: 'Update a member',
        tags: ['members'],
        security: bearer,
        params: idParams,
        body: memberPatchSchema,
        response: { 200: okSchema(memberViewSchema), ...failures },
      },
      config: { permission: { resource: 'members', action: 'update' } },
    },
    async (request) => ok(await members.updateMember(request.db, request.access, request.params.id, request.body)),
  );
};
