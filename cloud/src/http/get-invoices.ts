import * as ledger from '../domain/ledger.js';
import { ledgerInvoiceSchema, ledgerQuery } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { bearer, failures, okPage, pageSchema } from './responses.js';

/** GET /api/v1/invoices: GST invoices, newest first, with their payment's method and desk; the same filters as GET /payments. */
export const getInvoices: Route = (app) => {
  app.get(
    '/invoices',
    {
      schema: {
        summary: 'List invoices',
        tags: ['invoices'],
        security: bearer,
        querystring: ledgerQuery,
        response: { 200: pageSchema(ledgerInvoiceSchema), ...failures },
      },
      config: { permission: { resource: 'payments', action: 'read' } },
    },
    async (request) => okPage(await ledger.listInvoices(request.db, request.access, request.query)),
  );
};
