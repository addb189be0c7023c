import * as assignments from '../domain/assignments.js';
import { assignmentInputSchema, assignmentSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/trainer-assignments: Makes a trainer a member's trainer. */
export const postTrainerAssignments: Route = (app) => {
  app.post(
    '/trainer-assignments',
    {
      schema: {
        summary: 'Assign a member to a trainer',
        tags: ['trainers'],
        security: bearer,
        body: assignmentInputSchema,
        response: { 201: okSchema(assignmentSchema), ...failures },
      },
      config: { permission: { resource: 'trainerAssignments', action: 'create' } },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await assignments.assignTrainer(request.db, request.access, request.body));
    },
  );
};
