/**
 * Sends a fixed list of POSTs, each exactly once, over keep-alive connections with a fixed number in
 * flight, and tallies the status codes and the `outcome` each answer reports. (autocannon runs for a
 * duration or a count, not a given list once each, which the replay accounting needs.)
 */
import http from 'node:http';

export interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface DeliveryRun {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  /** `data.outcome` of the 200 answers. */
  outcomes: Record<string, number>;
  /** The first answer that was not a 200, for the error message. */
  firstFailure: string | null;
}

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

export async function deliverAll(url: string, deliveries: readonly Delivery[], inFlight: number): Promise<DeliveryRun> {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  let firstFailure: string | null = null;
  let turn = 0;

  const post = (d: Delivery) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: hostname, port, method: 'POST', path: d.path, agent, headers: { ...d.headers, 'content-length': d.body.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            bump(statuses, String(res.statusCode));
            if (res.statusCode === 200) bump(outcomes, (JSON.parse(text) as { data: { outcome: string } }).data.outcome);
            else firstFailure ??= `${res.statusCode} ${text.slice(0, 300)}`;
            resolve();
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(d.body);
    });

  const worker = async () => {
    for (let i = turn++; i < deliveries.length; i = turn++) await post(deliveries[i]!);
  };
  const start = process.hrtime.bigint();
  try {
    await Promise.all(Array.from({ length: inFlight }, () => worker()));
  } finally {
    agent.destroy();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { requests: deliveries.length, seconds, statuses, outcomes, firstFailure };
}
