import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type TenantScope, withTenant } from '../../db/tenant.js';
import type { CloudApp } from '../app-types.js';

/** Resolves who is calling, from verified credentials; throws an UNAUTHENTICATED AppError otherwise. */
export type Authenticate = (request: FastifyRequest) => Promise<TenantScope>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The handler opens its own tenant transactions (withTenant) instead of the request's one. */
    ownTransactions?: boolean;
  }
  interface FastifyRequest {
    /** The caller, set before the body is even parsed. Only in tenant routes. */
    readonly tenant: TenantScope;
    /** The request's transaction, scoped to the caller's gym by RLS. Only in tenant routes. */
    readonly db: Transaction<Database>;
  }
}

const kTenant = Symbol('tenant');
const kTrx = Symbol('trx');

interface Scoped {
  [kTenant]: TenantScope | null;
  [kTrx]: Transaction<Database> | null;
}

function scoped(request: FastifyRequest): Scoped {
  return request as unknown as Scoped;
}

/** The caller of a tenant request once authenticated; null before, or when authentication failed. */
export function tenantOf(request: FastifyRequest): TenantScope | null {
  return scoped(request)[kTenant];
}

function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`request.${what} exists only inside a tenant route's handler`);
  return value;
}

/**
 * Makes every route registered after it in this encapsulation context a tenant route:
 * 1. onRequest: `authenticate` resolves the caller (so an anonymous request gets 401 before any parsing);
 * 2. the handler runs inside `withTenant`: one transaction per request that first sets app.gym_id,
 *    app.user_id and app.role as bound parameters; committed when the handler resolves, rolled back when
 *    it throws (the error handler then answers). Handlers return their payload rather than calling
 *    reply.send(), so nothing is sent before the commit.
 */
export function tenancy(app: CloudApp, options: { db: Kysely<Database>; authenticate: Authenticate }): void {
  app.decorateRequest(kTenant, null);
  app.decorateRequest(kTrx, null);
  app.decorateRequest('tenant', {
    getter(this: FastifyRequest) {
      return present(scoped(this)[kTenant], 'tenant');
    },
  });
  app.decorateRequest('db', {
    getter(this: FastifyRequest) {
      return present(scoped(this)[kTrx], 'db');
    },
  });

  app.addHook('onRequest', async (request) => {
    scoped(request)[kTenant] = await options.authenticate(request);
  });

  app.addHook('onRoute', (route) => {
    // A route that runs many transactions of its own (sync push: one per mutation) takes none here, so it
    // holds no idle pooled connection while it works; `request.db` is then unavailable to it.
    if (route.config?.ownTransactions) return;
    const handler = route.handler;
    route.handler = function tenantHandler(request, reply) {
      const state = scoped(request);
      return withTenant(options.db, present(state[kTenant], 'tenant'), async (trx) => {
        state[kTrx] = trx;
        try {
          return await handler.call(this, request, reply);
        } finally {
          state[kTrx] = null;
        }
      });
    };
  });
}
