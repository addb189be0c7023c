import pg from 'pg';

/**
 * Two roles, created by `bootstrap` with an administrative connection (DESIGN 5):
 * - `gymstack_owner` owns the database, the schema objects and runs the migrations;
 * - `gymstack_api` is what the service connects as: it owns nothing, has no BYPASSRLS, and holds only
 *   the grants the migrations give it. Row-level security is forced on every tenant table, so neither
 *   role sees a tenant row without `app.gym_id` set in its transaction.
 */
export const OWNER_ROLE = 'gymstack_owner';
export const API_ROLE = 'gymstack_api';

export interface RolePasswords {
  ownerPassword: string;
  apiPassword: string;
}

export interface DatabaseUrls {
  owner: string;
  api: string;
}

/** Whole-cluster changes (roles, databases) from concurrent bootstraps are serialized by this lock. */
const BOOTSTRAP_LOCK = 7_215_044_001;

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `url` pointed at another database on the same server, with the same credentials and options. */
function onDatabase(url: string, database: string): URL {
  const moved = new URL(url);
  moved.pathname = `/${encodeURIComponent(database)}`;
  return moved;
}

/** The URL of `role` on `database`, on the same server and with the same options as `adminUrl`. */
export function roleUrl(adminUrl: string, database: string, role: string, password: string): string {
  const url = onDatabase(adminUrl, database);
  url.username = role;
  url.password = password;
  return url.toString();
}

/**
 * Creates both roles, or brings existing ones back to exactly these attributes and passwords: running it
 * again is how a password is rotated. CREATE ROLE takes no bind parameters, hence escapeLiteral.
 */
export async function ensureRoles(adminUrl: string, passwords: RolePasswords): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    await client.query('select pg_advisory_lock($1)', [BOOTSTRAP_LOCK]);
    for (const [role, password] of [
      [OWNER_ROLE, passwords.ownerPassword],
      [API_ROLE, passwords.apiPassword],
    ] as const) {
      const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
      const verb = exists.rowCount ? 'alter' : 'create';
      await client.query(
        `${verb} role ${role} with login nosuperuser nobypassrls nocreatedb nocreaterole noreplication ` +
          `password ${pg.escapeLiteral(password)}`,
      );
    }
  });
}

/**
 * Creates `database` owned by the owner role (if missing) and lets the API role connect and use the
 * public schema, nothing more. Table privileges come from the migrations.
 */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const name = pg.escapeIdentifier(database);
  await withAdmin(adminUrl, async (client) => {
    await client.query('select pg_advisory_lock($1)', [BOOTSTRAP_LOCK]);
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!exists.rowCount) await client.query(`create database ${name} owner ${OWNER_ROLE}`);
    await client.query(`revoke all on database ${name} from public`);
    await client.query(`grant connect, temporary on database ${name} to ${API_ROLE}`);
  });
  // The public schema belongs to the database owner (Postgres 15+); only the API role may use it besides.
  await withAdmin(onDatabase(adminUrl, database).toString(), async (client) => {
    await client.query('revoke all on schema public from public');
    await client.query(`grant usage on schema public to ${API_ROLE}`);
  });
}

/** Roles, then the database: everything the migrations and the API need. Idempotent. */
export async function bootstrap(adminUrl: string, database: string, passwords: RolePasswords): Promise<DatabaseUrls> {
  await ensureRoles(adminUrl, passwords);
  await ensureDatabase(adminUrl, database);
  return {
    owner: roleUrl(adminUrl, database, OWNER_ROLE, passwords.ownerPassword),
    api: roleUrl(adminUrl, database, API_ROLE, passwords.apiPassword),
  };
}

/** Drops a database even while clients are still connected (tests, scratch databases). */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withAdmin(adminUrl, (client) => client.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`));
}
