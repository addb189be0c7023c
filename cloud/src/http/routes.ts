import type { Route } from './app-types.js';
import { getHealth } from './get-health.js';
import { getMetrics } from './get-metrics.js';
import { getReady } from './get-ready.js';

/** Routes outside /api/v1 and outside any tenant: operations, and later public sign-up and login. */
export const publicRoutes: Route[] = [getHealth, getReady, getMetrics];

/**
 * Routes under /api/v1 that act for an authenticated caller: each runs in the caller's tenant
 * transaction (`request.db`, see plugins/tenancy.ts). Add `post-members.ts` and the like here.
 */
export const tenantRoutes: Route[] = [];
