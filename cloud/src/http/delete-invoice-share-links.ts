import * as invoices from '../domain/invoices.js';
import { idParams, revokedLinksSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/**
 * DELETE /api/v1/invoices/:id/share-links: every link shared so far to the invoice stops opening
 * (INVOICE_LINK_REVOKED, 410); for whoever may share it, a member only their own.
 */
export const deleteInvoiceShareLinks: Route = (app) => {
  app.delete(
    '/invoices/:id/share-links',
    {
      schema: {
        summary: 'Revoke an invoice’s share links',
        tags: ['invoices'],
        security: bearer,
        params: idParams,
        response: { 200: okSchema(revokedLinksSchema), ...failures },
      },
      config: { permission: { resource: 'payments', action: 'read' } },
    },
    async (request) => {
      const { invoiceId, revokedAt } = await invoices.revokeInvoiceLinks(request.db, request.access, request.params.id);
      return ok({ invoiceId, revokedAt: revokedAt.toISOString() });
    },
  );
};
