import { listRefunds, refundListItemSchema, refundListQuery } from '../domain/refunds.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/refunds: refunds of online payments with their state and credit notes, newest first; filters: paymentId, memberId, status. */
export const getRefunds: Route = (app) => {
  app.get(
    '/refunds',
    {
      schema: {
        summary: 'List refunds',
        tags: ['payments'],
        security: bearer,
        querystring: refundListQuery,
        response: { 200: pageSchema(refundListItemSchema), ...failures },
      },
      config: { permission: { resource: 'payments', action: 'read' } },
    },
    async (request) => okPage(await listRefunds(request.db, request.access, request.query)),
  );
};
