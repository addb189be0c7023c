import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import { InvoiceLinks } from './auth/invoice-links.js';
import { loadKeyEncryptionKey } from './auth/key-encryption-key.js';
import { loadSigningKeys } from './auth/keys.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import type { CloudApp } from './http/app-types.js';
import { chooseProvider } from './notifications/choose-provider.js';
import { NotificationJobs } from './notifications/jobs.js';
import { razorpayConnector } from './razorpay/gateway.js';

export interface Cloud {
  app: CloudApp;
  url: string;
  /** Stops taking requests, finishes the ones in flight and the jobs in hand, closes the pools, then stops embedded Postgres. */
  close(): Promise<void>;
}

/**
 * Starts the cloud: Postgres (DATABASE_URL, or an embedded cluster in `<data dir>/postgres`), the
 * bootstrap of roles and database with the admin URL, migrations as the owner role, then the API,
 * connected as the API role, listening on HOST:PORT, and the background jobs (pg-boss, as the owner role).
 */
export async function startCloud(config: Config, say: (line: string) => void = () => undefined): Promise<Cloud> {
  // A bad key fails the start before any database work.
  const keys = loadSigningKeys(config);
  const keyEncryptionKey = loadKeyEncryptionKey(config);
  const database = await openDatabase(config, say);
  try {
    const { messaging } = config;
    const receiptLinks = messaging.cloudPublicUrl ? { links: new InvoiceLinks(keys), cloudUrl: messaging.cloudPublicUrl } : undefined;
    const jobs = new NotificationJobs({ ownerUrl: database.urls.owner, db: database.db, provider: chooseProvider(messaging), appUrl: messaging.memberAppUrl, receiptLinks, now: () => new Date() });
    const app = await buildApp({
      db: database.db,
      pool: database.pool,
      logger: { level: config.logLevel },
      auth: { keys, keyEncryptionKey },
      changeLogRetentionDays: config.changeLogRetentionDays,
      jobs,
      razorpay: razorpayConnector(config.razorpayApiUrl),
      whatsappWebhook: { appSecret: messaging.whatsapp.appSecret, verifyToken: messaging.whatsapp.verifyToken, defaultPhoneNumberId: messaging.whatsapp.phoneNumberId },
      gupshupWebhook: { token: messaging.gupshup.webhookToken },
    });
    try {
      await jobs.start(app.log);
      const url = await app.listen({ host: config.host, port: config.port });
      return {
        app,
        url,
        async close() {
          await app.close();
          await jobs.stop();
          await database.close();
        },
      };
    } catch (error) {
      await app.close();
      await jobs.stop();
      throw error;
    }
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** How long in-flight requests get to finish on SIGTERM before the process exits anyway. */
const DRAIN_MS = 10_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const cloud = await startCloud(config, (line) => console.log(line));
  console.log(`GymStack cloud on ${cloud.url} (API docs: ${cloud.url}/docs)`);

  const stop = (signal: NodeJS.Signals) => {
    cloud.app.log.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), DRAIN_MS).unref();
    process.once(signal, () => process.exit(1));
    cloud.close().then(
      () => process.exit(0),
      (error: unknown) => {
        cloud.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) await main();
