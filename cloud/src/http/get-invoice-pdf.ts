import { z } from 'zod';
import * as invoices from '../domain/invoices.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { sendPdf } from './pdf-reply.js';
import { bearer, failures } from './responses.js';

/** GET /api/v1/invoices/:id/pdf: the GST tax invoice as a PDF, for staff who may read payments and the member it was issued to. */
export const getInvoicePdf: Route = (app) => {
  app.get(
    '/invoices/:id/pdf',
    {
      schema: {
        summary: 'Download an invoice PDF',
        tags: ['invoices'],
        security: bearer,
        params: idParams,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('The tax invoice (application/pdf)'), ...failures },
      },
      config: { permission: { resource: 'payments', action: 'read' } },
    },
    async (request, reply) => sendPdf(reply, await invoices.invoicePdf(request.db, request.access, request.params.id)),
  );
};
