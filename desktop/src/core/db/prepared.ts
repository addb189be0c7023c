import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable, Kysely, RawBuilder } from 'kysely';
import type { Database } from './schema.js';

export type Query<O> = Compilable<O> | RawBuilder<O>;

/** Stands in for a named parameter while a query is built; it never reaches SQLite. */
export type Param<P> = <K extends keyof P & string>(name: K) => P[K];

/**
 * A query for a hot path, built with Kysely from named parameters. `Store.prepared` builds,
 * compiles and prepares it once per connection; a call then only binds values, with no query
 * building, compiling or statement-cache lookups. Values written into the query itself (`'allow'`,
 * `is null`, limits) stay bound as compiled.
 */
export interface QueryDefinition<P, O> {
  readonly build: (db: Kysely<Database>, param: Param<P>) => Query<O>;
}

export function defineQuery<P, O>(build: (db: Kysely<Database>, param: Param<P>) => Query<O>): QueryDefinition<P, O> {
  return { build };
}

const MARK = '\u0000gymstack-param\u0000';

/** A compiled, prepared `QueryDefinition`: each call binds the named values in compiled order. */
export class PreparedQuery<P, O> {
  readonly #statement: BetterSqlite3.Statement;
  /** Per bound position: the parameter's name, or null for a value compiled into the query. */
  readonly #names: readonly (keyof P | null)[];
  readonly #constants: readonly unknown[];
  readonly sql: string;

  constructor(sqlite: BetterSqlite3.Database, db: Kysely<Database>, definition: QueryDefinition<P, O>) {
    const names = new Set<string>();
    const param = ((name: string) => {
      names.add(name);
      return `${MARK}${name}`;
    }) as Param<P>;
    const query = definition.build(db, param);
    const compiled = 'isRawBuilder' in query ? query.compile(db) : query.compile();
    if (compiled.sql.includes(MARK)) throw new Error(`A named parameter was inlined into the SQL text: ${compiled.sql}`);
    const slots = compiled.parameters.map((value) => (typeof value === 'string' && value.startsWith(MARK) ? value.slice(MARK.length) : null));
    for (const name of names) {
      if (!slots.includes(name)) throw new Error(`Parameter ${name} is not bound in: ${compiled.sql}`);
    }
    this.sql = compiled.sql;
    this.#statement = sqlite.prepare(compiled.sql);
    this.#names = slots as (keyof P | null)[];
    this.#constants = compiled.parameters.map((value, i) => (slots[i] === null ? value : undefined));
  }

  first(params: P): O | undefined {
    return this.#statement.get(this.#bind(params)) as O | undefined;
  }

  all(params: P): O[] {
    return this.#statement.all(this.#bind(params)) as O[];
  }

  /** Runs a write; returns the number of rows changed. */
  run(params: P): number {
    return this.#statement.run(this.#bind(params)).changes;
  }

  #bind(params: P): unknown[] {
    const names = this.#names;
    const values = new Array<unknown>(names.length);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      values[i] = name === null || name === undefined ? this.#constants[i] : params[name];
    }
    return values;
  }
}
