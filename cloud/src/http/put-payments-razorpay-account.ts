import { z } from 'zod';
import { razorpayAccountSchema, saveRazorpayAccount } from '../domain/razorpay-accounts.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** PUT /api/v1/payments/razorpay-account: The gym's Razorpay keys and webhook secret, sealed at rest; never read back. */
export const putPaymentsRazorpayAccount: Route = (app, { auth, razorpayWebhooks }) => {
  app.put(
    '/payments/razorpay-account',
    {
      schema: {
        summary: "Set the gym's Razorpay account",
        tags: ['payments'],
        security: bearer,
        body: razorpayAccountSchema,
        response: { 200: okSchema(z.object({ keyId: z.string() })), ...failures },
      },
      config: { permission: { resource: 'gymConfig', action: 'update' } },
      // Once committed, the old webhook secret stops verifying in this process (in others within a minute).
      onResponse: async (request, reply) => {
        if (reply.statusCode === 200) razorpayWebhooks.forgetSecret(request.tenant.gymId);
      },
    },
    async (request) => ok(await saveRazorpayAccount(request.db, request.tenant, auth.keyEncryptionKey, request.body)),
  );
};
