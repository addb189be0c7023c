import * as assignments from '../domain/assignments.js';
import { assignmentQuery, assignmentSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/trainer-assignments: Who trains whom, now. */
export const getTrainerAssignments: Route = (app) => {
  app.get(
    '/trainer-assignments',
    {
      schema: {
        summary: 'List trainer assignments',
        tags: ['trainers'],
        security: bearer,
        querystring: assignmentQuery,
        response: { 200: pageSchema(assignmentSchema), ...failures },
      },
      config: { permission: { resource: 'trainerAssignments', action: 'read' } },
    },
    async (request) => okPage(await assignments.listAssignments(request.db, request.access, request.query)),
  );
};
