import { z } from 'zod';
import { id, localDate, nonEmpty, paise } from './common.js';
import { membershipSchema } from './membership.js';
import { invoiceSchema, paymentInputSchema, paymentSchema } from './payment.js';

/**
 * The money-taking operations, the same at the desk, in the cloud API and (later) in sync: one
 * schema each, so a desk mutation and a REST call are validated alike.
 */
const saleInput = z.object({
  memberId: id,
  planId: id,
  discountPaise: paise.default(0),
  payment: paymentInputSchema.nullish(),
});
export const sellInputSchema = saleInput.extend({ start: localDate.optional() });
export const renewInputSchema = saleInput;
export const saleResultSchema = z.object({
  membership: membershipSchema,
  payment: paymentSchema.nullable(),
  invoice: invoiceSchema.nullable(),
});
export type SellInput = z.infer<typeof sellInputSchema>;

export const freezeInputSchema = z.object({ from: localDate, to: localDate, reason: z.string().trim().max(200).nullish() });
export const cancelInputSchema = z.object({ reason: nonEmpty('Reason', 200) });

export const recordPaymentSchema = z.object({ membershipId: id }).and(paymentInputSchema);
export const paymentResultSchema = z.object({ payment: paymentSchema, invoice: invoiceSchema });
export const paymentRowSchema = paymentSchema.extend({ invoiceNumber: z.string() });
