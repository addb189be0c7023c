import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { Auth } from '../auth/service.js';
import type { Database } from '../db/schema.js';
import type { RazorpayWebhooks } from '../domain/razorpay-webhook.js';
import type { RazorpayConnector } from '../razorpay/gateway.js';

/** The Fastify instance every route and plugin receives: zod schemas type requests and replies. */
export type CloudApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What routes may use besides the request. Tenant routes use `request.db`, never `db` (see tenancy.ts). */
export interface RouteDeps {
  /** The API role's Kysely, unscoped: RLS shows it no tenant row. For health checks and auth look-ups. */
  db: Kysely<Database>;
  metrics: Registry;
  /** Token signing, password hashing, auth rate limits, OTP delivery. */
  auth: Auth;
  /** The API role's pool under `db`; its connection settings open dedicated clients (the shapes' LISTEN). */
  pool: pg.Pool;
  /** Razorpay gateways for a gym's keys (the real API; tests point it at a stand-in). */
  razorpay: RazorpayConnector;
  /** Checks the WhatsApp webhook; unset values make it answer 503 (no provider configured). */
  whatsappWebhook: WhatsAppWebhookSettings;
  /** Checks Gupshup's callbacks; unset, they answer 503. */
  gupshupWebhook: GupshupWebhookSettings;
  /** Razorpay's webhook deliveries, with this process's webhook secrets and settled events. */
  razorpayWebhooks: RazorpayWebhooks;
}

export interface WhatsAppWebhookSettings {
  /** The Meta app secret the webhook's X-Hub-Signature-256 is made with. */
  appSecret: string | undefined;
  /** What Meta's subscription handshake must present. */
  verifyToken: string | undefined;
  /** The cloud's own sending number (WHATSAPP_PHONE_NUMBER_ID), which gyms without a number of their own send from. */
  defaultPhoneNumberId: string | undefined;
}

export interface GupshupWebhookSettings {
  /** The secret in the callback URL set in Gupshup (Gupshup signs nothing). */
  token: string | undefined;
}

/** One route per file, named verb + noun (`get-health.ts`, `post-members.ts`), listed in routes.ts. */
export type Route = (app: CloudApp, deps: RouteDeps) => void;
