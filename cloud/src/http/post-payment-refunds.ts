import { refundInputSchema, refundPayment, refundSchema } from '../domain/refunds.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/payments/:id/refunds: Refunds a Razorpay payment in full or in part (owner only), with a credit note against its invoice. */
export const postPaymentRefunds: Route = (app, { db, auth, razorpay }) => {
  app.post(
    '/payments/:id/refunds',
    {
      schema: {
        summary: 'Refund an online payment',
        tags: ['payments'],
        security: bearer,
        params: idParams,
        body: refundInputSchema,
        response: { 201: okSchema(refundSchema), ...failures },
      },
      // The seed gives refunds to the owner alone: the matrix keeps payments `delete` for them.
      // Razorpay is asked between two transactions of the refund's own (refunds.ts), never inside one.
      config: { permission: { resource: 'payments', action: 'delete' }, ownTransactions: true },
    },
    async (request, reply) => {
      const deps = { connect: razorpay, keyEncryptionKey: auth.keyEncryptionKey };
      const refund = await refundPayment(db, request.access, deps, request.params.id, request.body);
      reply.code(201);
      return ok(refund);
    },
  );
};
