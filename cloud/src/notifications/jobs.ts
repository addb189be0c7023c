import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import { v7 as uuid } from 'uuid';
import { withTenant } from '../db/tenant.js';
import { type DeliveryDeps, deliverNotification } from './deliver.js';
import { scanGym } from './scan.js';
import { systemScope } from './system-scope.js';

/** The pg-boss queues of notifications. */
export const QUEUES = {
  /** Every minute (cron): queues the scans that are due and hands due notifications to send jobs. */
  tick: 'notification-tick',
  /** One gym's daily reminder scan, at its local morning. */
  scan: 'notification-scan',
  /** One attempt at one notification. */
  send: 'notification-send',
} as const;

/** A send job that has not finished in this long is presumed lost, and its notification is handed out again. */
const SEND_LEASE_MS = 30 * 60_000;
const DISPATCH_BATCH = 500;
/** Scan jobs fetched at once (see `start`), and how many of them one process scans at a time. */
export const SCAN_BATCH = 50;
const SCAN_CONCURRENCY = 3;

export interface NotificationJobsOptions extends DeliveryDeps {
  /** The owner role's URL: pg-boss creates and migrates its own schema, which the API role may not. */
  ownerUrl: string;
  /** How often workers poll for jobs; tests shorten it. */
  pollingIntervalSeconds?: number;
}

interface ScanJob {
  gymId: string;
  localDate: string;
}

interface SendJob {
  gymId: string;
  notificationId: string;
}

/**
 * Reminders on pg-boss (DESIGN 5: jobs in Postgres). pg-boss keeps its own schema and connects as the
 * owner role; the work itself runs on the API role's pool in each gym's tenant scope, as requests do.
 * Which gyms to scan and which notifications are due come from SECURITY DEFINER look-ups (migration
 * 2026_11_25_0002), since forced RLS shows no role every gym.
 */
export class NotificationJobs {
  readonly #boss: PgBoss;
  #log: FastifyBaseLogger | null = null;

  constructor(private readonly options: NotificationJobsOptions) {
    this.#boss = new PgBoss({ connectionString: options.ownerUrl, max: 3, application_name: 'gymstack-jobs' });
  }

  /** Starts pg-boss (creating or migrating its schema), the queues, the every-minute tick and the workers. */
  async start(log: FastifyBaseLogger): Promise<void> {
    const boss = this.#boss;
    this.#log = log;
    boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
    const polling = { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 };
    await boss.start();
    await boss.createQueue(QUEUES.tick, { name: QUEUES.tick, policy: 'stately' });
    // A second scan of the same gym and day is harmless (the unique key), but one queued is enough.
    await boss.createQueue(QUEUES.scan, { name: QUEUES.scan, policy: 'short', retryLimit: 3, retryDelay: 60 });
    // Provider failures are retried by the notification itself (1, 5, 15 minutes); these retries cover
    // a job that crashed or lost its database connection.
    await boss.createQueue(QUEUES.send, { name: QUEUES.send, retryLimit: 3, retryDelay: 30, retryBackoff: true });
    await boss.schedule(QUEUES.tick, '* * * * *');
    await boss.work(QUEUES.tick, polling, () => this.tick());
    // pg-boss 10 waits a polling interval after every fetch, even a full one: one gym a fetch would make
    // 500 gyms' morning take 1,000 s. So scans are fetched in batches; a scan run twice queues nothing twice.
    await boss.work<ScanJob>(QUEUES.scan, { ...polling, batchSize: SCAN_BATCH }, async (jobs) => {
      const failed = await this.scanAll(jobs.map((job) => job.data));
      // Only the gyms that failed go back for a retry; pg-boss completes the rest of the batch.
      if (failed.length > 0) await boss.fail(QUEUES.scan, failed.map(({ index }) => jobs[index]!.id));
    });
    await boss.work<SendJob>(QUEUES.send, { ...polling, batchSize: 5 }, async (jobs) => {
      await Promise.all(jobs.map((job) => deliverNotification(this.options, job.data.gymId, job.data.notificationId, job.id)));
    });
  }

  /** Stops polling and waits for the jobs in hand, before the pools close. */
  async stop(): Promise<void> {
    await this.#boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  /** Queues the scans of the gyms whose local morning has come, then dispatches due notifications. */
  async tick(): Promise<void> {
    const now = this.options.now();
    const { rows } = await sql<{ gym_id: string; local_date: string }>`select * from notification_gyms_to_scan(${now})`.execute(this.options.db);
    for (const { gym_id: gymId, local_date: localDate } of rows) {
      await this.#boss.send(QUEUES.scan, { gymId, localDate } satisfies ScanJob, { singletonKey: `${gymId}:${localDate}` });
    }
    await this.dispatch(now);
  }

  /**
   * Scans a batch of gyms, a few at a time: a scan is a chain of short statements, each waiting on a
   * round trip, so one alone leaves the database and this process mostly idle. A gym that fails is
   * logged and returned (its place in `jobs`); the others are scanned all the same.
   */
  async scanAll(jobs: ScanJob[]): Promise<{ index: number; error: unknown }[]> {
    let next = 0;
    const failed: { index: number; error: unknown }[] = [];
    const lane = async () => {
      for (let index = next++; index < jobs.length; index = next++) {
        const job = jobs[index]!;
        await this.scan(job).catch((error: unknown) => {
          this.#log?.error({ err: error, gymId: job.gymId }, 'reminder scan failed');
          failed.push({ index, error });
        });
      }
    };
    await Promise.all(Array.from({ length: SCAN_CONCURRENCY }, lane));
    return failed;
  }

  async scan({ gymId }: ScanJob): Promise<void> {
    const queued = await withTenant(this.options.db, systemScope(gymId), (trx) => scanGym(trx, gymId, this.options.now()));
    this.#log?.info({ gymId, queued }, 'reminder scan');
  }

  /** Hands each due notification to a send job of its own, marking it with the job's id first. */
  async dispatch(now: Date): Promise<void> {
    const { rows } = await sql<{ gym_id: string; id: string }>`select * from notification_due(${now}, ${DISPATCH_BATCH})`.execute(this.options.db);
    const leaseEnded = new Date(now.getTime() - SEND_LEASE_MS);
    for (const { gym_id: gymId, id } of rows) {
      const jobId = uuid();
      const claimed = await withTenant(this.options.db, systemScope(gymId), (trx) =>
        trx
          .updateTable('notifications')
          .set({ job_id: jobId, updated_at: now })
          .where('id', '=', id)
          .where('status', 'in', ['queued', 'failed'])
          .where((eb) => eb.or([eb('job_id', 'is', null), eb('updated_at', '<', leaseEnded)]))
          .returning('id')
          .executeTakeFirst(),
      );
      if (claimed) await this.#boss.send(QUEUES.send, { gymId, notificationId: id } satisfies SendJob, { id: jobId });
    }
  }

  /** Jobs waiting (created or retrying) per queue, for /metrics. */
  async queueDepth(): Promise<Record<string, number>> {
    const depths: Record<string, number> = {};
    for (const queue of Object.values(QUEUES)) depths[queue] = await this.#boss.getQueueSize(queue);
    return depths;
  }
}
