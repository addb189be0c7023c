import * as staff from '../domain/staff.js';
import { staffInputSchema, staffViewSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/staff: Adds a staff login; the password and desk PIN, when given, are stored only as argon2id hashes. */
export const postStaff: Route = (app, { auth }) => {
  app.post(
    '/staff',
    {
      schema: {
        summary: 'Add a staff member',
        tags: ['staff'],
        security: bearer,
        body: staffInputSchema,
        response: { 201: okSchema(staffViewSchema), ...failures },
      },
      config: { permission: { resource: 'staff', action: 'create' } },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await staff.createStaff(request.db, request.access, auth.passwords, request.body));
    },
  );
};
