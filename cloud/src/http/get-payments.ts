import * as ledger from '../domain/ledger.js';
import { ledgerPaymentSchema, ledgerQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/payments: payments with their invoice numbers, newest first; filters: from/to (business dates), method, memberId, deviceId. */
export const getPayments: Route = (app) => {
  app.get(
    '/payments',
    {
      schema: {
        summary: 'List payments',
        tags: ['payments'],
        security: bearer,
        querystring: ledgerQuery,
        response: { 200: pageSchema(ledgerPaymentSchema), ...failures },
      },
      config: { permission: { resource: 'payments', action: 'read' } },
    },
    async (request) => okPage(await ledger.listPayments(request.db, request.access, request.query)),
  );
};
