/**
 * `money.webhook_rps`: signed Razorpay webhooks applied per second by the real cloud process, each
 * distinct event delivered ten times in a shuffled order (replays arrive before, during and after the
 * first is applied), then checked in the database: exactly one payment, invoice, membership and receipt
 * per event. Baseline, in the same run: the very same request list sent again, when every event is
 * already applied, so each request is only signature-verified and deduplicated.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSigningKeys } from '@gymstack/cloud';
import pg from 'pg';
import { type CpuShares, measureCpu } from '../cloud/cpu.js';
import type { BenchDatabase } from '../cloud/database.js';
import { startBenchServer } from '../cloud/server.js';
import { type BenchResults, withBaseline } from '../measure.js';
import { type DeliveryRun, deliverAll } from './deliver.js';
import { seedPayableGyms } from './razorpay-seed.js';
import { paidDeliveries, withReplays } from './webhook-events.js';

export interface WebhookBenchConfig {
  gyms: number;
  membersPerGym: number;
  eventsPerGym: number;
  replays: number;
  inFlight: number;
  logLevel: string;
}

const say = (line: string) => console.log(`  ${line}`);

/** Fails the bench unless every answer is a 200 with only the outcomes expected. */
function assertOutcomes(what: string, run: DeliveryRun, expected: Record<string, number>): void {
  const got = JSON.stringify(run.outcomes, Object.keys(run.outcomes).sort());
  const want = JSON.stringify(expected, Object.keys(expected).sort());
  if (run.statuses['200'] !== run.requests || got !== want) {
    throw new Error(`${what}: statuses ${JSON.stringify(run.statuses)}, outcomes ${got}, expected ${want}; first failure: ${run.firstFailure}`);
  }
}

/** Rows that must number exactly one per distinct event, read as the superuser across all gyms. */
async function countEffects(superUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: superUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, number>>(`select
      (select count(*)::int from razorpay_webhook_events) as events,
      (select count(*)::int from razorpay_webhook_events where outcome = 'applied') as applied_events,
      (select count(*)::int from payments where method = 'razorpay') as payments,
      (select count(distinct reference)::int from payments where method = 'razorpay') as payment_refs,
      (select count(*)::int from invoices i join payments p on p.gym_id = i.gym_id and p.id = i.payment_id where p.method = 'razorpay') as invoices,
      (select count(*)::int from memberships) as memberships,
      (select count(*)::int from razorpay_orders where status = 'paid') as paid_orders,
      (select count(distinct membership_id)::int from razorpay_orders where status = 'paid') as order_memberships,
      (select count(*)::int from notifications where template = 'payment_receipt') as receipts,
      (select count(*)::int from payment_reviews) as reviews`);
    return rows[0]!;
  } finally {
    await client.end();
  }
}

const cpuNote = (cpu: CpuShares, requests: number) =>
  `cpu/req: server ${((1000 * cpu.server) / requests).toFixed(2)} ms, postgres ${((1000 * cpu.postgres) / requests).toFixed(2)} ms, client ${((1000 * cpu.client) / requests).toFixed(2)} ms${cpu.otherShare > 0.05 ? ` !! other processes took ${(100 * cpu.otherShare).toFixed(0)}% of the CPU` : ''}`;

export async function runWebhookBench(db: BenchDatabase, dir: string, config: WebhookBenchConfig): Promise<BenchResults> {
  // The server reads its key-encryption key from its data dir (auth/key-encryption-key.ts); the seed
  // seals the webhook secrets with the same key.
  const kek = randomBytes(32);
  writeFileSync(path.join(dir, 'cloud-kek'), kek.toString('base64'), { mode: 0o600 });
  const t = Date.now();
  const payable = await seedPayableGyms(db.urls.owner, kek, config.gyms, config.membersPerGym, config.eventsPerGym);
  const distinct = payable.orders.length;
  say(`seeded ${config.gyms} gyms × ${config.membersPerGym} members with ${distinct} open orders and payment links in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const keys = generateSigningKeys();
  const server = await startBenchServer({
    adminUrl: db.adminUrl,
    database: db.database,
    privateJwk: JSON.stringify(keys.privateKey.export({ format: 'jwk' })),
    dir,
    logLevel: config.logLevel,
  });
  try {
    say(`cloud on ${server.url} (log ${server.logFile})`);
    const requests = withReplays(paidDeliveries(payable.orders, payable.webhookSecret), config.replays);
    const perSource = Math.ceil(requests.length / config.inFlight);
    if (perSource >= 1000) say(`!! ${perSource} requests per source address: the route's 1,000-a-minute limit per address may answer 429`);
    const before = await countEffects(db.superUrl);

    const paid = await measureCpu(server.pid, () => deliverAll(server.url, requests, config.inFlight));
    assertOutcomes('paying run', paid.result, { applied: distinct, duplicate: distinct * (config.replays - 1) });
    const after = await countEffects(db.superUrl);
    const delta = Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - before[k]!]));
    const wrong = Object.entries(delta).filter(([k, n]) => n !== (k === 'reviews' ? 0 : distinct));
    if (wrong.length > 0) throw new Error(`effects are not exactly one per distinct event (${distinct}): ${wrong.map(([k, n]) => `${k} +${n}`).join(', ')}`);
    say(`paying run: ${requests.length} requests (${distinct} events × ${config.replays}) in ${paid.result.seconds.toFixed(2)} s, ${(requests.length / paid.result.seconds).toFixed(0)} req/s; checked: +${distinct} payments, invoices, memberships, paid orders and receipts, 0 reviews, 0 duplicates`);
    say(`  ${cpuNote(paid.cpu, requests.length)}`);

    const replayed = await measureCpu(server.pid, () => deliverAll(server.url, requests, config.inFlight));
    assertOutcomes('replay-only run', replayed.result, { duplicate: requests.length });
    const unchanged = await countEffects(db.superUrl);
    if (JSON.stringify(unchanged) !== JSON.stringify(after)) throw new Error(`the replay-only run changed the data: ${JSON.stringify(after)} → ${JSON.stringify(unchanged)}`);
    say(`replay-only run: the same ${requests.length} requests, all duplicates, in ${replayed.result.seconds.toFixed(2)} s, ${(requests.length / replayed.result.seconds).toFixed(0)} req/s`);
    say(`  ${cpuNote(replayed.cpu, requests.length)}`);

    return { 'money.webhook_rps': withBaseline(distinct / paid.result.seconds, distinct / replayed.result.seconds, 'ops/s') };
  } finally {
    await server.stop();
  }
}
