import { invoiceFileName } from '@gymstack/shared/invoices';
import type { FastifyReply } from 'fastify';
import type { InvoicePdf } from '../domain/invoices.js';

/** An invoice PDF as a download, never cached on the way: it names the member. */
export function sendPdf(reply: FastifyReply, { number, pdf }: InvoicePdf): Buffer {
  reply.type('application/pdf').header('content-disposition', `attachment; filename="${invoiceFileName(number)}"`).header('cache-control', 'private, no-store');
  return pdf;
}
