import { pushRequestSchema, pushResponseSchema } from '@gymstack/shared';
import { push } from '../sync/push.js';
import type { Route } from './app-types.js';
import { ok, okSchema } from './envelope.js';
import { bearer, failures } from './responses.js';

/** A batch may carry member photos (up to ~400 KB each as data URLs). */
const PUSH_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * POST /api/v1/sync/push: A paired desk's outbox batch, applied in seq order, each mutation in its own
 * transaction (so the route opts out of the request transaction). Answers how far it got and why it stopped.
 */
export const postSyncPush: Route = (app, deps) => {
  app.post(
    '/sync/push',
    {
      bodyLimit: PUSH_BODY_LIMIT,
      schema: {
        summary: 'Push a desk outbox batch',
        tags: ['sync'],
        security: bearer,
        body: pushRequestSchema,
        response: { 200: okSchema(pushResponseSchema), ...failures },
      },
      config: { permission: { resource: 'sync', action: 'create' }, ownTransactions: true },
    },
    async (request) => ok(await push(deps.db, request.tenant, request.body, request.log)),
  );
};
