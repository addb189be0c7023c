import BetterSqlite3 from 'better-sqlite3';
import { type Compilable, type CompiledQuery, Kysely, type RawBuilder, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

type Query<O> = Compilable<O> | RawBuilder<O>;

const STATEMENT_CACHE_SIZE = 256;

/**
 * The desk database. Queries are built and typed with Kysely, then run synchronously on cached
 * better-sqlite3 statements: a write is one synchronous block inside `transaction`, so nothing else
 * can interleave with it, and the check-in hot path pays no promise hops or re-preparing.
 * The Kysely instance sits on the same connection through its SqliteDialect (migrations use it).
 */
export class Store {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  private constructor(
    readonly sqlite: BetterSqlite3.Database,
    readonly db: Kysely<Database>,
  ) {}

  /** `nativeBinding` points at a better-sqlite3 build for another runtime (Electron's ABI differs from Node's). */
  static async open(file: string, nativeBinding?: string): Promise<Store> {
    const sqlite = new BetterSqlite3(file, nativeBinding ? { nativeBinding } : {});
    try {
      sqlite.pragma('journal_mode = WAL');
      // A check-in or payment that was acknowledged must survive a power cut.
      sqlite.pragma('synchronous = FULL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
      await migrateToLatest(db as Kysely<unknown>);
      return new Store(sqlite, db);
    } catch (error) {
      sqlite.close();
      throw error;
    }
  }

  all<O>(query: Query<O>): O[] {
    const { statement, parameters } = this.#prepare(query);
    return statement.all(...parameters) as O[];
  }

  first<O>(query: Query<O>): O | undefined {
    const { statement, parameters } = this.#prepare(query);
    return statement.get(...parameters) as O | undefined;
  }

  /** Runs a write; returns the number of rows changed. */
  run(query: Query<unknown>): number {
    const { statement, parameters } = this.#prepare(query);
    return statement.run(...parameters).changes;
  }

  /** Runs `fn` in one IMMEDIATE transaction (a savepoint when nested): all of it commits, or none. */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  async close(): Promise<void> {
    this.#statements.clear();
    await this.db.destroy(); // closes the connection
  }

  #prepare<O>(query: Query<O>): { statement: BetterSqlite3.Statement; parameters: unknown[] } {
    const compiled: CompiledQuery<O> = 'isRawBuilder' in query ? query.compile(this.db) : query.compile();
    let statement = this.#statements.get(compiled.sql);
    if (!statement) {
      // Queries with variable-length IN lists make new texts; a full cache simply starts over.
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      statement = this.sqlite.prepare(compiled.sql);
      this.#statements.set(compiled.sql, statement);
    }
    return { statement, parameters: [...compiled.parameters] };
  }
}
