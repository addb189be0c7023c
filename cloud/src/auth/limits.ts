import { AppError, ErrorCode } from '@gymstack/shared';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { CloudApp } from '../http/app-types.js';

export interface RateLimit {
  max: number;
  /** Milliseconds. */
  timeWindow: number;
}

/** Every auth endpoint has both, each counted per endpoint. */
export interface AuthLimits {
  /** By client address: one source trying many accounts. */
  perIp: RateLimit;
  /** By the account named in the request (login, phone, device, code): many sources trying one account. */
  perAccount: RateLimit;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  perIp: { max: 10, timeWindow: 60_000 },
  perAccount: { max: 5, timeWindow: 60_000 },
};

/** The per-IP limit, as a route's `config.rateLimit` (checked in onRequest, before the body is read). */
export const ipLimit = (limits: AuthLimits) => ({ ...limits.perIp, keyGenerator: (request: FastifyRequest) => request.ip });

/**
 * The per-account limit, as a preHandler: it needs the validated body to know the account. Counters are
 * in-process (@fastify/rate-limit's local store), so with N API processes the effective limit is N×.
 */
export function accountLimit<Body>(app: CloudApp, limits: AuthLimits, account: (body: Body, request: FastifyRequest) => string): preHandlerAsyncHookHandler {
  // The schema has validated the body by the time preHandler runs.
  const check = app.createRateLimit({ ...limits.perAccount, keyGenerator: (request) => account(request.body as Body, request) });
  return async (request) => {
    const result = await check(request);
    if (!result.isAllowed && result.isExceeded) {
      throw new AppError(ErrorCode.RateLimited, `Too many attempts; try again in ${result.ttlInSeconds} s`);
    }
  };
}
