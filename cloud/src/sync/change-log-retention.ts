import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';
import { compactChangeLogOlderThan } from './change-log.js';

/** How long the change log keeps an entry unless configured (CHANGE_LOG_RETENTION_DAYS). */
export const DEFAULT_RETENTION_DAYS = 30;
/** How often the gyms written to since the last sweep are compacted. */
export const RETENTION_SWEEP_MS = 60 * 60_000;

/**
 * The change log's retention policy (DESIGN 6): entries older than `days` are compacted away, gym by
 * gym, and the floor raised so a desk behind it gets 409 must-refetch. Every write reaches the log
 * through an authenticated request of its gym or a Razorpay event applied for it, and both note the gym,
 * so the gyms written to since the last sweep are exactly the ones whose logs grew: the sweep compacts
 * those, in the scope of a caller of each (forced RLS leaves no way, and no need, to list every gym).
 */
export class ChangeLogRetention {
  readonly #written = new Map<string, TenantScope>();
  #timer: NodeJS.Timeout | null = null;
  #sweeping: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly days: number,
    private readonly log?: FastifyBaseLogger,
  ) {}

  /** A request or event of this gym may have written to its log. */
  wrote(scope: TenantScope): void {
    this.#written.set(scope.gymId, scope);
  }

  start(everyMs = RETENTION_SWEEP_MS): void {
    this.#timer ??= setInterval(() => void this.sweep(), everyMs).unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#sweeping;
  }

  /** Compacts the logs of the gyms written to since the last sweep; a gym that fails is tried next time. */
  sweep(): Promise<void> {
    this.#sweeping ??= (async () => {
      const due = [...this.#written.values()];
      this.#written.clear();
      for (const scope of due) {
        try {
          await compactChangeLogOlderThan(this.db, scope, this.days);
        } catch (error) {
          this.#written.set(scope.gymId, scope);
          this.log?.error({ err: error, gymId: scope.gymId }, 'change log retention failed for a gym');
        }
      }
    })().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }
}
