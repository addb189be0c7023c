import * as dataRights from '../domain/data-rights.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok } from './envelope.js';
import { bearer, failures, okNull } from './responses.js';

/** POST /api/v1/members/:id/erase: Anonymises a member and destroys their biometric templates; payments and invoices are kept as tax law requires. */
export const postMemberErase: Route = (app) => {
  app.post(
    '/members/:id/erase',
    {
      schema: {
        summary: 'Erase a member (DPDP Act / GDPR)',
        tags: ['data rights'],
        security: bearer,
        params: idParams,
        response: { 200: okNull, ...failures },
      },
      config: { permission: { resource: 'memberData', action: 'delete' } },
    },
    async (request) => {
      await dataRights.eraseMember(request.db, request.access, request.params.id);
      return ok(null);
    },
  );
};
