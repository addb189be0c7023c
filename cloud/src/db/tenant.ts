import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, StaffRole } from './schema.js';

/**
 * Who a transaction acts for. The auth layer fills it from a verified token (auth/authenticate.ts);
 * nothing else may. Only gym, user and role go into the database session; the rest is for the
 * permission checks and the audit log.
 */
export interface TenantScope {
  gymId: string;
  /** The staff member, member or desk acting. */
  userId: string;
  role: StaffRole | 'member' | 'desk';
  /** Branches the caller may act in; empty means every branch. */
  branchIds: string[];
  /** Set for a member (the member's own id), null otherwise. */
  memberId: string | null;
  /** Set for a paired desk, null otherwise. */
  deviceId: string | null;
  /** The client's address as Fastify resolves it (trustProxy decides whether x-forwarded-for counts). */
  ip: string;
}

/**
 * Opens the row-level-security scope of `trx`: the policies compare `gym_id` with `app.gym_id`. The
 * values are bound parameters, never SQL text, and `is_local` = true ends them with the transaction, so
 * a pooled connection never carries one request's tenant into the next. The uuid cast rejects a
 * malformed gym id here rather than at the first query.
 */
async function enterScope(trx: Transaction<Database>, scope: TenantScope): Promise<void> {
  await sql`select set_config('app.gym_id', ${scope.gymId}::uuid::text, true),
                   set_config('app.user_id', ${scope.userId}, true),
                   set_config('app.role', ${scope.role}, true)`.execute(trx);
}

/**
 * Runs `fn` in one transaction scoped to a tenant: committed when `fn` resolves, rolled back when it
 * throws. Every query inside sees only the scope's gym, whether or not it filters on gym_id.
 *
 * Onboarding uses it too: the API mints the new gym's id, opens the scope on it, and inserts the gym,
 * its first branch and its owner in that one transaction (the gyms policy admits a row whose id is the
 * scope's). So no SECURITY DEFINER function or privileged connection exists in the request path.
 */
export function withTenant<T>(db: Kysely<Database>, scope: TenantScope, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await enterScope(trx, scope);
    return fn(trx);
  });
}
