import { type Kysely, sql } from 'kysely';
import type { Permission } from '../src/auth/permissions.js';
import type { Database } from '../src/db/schema.js';
import { withTenant, type TenantScope } from '../src/db/tenant.js';
import type { Route } from '../src/http/app-types.js';

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Under /api/v1, e.g. `/members/:id`. */
  url: string;
  permission: Permission | 'authenticated';
  hasBody: boolean;
}

/**
 * A tenant "route" that records every route registered after it in the tenant context (with the real
 * app's plugins), read from Fastify's onRoute: a route added to routes.ts later is in every generated
 * suite without touching it.
 */
export function routeCollector(found: ApiRoute[]): Route {
  return (app) => {
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        const permission = route.config?.permission;
        if (method === 'HEAD' || !permission) continue;
        found.push({ method: method as ApiRoute['method'], url: route.url.replace(/^\/api\/v1/, ''), permission, hasBody: route.schema?.body !== undefined });
      }
    });
  };
}

/** `:id` of a route, by its first path segment: which kind of row it names. */
export type IdKind = 'members' | 'memberships' | 'plans' | 'staff' | 'branches' | 'trainer-assignments' | 'devices' | 'invoices' | 'payments' | 'notifications';

export function idKindOf(url: string): IdKind | null {
  if (!url.includes(':id')) return null;
  const kind = url.split('/')[1];
  const kinds: IdKind[] = ['members', 'memberships', 'plans', 'staff', 'branches', 'trainer-assignments', 'devices', 'invoices', 'payments', 'notifications'];
  if (!kinds.includes(kind as IdKind)) throw new Error(`No id kind for ${url}: add it to api-routes.ts`);
  return kind as IdKind;
}

/**
 * A fingerprint of one gym's rows in every tenant table (count and md5 of the rows' text), read as the
 * owner role inside the gym's scope: equal fingerprints mean nothing was written.
 */
export async function digest(owner: Kysely<Database>, scope: TenantScope): Promise<Record<string, string>> {
  return withTenant(owner, scope, async (trx) => {
    const { rows: tables } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'gym_id' order by table_name`.execute(trx);
    const out: Record<string, string> = {};
    for (const { table_name } of [{ table_name: 'gyms' }, ...tables]) {
      const { rows } = await sql<{ n: number; h: string | null }>`
        select count(*)::int as n, md5(string_agg(t::text, ',' order by t::text)) as h from ${sql.table(table_name)} t`.execute(trx);
      out[table_name] = `${rows[0]?.n}:${rows[0]?.h}`;
    }
    return out;
  });
}
