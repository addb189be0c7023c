/**
 * The money group: Razorpay webhooks applied per second through the real cloud process
 * (bench/money/webhooks.ts), and the daily reminder scan over 500 gyms of 1,000 members
 * (bench/money/reminders.ts), each against a baseline measured in the same run. See docs/benchmarks.md,
 * "The money group".
 *
 * Postgres as for the cloud group (bench/cloud/database.ts): DATABASE_URL (a superuser URL), else an
 * embedded cluster. The webhook part seeds a scratch database and drops it. The scan's 500,000 members
 * are kept between runs in a database named after the seed (only with DATABASE_URL; an embedded
 * cluster is thrown away with its data).
 *
 * Environment: BENCH_MONEY_ONLY=webhook,scan; webhooks: BENCH_MONEY_GYMS (60), BENCH_MONEY_EVENTS (34
 * per gym; the route allows a gym 1,000 requests a minute, and both passes land within one), BENCH_MONEY_REPLAYS (10), BENCH_MONEY_IN_FLIGHT (32), BENCH_MONEY_LOG_LEVEL (warn); scan:
 * BENCH_MONEY_SCAN_GYMS (500), BENCH_MONEY_SCAN_MEMBERS (1000), BENCH_MONEY_ROUNDS (3),
 * BENCH_MONEY_KEEP=1 (keep the webhook database and temp files).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase } from './cloud/database.js';
import type { BenchResults } from './measure.js';
import { runScanBench } from './money/reminders.js';
import { runWebhookBench } from './money/webhooks.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ONLY = new Set((process.env.BENCH_MONEY_ONLY ?? 'webhook,scan').split(',').map((s) => s.trim()));

export async function runMoneyBench(): Promise<BenchResults> {
  const results: BenchResults = {};
  const keep = process.env.BENCH_MONEY_KEEP === '1';
  if (ONLY.has('webhook')) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gymstack-money-bench-'));
    const db = await createBenchDatabase('money');
    try {
      console.log(`  webhooks: Postgres ${db.embedded ? 'embedded' : 'from DATABASE_URL'}, database ${db.database}`);
      Object.assign(
        results,
        await runWebhookBench(db, dir, {
          gyms: env('BENCH_MONEY_GYMS', 60),
          membersPerGym: 200,
          eventsPerGym: env('BENCH_MONEY_EVENTS', 34),
          replays: env('BENCH_MONEY_REPLAYS', 10),
          inFlight: env('BENCH_MONEY_IN_FLIGHT', 32),
          logLevel: process.env.BENCH_MONEY_LOG_LEVEL ?? 'warn',
        }),
      );
    } finally {
      await db.dispose(keep);
      if (keep) console.log(`  kept database ${db.database} and ${dir}`);
      else if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    }
  }
  if (ONLY.has('scan')) {
    Object.assign(results, await runScanBench({ gyms: env('BENCH_MONEY_SCAN_GYMS', 500), members: env('BENCH_MONEY_SCAN_MEMBERS', 1000), rounds: env('BENCH_MONEY_ROUNDS', 3) }));
  }
  return results;
}
