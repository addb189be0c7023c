import { membershipViewSchema } from '@gymstack/shared';
import * as memberships from '../domain/memberships.js';
import { loadGym } from '../domain/gym.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/memberships/:id/unfreeze: Ends the current or coming freeze today; unused days come off the end (NOT_FROZEN when none). */
export const postMembershipUnfreeze: Route = (app) => {
  app.post(
    '/memberships/:id/unfreeze',
    {
      schema: {
        summary: 'Unfreeze a membership',
        tags: ['memberships'],
        security: bearer,
        params: idParams,
        response: { 200: okSchema(membershipViewSchema), ...failures },
      },
      config: { permission: { resource: 'memberships', action: 'update' } },
    },
    async (request) => ok(await memberships.unfreezeMembership(request.db, request.access, await loadGym(request.db), request.params.id)),
  );
};
