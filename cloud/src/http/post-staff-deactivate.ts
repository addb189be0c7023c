import * as staff from '../domain/staff.js';
import { idParams, staffViewSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/staff/:id/deactivate: Deactivates a login: its sessions end at their next request. */
export const postStaffDeactivate: Route = (app) => {
  app.post(
    '/staff/:id/deactivate',
    {
      schema: {
        summary: 'Deactivate a staff member',
        tags: ['staff'],
        security: bearer,
        params: idParams,
        response: { 200: okSchema(staffViewSchema), ...failures },
      },
      config: { permission: { resource: 'staff', action: 'delete' } },
    },
    async (request) => ok(await staff.deactivateStaff(request.db, request.access, request.params.id)),
  );
};
