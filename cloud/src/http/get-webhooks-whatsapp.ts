import { AppError, ErrorCode } from '@gymstack/shared';
import { z } from 'zod';
import { tokenMatches } from '@gymstack/shared/crypto';
import type { Route } from './app-types.js';
import { failureSchema } from './envelope.js';

/** GET /api/v1/webhooks/whatsapp: Meta's subscription handshake; echoes the challenge when the verify token matches. */
export const getWebhooksWhatsapp: Route = (app, { whatsappWebhook }) => {
  app.get(
    '/api/v1/webhooks/whatsapp',
    {
      schema: {
        summary: 'WhatsApp webhook verification',
        tags: ['webhooks'],
        querystring: z.object({ 'hub.mode': z.string(), 'hub.verify_token': z.string(), 'hub.challenge': z.string().max(200) }),
        response: { 200: z.string(), 403: failureSchema, 503: failureSchema },
      },
    },
    async (request, reply) => {
      const { verifyToken } = whatsappWebhook;
      if (!verifyToken) throw new AppError(ErrorCode.Unavailable, 'The WhatsApp webhook is not configured');
      const query = request.query;
      if (query['hub.mode'] !== 'subscribe' || !tokenMatches(query['hub.verify_token'], verifyToken)) throw new AppError(ErrorCode.Forbidden, 'Wrong verify token');
      return reply.type('text/plain').send(query['hub.challenge']);
    },
  );
};
