import * as staff from '../domain/staff.js';
import { idParams, staffPatchSchema, staffViewSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** PUT /api/v1/staff/:id: Field merge of a staff member's details, role, branches or desk PIN (stored only as an argon2id hash). */
export const putStaffMember: Route = (app, { auth }) => {
  app.put(
    '/staff/:id',
    {
      schema: {
        summary: 'Update a staff member',
        tags: ['staff'],
        security: bearer,
        params: idParams,
        body: staffPatchSchema,
        response: { 200: okSchema(staffViewSchema), ...failures },
      },
      config: { permission: { resource: 'staff', action: 'update' } },
    },
    async (request) => ok(await staff.updateStaff(request.db, request.access, auth.passwords, request.params.id, request.body)),
  );
};
