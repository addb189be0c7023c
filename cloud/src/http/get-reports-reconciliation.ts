import { loadGym } from '../domain/gym.js';
import { reconciliation } from '../domain/reconciliation.js';
import { reconciliationQuery, reconciliationSchema } from '../domain/schemas.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** GET /api/v1/reports/reconciliation?date=&deviceId=: one business day's takings per desk and shift (default: today), for the owner and managers. */
export const getReportsReconciliation: Route = (app) => {
  app.get(
    '/reports/reconciliation',
    {
      schema: {
        summary: 'Cash, UPI and card reconciliation per desk and shift',
        tags: ['reports'],
        security: bearer,
        querystring: reconciliationQuery,
        response: { 200: okSchema(reconciliationSchema), ...failures },
      },
      config: { permission: { resource: 'reports', action: 'read' } },
    },
    async (request) => {
      const date = request.query.date ?? (await loadGym(request.db)).today;
      return ok(await reconciliation(request.db, request.access, date, request.query.deviceId));
    },
  );
};
