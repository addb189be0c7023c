import * as members from '../domain/members.js';
import { memberCreateSchema, memberViewSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/members: Enrols a member; a duplicate phone is 409 DUPLICATE_PHONE. */
export const postMembers: Route = (app) => {
  app.post(
    '/members',
    {
      schema: {
        summary: 'Enrol a member',
        tags: ['members'],
        security: bearer,
        body: memberCreateSchema,
        response: { 201: okSchema(memberViewSchema), ...failures },
      },
      config: { permission: { resource: 'members', action: 'create' } },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await members.createMember(request.db, request.access, request.body));
    },
  );
};
