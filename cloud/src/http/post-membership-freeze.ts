import { freezeInputSchema, membershipViewSchema } from '@gymstack/shared';
import * as memberships from '../domain/memberships.js';
import { loadGym } from '../domain/gym.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/memberships/:id/freeze: Freezes a range of days; the end moves out by as many, within the plan's allowance (FREEZE_LIMIT_EXCEEDED). */
export const postMembershipFreeze: Route = (app) => {
  app.post(
    '/memberships/:id/freeze',
    {
      schema: {
        summary: 'Freeze a membership',
        tags: ['memberships'],
        security: bearer,
        params: idParams,
        body: freezeInputSchema,
        response: { 200: okSchema(membershipViewSchema), ...failures },
      },
      config: { permission: { resource: 'memberships', action: 'update' } },
    },
    async (request) => ok(await memberships.freezeMembership(request.db, request.access, await loadGym(request.db), request.params.id, request.body)),
  );
};
