import { AppError, ErrorCode } from '@gymstack/shared';
import { z } from 'zod';
import { jsonOf } from '../domain/json-body.js';
import { tokenMatches } from '@gymstack/shared/crypto';
import { callbackSchema, gymEventsOf } from '../notifications/gupshup-webhook.js';
import { applyProviderEvents } from '../notifications/provider-events.js';
import type { CloudApp, Route } from './app-types.js';
import { failureSchema } from './envelope.js';
import { keepRawBodies, rawBodyOf } from './raw-body.js';

/**
 * POST /api/v1/webhooks/gupshup/:token: Gupshup's delivery statuses and members' messages (STOP opts out,
 * START back in). Gupshup signs nothing, so the URL carries a secret (GUPSHUP_WEBHOOK_TOKEN) and nothing is
 * read before it matches. Gupshup wants a 2xx with no body and retries anything else; so an empty body
 * (a check of the URL) and events the cloud has no use for get the same 204. Raw bodies, so neither an
 * empty JSON body nor a missing content type trips Fastify's parser.
 */
export const postWebhooksGupshup: Route = (app, { db, gupshupWebhook }) => {
  void app.register(async (scope: CloudApp) => {
    keepRawBodies(scope);
    scope.post(
      '/api/v1/webhooks/gupshup/:token',
      {
        schema: {
          summary: 'Gupshup WhatsApp callback',
          tags: ['webhooks'],
          params: z.object({ token: z.string() }),
          response: { 204: z.null().describe('Received (Gupshup wants an empty answer)'), 400: failureSchema, 401: failureSchema, 503: failureSchema },
        },
        // The URL holds the secret: below warn, Fastify's per-request lines (which carry the URL) stay out of the log.
        logLevel: 'warn',
      },
      async (request, reply) => {
        const { token } = gupshupWebhook;
        if (!token) throw new AppError(ErrorCode.Unavailable, 'The Gupshup webhook is not configured');
        if (!tokenMatches(request.params.token, token)) throw new AppError(ErrorCode.Unauthenticated, 'Wrong webhook token');
        const raw = rawBodyOf(request.body);
        if (raw.toString('utf8').trim() !== '') {
          const parsed = callbackSchema.safeParse(jsonOf(raw));
          if (!parsed.success) throw new AppError(ErrorCode.BadRequest, 'Not a Gupshup callback');
          await applyProviderEvents(db, await gymEventsOf(db, parsed.data), new Date());
        }
        return reply.code(204).send(null);
      },
    );
  });
};
