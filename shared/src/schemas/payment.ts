import { z } from 'zod';
import { id, instant, localDate, paise, positivePaise } from './common.js';

/** What the desk takes at the counter. */
export const paymentMethods = ['cash', 'upi_offline', 'card_terminal'] as const;
export const paymentMethod = z.enum(paymentMethods);
export type PaymentMethod = z.infer<typeof paymentMethod>;

/** Every way a payment reaches the gym: the counter's, and a member paying online (through the cloud). */
export const receivedPaymentMethods = [...paymentMethods, 'razorpay'] as const;
export const receivedPaymentMethod = z.enum(receivedPaymentMethods);
export type ReceivedPaymentMethod = z.infer<typeof receivedPaymentMethod>;

/** UPI and card-terminal payments need the slip's reference; cash needs none. */
export const paymentInputSchema = z
  .object({
    method: paymentMethod,
    amountPaise: positivePaise,
    reference: z.string().trim().max(64).nullish(),
  })
  .superRefine((p, ctx) => {
    if (p.method !== 'cash' && !p.reference) {
      ctx.addIssue({ code: 'custom', path: ['reference'], message: 'Reference is required for UPI and card payments' });
    }
  });
export type PaymentInput = z.input<typeof paymentInputSchema>;

export const paymentSchema = z.object({
  id,
  memberId: id,
  membershipId: id,
  method: receivedPaymentMethod,
  reference: z.string().nullable(),
  amountPaise: paise,
  receivedAt: instant,
  staffId: id.nullable(),
  invoiceId: id,
});
export type Payment = z.infer<typeof paymentSchema>;

export const invoiceSchema = z.object({
  id,
  number: z.string(),
  paymentId: id,
  memberId: id,
  issuedOn: localDate,
  issuedAt: instant,
  sac: z.string(),
  rateBps: z.number().int(),
  placeOfSupply: z.string(),
  taxablePaise: paise,
  cgstPaise: paise,
  sgstPaise: paise,
  igstPaise: paise,
  totalPaise: paise,
});
export type Invoice = z.infer<typeof invoiceSchema>;
