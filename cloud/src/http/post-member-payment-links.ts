import { loadGym } from '../domain/gym.js';
import { createOnlineOrder, onlineOrderSchema, paymentLinkInputSchema } from '../domain/online-orders.js';
import { idParams } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/members/:id/payment-links: A Razorpay payment link for a renewal, sent to the member by WhatsApp; paid, it renews from the current end. */
export const postMemberPaymentLinks: Route = (app, { auth, razorpay }) => {
  app.post(
    '/members/:id/payment-links',
    {
      schema: {
        summary: 'Send a member a renewal payment link',
        tags: ['payments'],
        security: bearer,
        params: idParams,
        body: paymentLinkInputSchema,
        response: { 201: okSchema(onlineOrderSchema), ...failures },
      },
      config: { permission: { resource: 'onlinePayments', action: 'create' } },
    },
    async (request, reply) => {
      const deps = { connect: razorpay, keyEncryptionKey: auth.keyEncryptionKey };
      const link = await createOnlineOrder(request.db, request.access, await loadGym(request.db), deps, { kind: 'payment_link', memberId: request.params.id, ...request.body });
      reply.code(201);
      return ok(link);
    },
  );
};
