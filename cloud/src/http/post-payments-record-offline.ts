import { paymentResultSchema } from '@gymstack/shared';
import * as memberships from '../domain/memberships.js';
import { loadGym } from '../domain/gym.js';
import { recordOfflinePaymentSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** POST /api/v1/payments/record-offline: Cash, UPI or card-terminal money against a membership (partial allowed, OVERPAYMENT refused), with a GST invoice from the cloud's series (naming a business buyer's GSTIN when given). */
export const postPaymentsRecordOffline: Route = (app) => {
  app.post(
    '/payments/record-offline',
    {
      schema: {
        summary: 'Record an offline payment',
        tags: ['payments'],
        security: bearer,
        body: recordOfflinePaymentSchema,
        response: { 201: okSchema(paymentResultSchema), ...failures },
      },
      config: { permission: { resource: 'payments', action: 'create' } },
    },
    async (request, reply) => {
      reply.code(201);
      return ok(await memberships.recordOfflinePayment(request.db, request.access, await loadGym(request.db), request.body));
    },
  );
};
