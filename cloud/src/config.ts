import { notificationTemplates } from '@gymstack/shared';
import { SEAL_KEY_BYTES } from '@gymstack/shared/crypto';
import { z } from 'zod';
import { DEFAULT_RETENTION_DAYS } from './sync/change-log-retention.js';
import type { MessagingConfig } from './notifications/choose-provider.js';
import { GUPSHUP_API_URL, type GupshupTemplateIds } from './notifications/gupshup.js';
import { GRAPH_API_URL } from './notifications/whatsapp-cloud.js';

const port = z.coerce.number().int().min(0).max(65_535);
/** Postgres role passwords; development has fixed defaults so a fresh checkout runs with no set-up. */
const password = z.string().min(1);
/** `VAR=` in a shell means unset, not an empty value. */
const unsetWhenEmpty = (v: unknown) => (v === '' ? undefined : v);
const optionalText = z.preprocess(unsetWhenEmpty, z.string().optional());

const notTemplateIds = 'Must be a JSON object of Gupshup template ids by template name';
/** GUPSHUP_TEMPLATE_IDS: a JSON object of the id Gupshup gave every one of our templates, by our name for it. */
const gupshupTemplateIds = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: notTemplateIds });
      return z.NEVER;
    }
  })
  .pipe(
    z.partialRecord(z.enum(notificationTemplates), z.guid({ error: 'Must be a Gupshup template id (a UUID)' }), {
      error: (issue) => (issue.code === 'invalid_type' ? notTemplateIds : undefined),
    }),
  )
  .transform((ids, ctx) => {
    const missing = notificationTemplates.filter((name) => ids[name] === undefined);
    if (missing.length > 0) {
      ctx.addIssue({ code: 'custom', message: `Lacks the Gupshup template id of ${missing.join(', ')}` });
      return z.NEVER;
    }
    return ids as GupshupTemplateIds; // every template has its id: checked just above
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(8080),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * An administrative URL (a superuser, or a role with CREATEROLE and CREATEDB): used only to bootstrap
     * the roles and the database, never by the API. Unset: an embedded Postgres in `GYMSTACK_DATA_DIR`.
     */
    DATABASE_URL: z.preprocess(unsetWhenEmpty, z.url({ protocol: /^postgres(ql)?$/, error: 'Must be a postgres:// URL' }).optional()),
    /** The application database the bootstrap creates on that server. */
    DATABASE_NAME: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Must be a lower-case Postgres identifier').default('gymstack'),
    DATABASE_OWNER_PASSWORD: z.preprocess(unsetWhenEmpty, password.optional()),
    DATABASE_API_PASSWORD: z.preprocess(unsetWhenEmpty, password.optional()),
    /** API connection pool size per process. */
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    GYMSTACK_DATA_DIR: z.string().min(1).default('.data'),
    /** Port for the embedded Postgres; a free one is picked when it is taken. */
    EMBEDDED_PG_PORT: port.default(54_329),
    /** Days the sync change log keeps an entry; a desk offline longer re-reads what it missed. */
    CHANGE_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_RETENTION_DAYS),
    /**
     * The Ed25519 key that signs access tokens, as PEM (PKCS#8) or a JWK. Unset outside production: a key
     * made once and kept in `<data dir>/cloud-keys.json` (tests: a new one per run).
     */
    JWT_PRIVATE_KEY: z.preprocess(unsetWhenEmpty, z.string().optional()),
    /** Its public half (PEM/SPKI or JWK); derived from the private key when unset. */
    JWT_PUBLIC_KEY: z.preprocess(unsetWhenEmpty, z.string().optional()),
    /**
     * Base64 of 32 random bytes: seals each gym's keys at rest (auth/key-encryption-key.ts). Unset outside
     * production: a key made once and kept in `<data dir>/cloud-kek` (tests too, so a restart still opens them).
     */
    KEY_ENCRYPTION_KEY: z.preprocess(
      unsetWhenEmpty,
      z
        .base64({ error: 'Must be base64 of 32 bytes' })
        .transform((text) => Buffer.from(text, 'base64'))
        .refine((key) => key.length === SEAL_KEY_BYTES, 'Must be base64 of 32 bytes')
        .optional(),
    ),
    /** Razorpay's API; the tests and the demo point the official SDK at a local stand-in instead. */
    RAZORPAY_API_URL: z.url().optional(),
    /** The member app: where reminder and receipt links point. */
    MEMBER_APP_URL: z.url().default('https://app.gymstack.in'),
    /** How members reach this cloud (https://…, no trailing slash): receipts link to their invoice through it. */
    CLOUD_PUBLIC_URL: z.preprocess(unsetWhenEmpty, z.url().transform((url) => url.replace(/\/+$/, '')).optional()),
    /**
     * WhatsApp through Meta's Cloud API: a system-user token and the sending number's id. Unset (and no
     * Gupshup key): messages are recorded as `simulated` (DESIGN 5).
     */
    WHATSAPP_ACCESS_TOKEN: optionalText,
    WHATSAPP_PHONE_NUMBER_ID: optionalText,
    WHATSAPP_API_URL: z.url().default(GRAPH_API_URL),
    /** The Meta app secret that signs webhook POSTs, and the token its subscription handshake presents. */
    WHATSAPP_APP_SECRET: optionalText,
    WHATSAPP_VERIFY_TOKEN: optionalText,
    /** Gupshup, the second adapter: used when Meta's token is unset. */
    GUPSHUP_API_KEY: optionalText,
    GUPSHUP_APP_NAME: optionalText,
    GUPSHUP_SOURCE: optionalText,
    GUPSHUP_API_URL: z.url().default(GUPSHUP_API_URL),
    /** Gupshup's API names a template by the id it assigned on approval, not by its name. */
    GUPSHUP_TEMPLATE_IDS: z.preprocess(unsetWhenEmpty, gupshupTemplateIds.optional()),
    /** The secret path segment of Gupshup's callback URL, its only credential: long, and URL-safe as it is. */
    GUPSHUP_WEBHOOK_TOKEN: z.preprocess(unsetWhenEmpty, z.string().regex(/^[\w-]{24,}$/, 'At least 24 letters, digits, _ or -').optional()),
  })
  .superRefine((env, ctx) => {
    // These three choose Gupshup unless Meta's API is configured (choose-provider.ts), and Gupshup cannot
    // send a template without its id.
    const gupshupChosen = env.GUPSHUP_API_KEY && env.GUPSHUP_APP_NAME && env.GUPSHUP_SOURCE && !(env.WHATSAPP_ACCESS_TOKEN && env.WHATSAPP_PHONE_NUMBER_ID);
    if (gupshupChosen && !env.GUPSHUP_TEMPLATE_IDS) {
      const message = `Required with Gupshup: a JSON object of the Gupshup template id of ${notificationTemplates.join(', ')}`;
      ctx.addIssue({ code: 'custom', path: ['GUPSHUP_TEMPLATE_IDS'], message });
    }
    if (env.NODE_ENV !== 'production') return;
    for (const key of ['DATABASE_URL', 'DATABASE_OWNER_PASSWORD', 'DATABASE_API_PASSWORD', 'JWT_PRIVATE_KEY', 'KEY_ENCRYPTION_KEY'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'Required in production' });
    }
  });

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  database: {
    adminUrl: string | undefined;
    name: string;
    ownerPassword: string;
    apiPassword: string;
    poolMax: number;
  };
  dataDir: string;
  embeddedPort: number;
  changeLogRetentionDays: number;
  jwt: { privateKey: string | undefined; publicKey: string | undefined };
  keyEncryptionKey: Buffer | undefined;
  /** Unset: api.razorpay.com. */
  razorpayApiUrl: string | undefined;
  messaging: MessagingConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws one error naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`Invalid cloud configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: {
      adminUrl: env.DATABASE_URL,
      name: env.DATABASE_NAME,
      ownerPassword: env.DATABASE_OWNER_PASSWORD ?? 'gymstack_owner_dev',
      apiPassword: env.DATABASE_API_PASSWORD ?? 'gymstack_api_dev',
      poolMax: env.DATABASE_POOL_MAX,
    },
    dataDir: env.GYMSTACK_DATA_DIR,
    embeddedPort: env.EMBEDDED_PG_PORT,
    changeLogRetentionDays: env.CHANGE_LOG_RETENTION_DAYS,
    jwt: { privateKey: env.JWT_PRIVATE_KEY, publicKey: env.JWT_PUBLIC_KEY },
    keyEncryptionKey: env.KEY_ENCRYPTION_KEY,
    razorpayApiUrl: env.RAZORPAY_API_URL,
    messaging: {
      memberAppUrl: env.MEMBER_APP_URL,
      cloudPublicUrl: env.CLOUD_PUBLIC_URL,
      whatsapp: {
        accessToken: env.WHATSAPP_ACCESS_TOKEN,
        phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
        apiUrl: env.WHATSAPP_API_URL,
        appSecret: env.WHATSAPP_APP_SECRET,
        verifyToken: env.WHATSAPP_VERIFY_TOKEN,
      },
      gupshup: {
        apiKey: env.GUPSHUP_API_KEY,
        appName: env.GUPSHUP_APP_NAME,
        source: env.GUPSHUP_SOURCE,
        templateIds: env.GUPSHUP_TEMPLATE_IDS,
        apiUrl: env.GUPSHUP_API_URL,
        webhookToken: env.GUPSHUP_WEBHOOK_TOKEN,
      },
    },
  };
}
