/**
 * The real cloud as a separate Node process (`npm run cloud`'s command line), so a sync test can
 * SIGKILL it mid-push and start it again on the same database and port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../cloud/test/support.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVER = path.join(ROOT, 'cloud/src/server.ts');
const READY = /GymStack cloud on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** The tail of the process's output that is kept for a failure report. */
const OUTPUT_LIMIT = 2_000_000;
/** Ends the server when its stdin closes, i.e. when the test process that spawned it dies. */
const ORPHAN_GUARD = 'data:text/javascript,process.stdin.on("end",()=>process.exit(70)).resume()';

export interface CloudProcess {
  /** `http://127.0.0.1:<port>`; the same after restart(). */
  readonly url: string;
  readonly port: number;
  /** Whether the process is up (between a start and its exit). */
  readonly running: boolean;
  /** Sends the signal (default SIGKILL) and resolves once the process has exited. */
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same database, key and port (stopping it first with SIGTERM if it is up). */
  restart(): Promise<void>;
  /** SIGTERM (the server drains and closes its pool), then SIGKILL if it takes too long. Idempotent. */
  stop(): Promise<void>;
  /** Everything the process printed (stdout and stderr, in arrival order), across restarts. */
  output(): string;
}

/** A fresh, empty database from the test Postgres (cloud/test/global-setup.ts); the cloud migrates it on start. */
export async function createCloudDatabase(): Promise<{ url: string; db: TestDatabase }> {
  const db = await createTestDatabase({ migrate: false });
  const url = new URL(db.adminUrl);
  url.pathname = `/${db.name}`;
  return { url: url.toString(), db };
}

/** A port nothing listens on right now (the OS's pick), so every restart can listen on it again. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `databaseUrl`: an administrative URL whose path names the cloud's database (createCloudDatabase's
 * `url`); the cloud bootstraps roles and that database from it and applies the migrations. `env` is
 * added to the process's environment last, so it can override anything here (LOG_LEVEL, say).
 */
export async function startCloudProcess(opts: { databaseUrl: string; env?: Record<string, string> }): Promise<CloudProcess> {
  const admin = new URL(opts.databaseUrl);
  const databaseName = decodeURIComponent(admin.pathname.slice(1));
  if (!databaseName) throw new Error('databaseUrl must name the database in its path');
  const port = await freePort();
  // One signing key for the process's whole life, so access tokens outlive a restart as in production.
  const { privateKey } = generateKeyPairSync('ed25519');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    DATABASE_URL: opts.databaseUrl,
    DATABASE_NAME: databaseName,
    // The development passwords, as cloud/test/support.ts assumes; empty means unset (config.ts).
    DATABASE_OWNER_PASSWORD: '',
    DATABASE_API_PASSWORD: '',
    JWT_PRIVATE_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    JWT_PUBLIC_KEY: '',
    ...opts.env,
  };

  let output = '';
  const record = (text: string) => {
    output += text;
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let starts = 0;

  async function start(): Promise<void> {
    const started = Date.now();
    const proc = spawn(process.execPath, ['--import', ORPHAN_GUARD, '--import', 'tsx', '--conditions=gymstack-source', SERVER], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = proc;
    record(`--- cloud start #${++starts}, pid ${proc.pid}, port ${port}\n`);
    exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        record(`--- cloud pid ${proc.pid} exited (code ${code}, signal ${signal})\n`);
        if (child === proc) child = null;
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      let pending = '';
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!error) return resolve();
        proc.kill('SIGKILL');
        reject(new Error(`${error.message}\n${output}`));
      };
      const timer = setTimeout(() => settle(new Error(`The cloud did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      proc.stdout!.setEncoding('utf8').on('data', (text: string) => {
        record(text);
        if (settled) return;
        pending = (pending + text).slice(-10_000);
        const match = READY.exec(pending);
        if (match) settle(match[1] === `http://127.0.0.1:${port}` ? undefined : new Error(`The cloud listens on ${match[1]}, not port ${port}`));
      });
      proc.stderr!.setEncoding('utf8').on('data', record);
      proc.once('error', settle);
      void exited.then(() => settle(new Error('The cloud exited before it was ready')));
    });
    record(`--- cloud ready in ${Date.now() - started} ms\n`);
  }

  async function kill(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    if (!child) return;
    child.kill(signal);
    await exited;
  }

  async function stop(): Promise<void> {
    if (!child) return;
    const proc = child;
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await kill('SIGTERM');
    clearTimeout(timer);
  }

  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== null;
    },
    kill,
    async restart() {
      await stop();
      await start();
    },
    stop,
    output: () => output,
  };
}
