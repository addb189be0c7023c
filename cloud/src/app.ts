import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import rateLimit from '@fastify/rate-limit';
import { AppError, ErrorCode } from '@gymstack/shared';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { bearerAuthenticate } from './auth/authenticate.js';
import { permissions } from './auth/permissions.js';
import { type AuthSettings, createAuth } from './auth/service.js';
import type { Database } from './db/schema.js';
import { RazorpayWebhooks } from './domain/razorpay-webhook.js';
import { type RazorpayConnector, razorpayConnector } from './razorpay/gateway.js';
import type { CloudApp, GupshupWebhookSettings, Route, RouteDeps, WhatsAppWebhookSettings } from './http/app-types.js';
import { ChangeLogRetention, DEFAULT_RETENTION_DAYS } from './sync/change-log-retention.js';
import { docs } from './http/plugins/docs.js';
import { errorHandling } from './http/plugins/errors.js';
import { createMetrics, type JobQueues, requestMetrics } from './http/plugins/metrics.js';
import { type Authenticate, tenancy, tenantOf } from './http/plugins/tenancy.js';
import { publicRoutes, tenantRoutes } from './http/routes.js';

export interface AppOptions {
  /** Kysely on the API role (`gymstack_api`), never the owner. */
  db: Kysely<Database>;
  /** The pool under `db`, for the pool gauges. */
  pool: pg.Pool;
  logger?: FastifyServerOptions['logger'];
  /** Keys, password cost, rate limits, OTP delivery; see AuthSettings for the defaults. */
  auth?: AuthSettings;
  /** Resolves the caller of a tenant route; default: a Bearer access token signed with `auth.keys`. */
  authenticate?: Authenticate;
  /** Defaults to routes.ts; tests pass their own. */
  routes?: { public?: Route[]; tenant?: Route[] };
  /** How long the sync change log keeps entries, in days (CHANGE_LOG_RETENTION_DAYS). */
  changeLogRetentionDays?: number;
  /** Default: the real Razorpay API. */
  razorpay?: RazorpayConnector;
  /** The background job queues (notifications/jobs.ts), for the queue depth on /metrics. */
  jobs?: JobQueues;
  /** Default: unset, so the WhatsApp webhook answers 503. */
  whatsappWebhook?: WhatsAppWebhookSettings;
  /** Default: unset, so the Gupshup callback answers 503. */
  gupshupWebhook?: GupshupWebhookSettings;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A caller's x-request-id is kept when it is a sane token, so logs join up across services; else a new one. */
function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * close() stops accepting and waits for requests in flight; a response finished while closing also
 * ends its keep-alive connection, or that idle connection would hold close() open until it times out.
 * It also waits for every handler still running: Node's server stops counting a request whose client
 * went away (a desk shutting down first), but its handler may still reach for the database, which the
 * server closes once close() resolves.
 */
function gracefulClose(app: CloudApp): void {
  let closing = false;
  const running = new Set<Promise<unknown>>();
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function tracked(request, reply) {
      const run = Promise.resolve(handler.call(this, request, reply));
      running.add(run);
      run.then(
        () => running.delete(run),
        () => running.delete(run),
      );
      return run;
    };
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled(running);
  });
}

/** Builds the cloud HTTP app without listening (tests drive it with `inject`; server.ts listens). */
export async function buildApp(options: AppOptions): Promise<CloudApp> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: requestId,
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  gracefulClose(app);

  const auth = createAuth(options.auth ?? {}, app.log);
  // A gym's writes come through its tenant requests and Razorpay's webhook, which note the gym; the gyms
  // written to are compacted hourly.
  const retention = new ChangeLogRetention(options.db, options.changeLogRetentionDays ?? DEFAULT_RETENTION_DAYS, app.log);
  retention.start();
  app.addHook('onClose', () => retention.stop());
  const deps: RouteDeps = {
    db: options.db,
    metrics: createMetrics(options.pool, options.jobs),
    auth,
    pool: options.pool,
    razorpay: options.razorpay ?? razorpayConnector(),
    whatsappWebhook: options.whatsappWebhook ?? { appSecret: undefined, verifyToken: undefined, defaultPhoneNumberId: undefined },
    gupshupWebhook: options.gupshupWebhook ?? { token: undefined },
    razorpayWebhooks: new RazorpayWebhooks(options.db, auth.keyEncryptionKey, (scope) => retention.wrote(scope)),
  };
  errorHandling(app);
  requestMetrics(app, deps.metrics);
  // Off by default; a route opts in with `config: { rateLimit: { max, timeWindow } }` (auth routes will).
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new AppError(ErrorCode.RateLimited, `Too many requests; try again in ${context.after}`),
  });
  await docs(app);

  for (const route of options.routes?.public ?? publicRoutes) route(app, deps);
  await app.register(
    async (api: CloudApp) => {
      tenancy(api, { db: options.db, authenticate: options.authenticate ?? bearerAuthenticate(options.db, deps.auth.tokens) });
      api.addHook('onResponse', async (request) => {
        const tenant = tenantOf(request);
        if (tenant && request.method !== 'GET') retention.wrote(tenant);
      });
      permissions(api);
      for (const route of options.routes?.tenant ?? tenantRoutes) route(api, deps);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
