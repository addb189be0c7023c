import type pg from 'pg';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CloudApp } from '../app-types.js';

/** What /metrics reads from the job queues (pg-boss, notifications/jobs.ts). */
export interface JobQueues {
  /** Jobs waiting (created or retrying) per queue. */
  queueDepth(): Promise<Record<string, number>>;
}

/**
 * One registry per app (not prom-client's global one), so apps built side by side in tests keep their
 * own counts. Pool gauges and queue depths are read at scrape time.
 */
export function createMetrics(pool: pg.Pool, jobs?: JobQueues): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'gymstack_pg_pool_connections',
    help: 'Connections of the API pool: total open, idle, and requests waiting for one',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  if (jobs) {
    new Gauge({
      name: 'gymstack_job_queue_depth',
      help: 'Background jobs waiting to run (created or retrying), by queue',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        for (const [queue, depth] of Object.entries(await jobs.queueDepth())) this.set({ queue }, depth);
      },
    });
  }
  return registry;
}

/** Latency of every request by route pattern (not raw URL, which would explode the label set) and status. */
export function requestMetrics(app: CloudApp, registry: Registry): void {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status_code: reply.statusCode }, reply.elapsedTime / 1000);
  });
}
