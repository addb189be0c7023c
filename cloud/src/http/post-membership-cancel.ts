import { cancelInputSchema, membershipViewSchema } from '@gymstack/shared';
import * as memberships from '../domain/memberships.js';
import { loadGym } from '../domain/gym.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/memberships/:id/cancel: Cancels a membership with a reason; payments stay. */
export const postMembershipCancel: Route = (app) => {
  app.post(
    '/memberships/:id/cancel',
    {
      schema: {
        summary: 'Cancel a membership',
        tags: ['memberships'],
        security: bearer,
        params: idParams,
        body: cancelInputSchema,
        response: { 200: okSchema(membershipViewSchema), ...failures },
      },
      config: { permission: { resource: 'memberships', action: 'delete' } },
    },
    async (request) => ok(await memberships.cancelMembership(request.db, request.access, await loadGym(request.db), request.params.id, request.body.reason)),
  );
};
