import { paymentRowSchema } from '@gymstack/shared';
import * as payments from '../domain/payments.js';
import { idParams, pageQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/members/:id/payments: A member's payments with their invoice numbers, newest first. */
export const getMemberPayments: Route = (app) => {
  app.get(
    '/members/:id/payments',
    {
      schema: {
        summary: "A member's payments",
        tags: ['members'],
        security: bearer,
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageSchema(paymentRowSchema), ...failures },
      },
      config: { permission: { resource: 'payments', action: 'read' } },
    },
    async (request) => okPage(await payments.listMemberPayments(request.db, request.access, request.params.id, request.query)),
  );
};
