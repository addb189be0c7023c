import * as invoices from '../domain/invoices.js';
import { idParams, shareLinkInputSchema, shareLinkSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/**
 * POST /api/v1/invoices/:id/share-links: a link that opens the invoice's PDF without a login until it
 * expires (7 days unless `expiresInDays` says otherwise, at most 30), for whoever may download it.
 */
export const postInvoiceShareLinks: Route = (app, { auth }) => {
  app.post(
    '/invoices/:id/share-links',
    {
      schema: {
        summary: 'Share an invoice PDF by link',
        tags: ['invoices'],
        security: bearer,
        params: idParams,
        body: shareLinkInputSchema,
        response: { 201: okSchema(shareLinkSchema), ...failures },
      },
      config: { permission: { resource: 'payments', action: 'read' } },
    },
    async (request, reply) => {
      const { token, expiresAt } = await invoices.shareInvoice(request.db, request.access, auth.invoiceLinks, request.params.id, request.body.expiresInDays);
      reply.code(201);
      return ok({ url: `${request.protocol}://${request.host}${invoices.sharedInvoicePath(token)}`, token, expiresAt: expiresAt.toISOString() });
    },
  );
};
