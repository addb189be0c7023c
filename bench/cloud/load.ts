/**
 * The load generator, run by bench/cloud.ts as its own process (so it never shares an event loop with
 * the server): autocannon with a fixed number of connections, a warm-up whose numbers are dropped,
 * then one measured run of fixed duration. Each request takes the next token and body from the lists
 * it was given (a different member each time). Prints one JSON line with the measured run's figures.
 *
 *   node --import tsx bench/cloud/load.ts <config.json>
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadConfig {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Bearer tokens, used in turn. */
  tokens: string[];
  /** JSON bodies, used in a shuffled order; none for a GET. */
  bodies?: unknown[];
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

function attack(config: LoadConfig, seconds: number): Promise<autocannon.Result> {
  const bodies = (config.bodies ?? []).map((b) => JSON.stringify(b));
  // A fixed-seed LCG: every run sends the same sequence of members.
  let seed = 0x2f6b_1a3d;
  const next = () => (seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0);
  let turn = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: config.url,
        connections: config.connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: config.method,
            path: config.path,
            setupRequest: (req) => {
              const token = config.tokens[turn++ % config.tokens.length];
              const headers: Record<string, string> = { authorization: `Bearer ${token}` };
              if (bodies.length === 0) return { ...req, headers };
              headers['content-type'] = 'application/json';
              return { ...req, headers, body: bodies[next() % bodies.length] };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadConfig;
  if (config.warmupSeconds > 0) await attack(config, config.warmupSeconds);
  const r = await attack(config, config.seconds);
  const result: LoadResult = {
    requests: r.requests.total,
    seconds: r.duration,
    rps: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count])),
  };
  console.log(JSON.stringify(result));
}

await main();
