import { fields } from '@gymstack/shared';
import { z } from 'zod';
import type { CloudApp, Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';
import { keepRawBodies, rawBodyOf } from './raw-body.js';

const outcomeSchema = z.object({ outcome: z.enum(['applied', 'duplicate', 'unmatched', 'review', 'ignored']) });

const header = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * POST /api/v1/payments/webhook/:gymId: Razorpay's webhook, one URL per gym (each gym has its own Razorpay
 * account and webhook secret, so the URL names whose secret verifies the body). Public: the signature is
 * the credential. In a plugin of its own so its content-type parser keeps the raw bytes the signature
 * covers; nothing is parsed before it verifies (domain/razorpay-webhook.ts).
 */
export const postPaymentsWebhook: Route = (app, { razorpayWebhooks }) => {
  void app.register(async (scope: CloudApp) => {
    keepRawBodies(scope);
    scope.post(
      '/api/v1/payments/webhook/:gymId',
      {
        schema: {
          summary: 'Razorpay webhook (signed with the gym’s webhook secret)',
          tags: ['payments'],
          params: z.object({ gymId: fields.id }),
          response: { 200: okSchema(outcomeSchema), 400: failureSchema, 429: failureSchema },
        },
        // The seed's webhook budget, per gym: Razorpay sends every gym's webhooks from a few addresses, so a
        // budget per address would throttle all gyms together.
        config: { rateLimit: { max: 1000, timeWindow: 60_000, keyGenerator: (request) => (request.params as { gymId?: string }).gymId ?? request.ip } },
      },
      async (request) => {
        const outcome = await razorpayWebhooks.receive({
          gymId: request.params.gymId,
          signature: header(request.headers['x-razorpay-signature']),
          eventId: header(request.headers['x-razorpay-event-id']),
          rawBody: rawBodyOf(request.body),
          ip: request.ip,
        });
        return ok({ outcome });
      },
    );
  });
};
