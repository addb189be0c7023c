import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

const { Pool, types } = pg;

/**
 * bigint (int8) columns hold paise and counters, far below 2^53, so they read as numbers rather than
 * pg's default strings. Dates are business dates and stay `YYYY-MM-DD`: pg's default would turn them
 * into a Date at the server's local midnight.
 */
const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (oid === types.builtins.INT8) return Number;
  if (oid === types.builtins.DATE) return (value: string) => value;
  return types.getTypeParser(oid, format);
}) as typeof types.getTypeParser;

export interface PoolOptions {
  max?: number;
  /** Fail fast when the server is unreachable, so /readyz answers instead of hanging. */
  connectionTimeoutMillis?: number;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    types: { getTypeParser },
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}

export function createDb(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
