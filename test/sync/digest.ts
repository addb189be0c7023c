/**
 * Per-table digests of a gym's synced data, computed the same way from a desk's SQLite file and from
 * the cloud's Postgres, so a test can say "both desks and the cloud hold identical data" in one line.
 * Each side is read with its own driver and types; values are normalised (instants to ISO ms, booleans
 * to 0/1, JSON to a canonical text) and rows hashed in id order.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { SYNCED_TABLES } from '../../desktop/src/core/sync/tables.js';

const JSON_COLUMNS = new Set(['duration', 'access', 'plan', 'emergency_contact', 'snapshot']);
/** Stamps differ by design (the desk stamps its own apply); the content is what must agree. */
const IGNORED = new Set(['created_at', 'updated_at', 'deleted_at']);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function normalise(column: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (JSON_COLUMNS.has(column)) return canonical(typeof value === 'string' ? JSON.parse(value) : value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  return value;
}

export type Digests = Record<string, { rows: number; hash: string }>;

function digest(rows: Record<string, unknown>[], columns: readonly string[]): { rows: number; hash: string } {
  const hash = createHash('sha256');
  const sorted = [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  for (const row of sorted) hash.update(JSON.stringify(columns.map((c) => normalise(c, row[c]))));
  return { rows: sorted.length, hash: hash.digest('hex').slice(0, 16) };
}

const compared = (columns: readonly string[]) => ['id', ...columns.filter((c) => !IGNORED.has(c))];

/** The live rows of every synced table on a desk. */
export function deskDigests(sqlite: BetterSqlite3.Database): Digests {
  const out: Digests = {};
  for (const table of SYNCED_TABLES) {
    const columns = compared(table.columns);
    const rows = sqlite.prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from "${table.desk}" where deleted_at is null`).all() as Record<string, unknown>[];
    out[table.shape] = digest(rows, columns);
  }
  return out;
}

/**
 * The same for one gym in the cloud, read as the database owner (no RLS in the way), with the shapes'
 * own filters: live rows, check-ins of the last 90 days, and staff who can log in at a desk.
 */
export async function cloudDigests(databaseUrl: string, gymId: string): Promise<Digests> {
  const types = {
    getTypeParser: (oid: number, format?: string) => {
      // date (1082) stays 'YYYY-MM-DD'; int8 (20) becomes a number; the rest as pg parses them.
      if (oid === 1082) return (v: string) => v;
      if (oid === 20) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const client = new pg.Client({ connectionString: databaseUrl, types });
  await client.connect();
  try {
    const out: Digests = {};
    for (const table of SYNCED_TABLES) {
      const columns = compared(table.columns);
      const gymColumn = table.shape === 'gyms' ? 'id' : 'gym_id';
      const filters = [`${gymColumn} = $1`];
      if (!table.appendOnly) filters.push('deleted_at is null');
      if (table.shape === 'checkins') filters.push(`at >= now() - interval '90 days'`);
      if (table.shape === 'staff') filters.push(`role in ('frontdesk', 'manager', 'owner') and pin_hash is not null`);
      const { rows } = await client.query<Record<string, unknown>>(`select ${columns.map((c) => `"${c}"`).join(', ')} from ${table.shape} where ${filters.join(' and ')}`, [gymId]);
      out[table.shape] = digest(rows, columns);
    }
    return out;
  } finally {
    await client.end();
  }
}
