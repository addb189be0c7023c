/**
 * pgbench, the baseline: Debian's `postgresql-client-15` ships it as /usr/bin/pgbench (any pgbench on
 * PATH, or the one PGBENCH names, does as well). Runs custom scripts only (`-n`: no pgbench tables),
 * over the extended protocol like node-postgres, and reads TPS, mean latency and, from the
 * per-transaction log, p99.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { percentile } from '../measure.js';

/** The pgbench binary, or a clear error saying how to get one. */
export function findPgbench(): string {
  const candidates = [process.env.PGBENCH, '/usr/bin/pgbench', '/usr/lib/postgresql/15/bin/pgbench'].filter((c): c is string => !!c);
  for (const c of candidates) if (existsSync(c)) return c;
  const onPath = spawnSync('sh', ['-c', 'command -v pgbench'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  throw new Error(
    'The cloud bench needs pgbench for its baselines and found none (tried $PGBENCH, /usr/bin/pgbench, PATH). ' +
      'On Debian/Ubuntu: apt-get install postgresql-client-15 (or postgresql-contrib); or set PGBENCH=/path/to/pgbench.',
  );
}

export interface PgbenchOptions {
  bin: string;
  /** A libpq URI: role, password, host, port, database, and options such as search_path. */
  url: string;
  /** Script files, each with its weight (pgbench picks one per transaction). */
  scripts: readonly { file: string; weight: number }[];
  clients: number;
  threads: number;
  seconds: number;
  /** Variables for the scripts (`-D name=value`). */
  define?: Record<string, string | number>;
  /** Log every transaction's latency (for p99). */
  logLatencies?: boolean;
}

export interface PgbenchResult {
  tps: number;
  transactions: number;
  failed: number;
  latencyAvgMs: number;
  p99Ms: number | null;
}

function run(bin: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      // Keep the tail only: a failing script can print an error per transaction.
      stderr = (stderr + d.toString()).slice(-20_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** One bounded pgbench run. */
export async function runPgbench(o: PgbenchOptions): Promise<PgbenchResult> {
  const logDir = o.logLatencies ? mkdtempSync(path.join(path.dirname(o.scripts[0]!.file), 'pgbench-log-')) : null;
  const args = ['-n', '-M', 'extended', '-c', String(o.clients), '-j', String(o.threads), '-T', String(o.seconds)];
  for (const [k, v] of Object.entries(o.define ?? {})) args.push('-D', `${k}=${v}`);
  for (const s of o.scripts) args.push('-f', `${s.file}@${s.weight}`);
  if (logDir) args.push('-l', `--log-prefix=${path.join(logDir, 'tx')}`);
  args.push(o.url);
  try {
    const { code, stdout, stderr } = await run(o.bin, args, (o.seconds + 60) * 1000);
    const num = (re: RegExp) => {
      const m = re.exec(stdout);
      return m ? Number(m[1]) : NaN;
    };
    const tps = num(/^tps = ([\d.]+)/m);
    const transactions = num(/number of transactions actually processed: (\d+)/);
    const failed = num(/number of failed transactions: (\d+)/) || 0;
    if (code !== 0 || !Number.isFinite(tps) || failed > 0) {
      throw new Error(`pgbench failed (exit ${code}, ${failed} failed transactions):\n${stdout.slice(-2000)}\n${stderr.slice(-4000)}`);
    }
    let p99Ms: number | null = null;
    if (logDir) {
      const latencies: number[] = [];
      for (const f of readdirSync(logDir)) {
        for (const line of readFileSync(path.join(logDir, f), 'utf8').split('\n')) {
          const fields = line.split(' ');
          if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
        }
      }
      if (latencies.length > 0) p99Ms = percentile(latencies, 99);
    }
    return { tps, transactions, failed, latencyAvgMs: num(/latency average = ([\d.]+) ms/), p99Ms };
  } finally {
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  }
}
