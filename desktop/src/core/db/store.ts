import BetterSqlite3 from 'better-sqlite3';
import { type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { Checkpointer, INLINE_CHECKPOINT_PAGES, SAFETY_NET_PAGES } from './checkpointer.js';
import { migrateToLatest } from './migrate.js';
import { PreparedQuery, type Query, type QueryDefinition } from './prepared.js';
import type { Database } from './schema.js';

const STATEMENT_CACHE_SIZE = 256;

/**
 * Every desk connection's settings. A check-in or payment that was acknowledged must survive a
 * power cut, hence `synchronous = FULL`; checkpoints run in the background (see `Checkpointer`), so
 * commits only checkpoint themselves past the safety net. The benchmark's raw baseline uses these too.
 */
export const CONNECTION_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  `wal_autocheckpoint = ${SAFETY_NET_PAGES}`,
] as const;

/**
 * The desk database. Queries are built and typed with Kysely, then run synchronously on cached
 * better-sqlite3 statements: a write is one synchronous block inside `transaction`, so nothing else
 * can interleave with it, and the check-in hot path pays no promise hops or re-preparing.
 * The Kysely instance sits on the same connection through its SqliteDialect (migrations use it).
 */
export class Store {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  readonly #prepared = new Map<QueryDefinition<never, unknown>, PreparedQuery<never, unknown>>();
  /** One IMMEDIATE-transaction wrapper for every write; better-sqlite3 turns a nested call into a savepoint. */
  readonly #immediate: (fn: () => unknown) => unknown;
  readonly #checkpointer: Checkpointer;

  private constructor(
    readonly sqlite: BetterSqlite3.Database,
    readonly db: Kysely<Database>,
    checkpointer: Checkpointer,
  ) {
    this.#immediate = sqlite.transaction((fn: () => unknown) => fn()).immediate;
    this.#checkpointer = checkpointer;
  }

  /** `nativeBinding` points at a better-sqlite3 build for another runtime (Electron's ABI differs from Node's). */
  static async open(file: string, nativeBinding?: string): Promise<Store> {
    const sqlite = new BetterSqlite3(file, nativeBinding ? { nativeBinding } : {});
    try {
      for (const pragma of CONNECTION_PRAGMAS) sqlite.pragma(pragma);
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
      await migrateToLatest(db as Kysely<unknown>);
      const checkpointer = new Checkpointer(file, nativeBinding, () => {
        if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
      });
      return new Store(sqlite, db, checkpointer);
    } catch (error) {
      sqlite.close();
      throw error;
    }
  }

  all<O>(query: Query<O>): O[] {
    const { statement, parameters } = this.#prepare(query);
    return statement.all(parameters) as O[];
  }

  first<O>(query: Query<O>): O | undefined {
    const { statement, parameters } = this.#prepare(query);
    return statement.get(parameters) as O | undefined;
  }

  /** Runs a write; returns the number of rows changed. */
  run(query: Query<unknown>): number {
    const { statement, parameters } = this.#prepare(query);
    return statement.run(parameters).changes;
  }

  /** A hot-path query (see `defineQuery`), compiled and prepared on this connection on first use. */
  prepared<P, O>(definition: QueryDefinition<P, O>): PreparedQuery<P, O> {
    let prepared = this.#prepared.get(definition as QueryDefinition<never, unknown>) as PreparedQuery<P, O> | undefined;
    if (!prepared) {
      prepared = new PreparedQuery(this.sqlite, this.db, definition);
      this.#prepared.set(definition as QueryDefinition<never, unknown>, prepared as PreparedQuery<never, unknown>);
    }
    return prepared;
  }

  /** Runs `fn` in one IMMEDIATE transaction (a savepoint when nested): all of it commits, or none. */
  transaction<T>(fn: () => T): T {
    const result = this.#immediate(fn) as T;
    if (!this.sqlite.inTransaction) this.#checkpointer.committed();
    return result;
  }

  async close(): Promise<void> {
    await this.#checkpointer.stop();
    this.#statements.clear();
    this.#prepared.clear();
    await this.db.destroy(); // closes the connection
  }

  #prepare<O>(query: Query<O>): { statement: BetterSqlite3.Statement; parameters: readonly unknown[] } {
    const compiled: CompiledQuery<O> = 'isRawBuilder' in query ? query.compile(this.db) : query.compile();
    let statement = this.#statements.get(compiled.sql);
    if (!statement) {
      // Queries with variable-length IN lists make new texts; a full cache simply starts over.
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      statement = this.sqlite.prepare(compiled.sql);
      this.#statements.set(compiled.sql, statement);
    }
    return { statement, parameters: compiled.parameters };
  }
}
