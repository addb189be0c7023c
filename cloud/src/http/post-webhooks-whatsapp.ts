import { AppError, ErrorCode } from '@gymstack/shared';
import { z } from 'zod';
import { jsonOf } from '../domain/json-body.js';
import { applyProviderEvents } from '../notifications/provider-events.js';
import { eventsOf, gymEventsOf, validSignature, webhookSchema } from '../notifications/whatsapp-webhook.js';
import type { CloudApp, Route } from './app-types.js';
import { failureSchema, ok, okSchema } from './envelope.js';
import { keepRawBodies, rawBodyOf } from './raw-body.js';

/**
 * POST /api/v1/webhooks/whatsapp: Meta's delivery statuses and members' messages (STOP opts out). Public,
 * but only a body signed with the app secret (`X-Hub-Signature-256`) is read, so it is parsed here
 * from the raw bytes the signature covers; the gym is the one owning the phone-number id, or for the
 * cloud's default number the one each event concerns.
 */
export const postWebhooksWhatsapp: Route = (app, { db, whatsappWebhook }) => {
  void app.register(async (scope: CloudApp) => {
    keepRawBodies(scope);
    scope.post(
      '/api/v1/webhooks/whatsapp',
      {
        schema: {
          summary: 'WhatsApp webhook',
          tags: ['webhooks'],
          response: { 200: okSchema(z.object({ unknownPhoneNumberIds: z.array(z.string()) })), 400: failureSchema, 401: failureSchema, 503: failureSchema },
        },
      },
      async (request) => {
        const { appSecret, defaultPhoneNumberId } = whatsappWebhook;
        if (!appSecret) throw new AppError(ErrorCode.Unavailable, 'The WhatsApp webhook is not configured');
        const raw = rawBodyOf(request.body);
        const signature = request.headers['x-hub-signature-256'];
        if (!validSignature(raw, typeof signature === 'string' ? signature : undefined, appSecret)) throw new AppError(ErrorCode.Unauthenticated, 'Bad webhook signature');
        const parsed = webhookSchema.safeParse(jsonOf(raw));
        if (!parsed.success) throw new AppError(ErrorCode.BadRequest, 'Not a WhatsApp Business webhook');
        const { groups, unknownPhoneNumberIds } = await gymEventsOf(db, eventsOf(parsed.data), defaultPhoneNumberId);
        await applyProviderEvents(db, groups, new Date());
        if (unknownPhoneNumberIds.length > 0) request.log.warn({ unknownPhoneNumberIds }, 'WhatsApp webhook for a number no gym has');
        return ok({ unknownPhoneNumberIds });
      },
    );
  });
};
