import { loadGym } from '../domain/gym.js';
import { createOnlineOrder, onlineOrderInputSchema, onlineOrderSchema } from '../domain/online-orders.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/payments/orders: A Razorpay order for buying a plan online; the webhook sells the term once it is paid. */
export const postPaymentsOrders: Route = (app, { auth, razorpay }) => {
  app.post(
    '/payments/orders',
    {
      schema: {
        summary: 'Create a Razorpay order for a plan',
        tags: ['payments'],
        security: bearer,
        body: onlineOrderInputSchema,
        response: { 201: okSchema(onlineOrderSchema), ...failures },
      },
      config: { permission: { resource: 'onlinePayments', action: 'create' } },
    },
    async (request, reply) => {
      const deps = { connect: razorpay, keyEncryptionKey: auth.keyEncryptionKey };
      const order = await createOnlineOrder(request.db, request.access, await loadGym(request.db), deps, { kind: 'order', ...request.body });
      reply.code(201);
      return ok(order);
    },
  );
};
