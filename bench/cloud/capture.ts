/**
 * The baseline runs exactly the SQL the route runs. Rather than a hand-copied script that drifts when
 * the route changes, each bench run sends one probe request through an in-process app (the same
 * `buildApp`, the same domain code) whose Kysely records every statement with its parameters, and
 * turns that sequence into a pgbench script: `begin`, `set_config`, the route's selects and inserts,
 * `commit`, and the token check before them (`auth_session_live`, run outside the transaction).
 */
import { buildApp, createPool, type Database, type SigningKeys } from '@gymstack/cloud';
import { Kysely, PostgresDialect } from 'kysely';

export interface Statement {
  sql: string;
  parameters: readonly unknown[];
  /** How long it took as Kysely timed it (the round trip from the in-process app). */
  ms: number;
}

export interface Probe {
  method: 'GET' | 'POST';
  url: string;
  token: string;
  body?: unknown;
}

/** Runs each probe through an in-process app on `apiUrl` and returns the statements each one ran, in order. */
export async function captureStatements(apiUrl: string, keys: SigningKeys, probes: readonly Probe[]): Promise<Statement[][]> {
  const pool = createPool(apiUrl, { max: 2 });
  let current: Statement[] | null = null;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') current?.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
      else throw event.error;
    },
  });
  const app = await buildApp({ db, pool, auth: { keys } });
  try {
    const captured: Statement[][] = [];
    for (const probe of probes) {
      current = [];
      const res = await app.inject({
        method: probe.method,
        url: probe.url,
        headers: { authorization: `Bearer ${probe.token}` },
        ...(probe.body === undefined ? {} : { payload: probe.body as object }),
      });
      if (res.statusCode >= 300) throw new Error(`probe ${probe.method} ${probe.url} answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
      captured.push(current);
      current = null;
    }
    return captured;
  } finally {
    await app.close();
    await db.destroy();
  }
}

/** How a captured parameter value is written in the script: a pgbench expression, or null for a literal. */
export type Substitute = (value: unknown) => string | null;

const VARIABLE_LIKE = /:(?=[A-Za-z_\u0080-\uffff])/g;

/**
 * An untyped string literal. pgbench reads `:name` as a variable even inside a literal, so such a colon
 * is written as the escape `\x3a` of an E'' literal (still untyped, so `jsonb` and the like accept it).
 */
const quote = (text: string): string => {
  if (!VARIABLE_LIKE.test(text)) return `'${text.replace(/'/g, "''")}'`;
  VARIABLE_LIKE.lastIndex = 0;
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(VARIABLE_LIKE, '\\x3a')}'`;
};

function arrayLiteral(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}

/**
 * A parameter as a literal with the same meaning as the bound value: node-postgres sends every value as
 * untyped text, so an untyped quoted literal (`'…'`) is resolved by the server in exactly the same way.
 */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return quote(String(value));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return quote(value.toISOString());
  if (Buffer.isBuffer(value)) return quote(`\\x${value.toString('hex')}`);
  if (Array.isArray(value)) return quote(arrayLiteral(value));
  if (typeof value === 'object') return quote(JSON.stringify(value));
  return quote(String(value));
}

/**
 * One statement as a pgbench line: whitespace folded onto one line, `$n` replaced by what `substitute`
 * says for its value or else by the literal, and a `;` at the end.
 */
export function scriptLine(statement: Statement, substitute: Substitute): string {
  const sql = statement.sql.replace(/\s*\n\s*/g, ' ').trim();
  const text = sql.replace(/\$(\d+)/g, (_match, n: string) => {
    const value = statement.parameters[Number(n) - 1];
    return substitute(value) ?? literal(value);
  });
  return `${text};`;
}

/** A whole pgbench script: `\set` lines first, then the statements in the order the route ran them. */
export function pgbenchScript(statements: readonly Statement[], substitute: Substitute, sets: readonly string[] = []): string {
  return `${[...sets, ...statements.map((s) => scriptLine(s, substitute))].join('\n')}\n`;
}
