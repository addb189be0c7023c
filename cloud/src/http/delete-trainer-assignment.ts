import * as assignments from '../domain/assignments.js';
import { assignmentSchema, idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** DELETE /api/v1/trainer-assignments/:id: Ends a trainer assignment; it stays as history. */
export const deleteTrainerAssignment: Route = (app) => {
  app.delete(
    '/trainer-assignments/:id',
    {
      schema: {
        summary: 'Unassign a member from a trainer',
        tags: ['trainers'],
        security: bearer,
        params: idParams,
        response: { 200: okSchema(assignmentSchema), ...failures },
      },
      config: { permission: { resource: 'trainerAssignments', action: 'delete' } },
    },
    async (request) => ok(await assignments.unassignTrainer(request.db, request.access, request.params.id)),
  );
};
