import { listPaymentReviews, paymentReviewSchema } from '../domain/payment-reviews.js';
import { pageQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/payment-reviews: Online payments refused for a mismatched amount, currency or order, never applied; newest first. */
export const getPaymentReviews: Route = (app) => {
  app.get(
    '/payment-reviews',
    {
      schema: {
        summary: 'Online payments held for review',
        tags: ['payments'],
        security: bearer,
        querystring: pageQuery,
        response: { 200: pageSchema(paymentReviewSchema), ...failures },
      },
      config: { permission: { resource: 'onlinePayments', action: 'read' } },
    },
    async (request) => okPage(await listPaymentReviews(request.db, request.query)),
  );
};
