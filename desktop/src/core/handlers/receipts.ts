import { invoiceFileName, receiptPdf } from '@gymstack/shared/invoices';
import { receiptHtml } from '../receipts/html.js';
import { loadReceipt } from '../receipts/model.js';
import { defineHandlers } from './types.js';

export const receiptHandlers = defineHandlers({
  'receipts/html': {
    access: 'frontdesk',
    run(ctx, { invoiceId }) {
      const receipt = loadReceipt(ctx, invoiceId);
      return { html: receiptHtml(receipt), number: receipt.invoice.number };
    },
  },

  'receipts/pdf': {
    access: 'frontdesk',
    async run(ctx, { invoiceId }) {
      const receipt = loadReceipt(ctx, invoiceId);
      const pdf = await receiptPdf(receipt);
      return { base64: pdf.toString('base64'), fileName: invoiceFileName(receipt.invoice.number) };
    },
  },
});
