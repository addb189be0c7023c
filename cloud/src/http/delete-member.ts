import * as members from '../domain/members.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok } from './envelope.js';
import { bearer, failures, okNull } from './responses.js';

/** DELETE /api/v1/members/:id: Soft-deletes a member (owner only). */
export const deleteMember: Route = (app) => {
  app.delete(
    '/members/:id',
    {
      schema: {
        summary: 'Delete a member',
        tags: ['members'],
        security: bearer,
        params: idParams,
        response: { 200: okNull, ...failures },
      },
      config: { permission: { resource: 'members', action: 'delete' } },
    },
    async (request) => {
      await members.deleteMember(request.db, request.access, request.params.id);
      return ok(null);
    },
  );
};
