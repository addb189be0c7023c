import { z } from 'zod';
import { ipLimit } from '../auth/limits.js';
import { sharedInvoicePdf } from '../domain/invoices.js';
import type { Route } from './app-types.js';
import { failureSchema } from './envelope.js';
import { sendPdf } from './pdf-reply.js';

/**
 * GET /api/v1/shared/invoices/:token: the invoice PDF behind a share link, without a login, while the
 * link is valid; INVOICE_LINK_EXPIRED (410) after, INVOICE_LINK_INVALID (400) for a link we never signed.
 */
export const getSharedInvoice: Route = (app, { db, auth }) => {
  app.get(
    // A wildcard, not `:token`: the router caps a parameter at 100 characters, and a signed link is longer.
    '/api/v1/shared/invoices/*',
    {
      schema: {
        summary: 'Download a shared invoice PDF',
        tags: ['invoices'],
        params: z.object({ '*': z.string().max(2048) }),
        produces: ['application/pdf'],
        response: { 200: z.any().describe('The tax invoice (application/pdf)'), 400: failureSchema, 404: failureSchema, 410: failureSchema, 429: failureSchema },
      },
      config: { rateLimit: ipLimit(auth.limits) },
    },
    async (request, reply) => {
      reply.header('x-robots-tag', 'noindex');
      return sendPdf(reply, await sharedInvoicePdf(db, auth.invoiceLinks, request.params['*'], request.ip));
    },
  );
};
