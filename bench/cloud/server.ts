/**
 * The cloud as its own process for a bench: `cloud/src/server.ts`, exactly as `npm run cloud` starts it
 * (bootstrap, migrations, Fastify), on a free port, with the signing key the bench passes in so it can
 * mint real access tokens, and its log written to a file. Shared by the cloud and sync groups.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BenchServer {
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  /** A superuser URL; with `database`, what the server bootstraps and migrates on start. */
  adminUrl: string;
  database: string;
  /** The Ed25519 private key as a JWK (JSON), the one the bench's TokenService signs with. */
  privateJwk: string;
  /** Holds the log (`cloud.log`) and is the server's GYMSTACK_DATA_DIR. */
  dir: string;
  /** The server's LOG_LEVEL. */
  logLevel: string;
  /** The server's DATABASE_POOL_MAX; the server's own default when absent. */
  poolMax?: string;
}

export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const { adminUrl, database, privateJwk, dir, logLevel, poolMax } = options;
  const logFile = path.join(dir, 'cloud.log');
  const out = openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--conditions=gymstack-source', path.join(root, 'cloud', 'src', 'server.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: adminUrl,
      DATABASE_NAME: database,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: logLevel,
      JWT_PRIVATE_KEY: privateJwk,
      GYMSTACK_DATA_DIR: dir,
      ...(poolMax ? { DATABASE_POOL_MAX: poolMax } : {}),
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code), resolve())));
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const log = readFileSync(logFile, 'utf8');
    const url = /GymStack cloud on (http:\/\/\S+?) /.exec(log)?.[1];
    if (url) return { url, pid: child.pid!, logFile, stop };
    if (exited !== undefined) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`The cloud did not start (exit ${exited}):\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
}
