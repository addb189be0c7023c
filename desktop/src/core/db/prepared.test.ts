import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Generated, type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Param, defineQuery } from './prepared.js';
import { Store } from './store.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gymstack-prepared-'));
  store = await Store.open(join(dir, 'desk.sqlite'));
  store.sqlite.exec(`create table t (id integer primary key, kind text not null, n integer not null)`);
  store.sqlite.exec(`insert into t (kind, n) values ('a', 1), ('b', 2), ('a', 3), ('a', 4)`);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

type T = { id: Generated<number>; kind: string; n: number };
const table = (db: Parameters<Parameters<typeof defineQuery>[0]>[0]) => db as unknown as Kysely<{ t: T }>;

describe('prepared queries', () => {
  it('binds named values around the constants compiled into the query, in order, and reuses one statement', () => {
    const between = defineQuery((db, p: Param<{ low: number; high: number }>) =>
      table(db).selectFrom('t').select('n').where('kind', '=', 'a').where('n', '>=', p('low')).where('n', '<=', p('high')).orderBy('n', 'desc').limit(2),
    );
    expect(store.prepared(between).all({ low: 1, high: 4 })).toEqual([{ n: 4 }, { n: 3 }]);
    expect(store.prepared(between).all({ low: 2, high: 3 })).toEqual([{ n: 3 }]);
    expect(store.prepared(between)).toBe(store.prepared(between));
  });

  it('binds a name used twice, and writes', () => {
    const insert = defineQuery((db, p: Param<{ kind: string; n: number }>) => table(db).insertInto('t').values({ kind: p('kind'), n: p('n') }));
    const twice = defineQuery((db, p: Param<{ n: number }>) => table(db).selectFrom('t').select('kind').where((eb) => eb.or([eb('n', '=', p('n')), eb('id', '=', p('n'))])));
    expect(store.prepared(insert).run({ kind: 'c', n: 9 })).toBe(1);
    expect(store.prepared(twice).all({ n: 9 })).toEqual([{ kind: 'c' }]);
    expect(store.prepared(twice).first({ n: 2 })).toEqual({ kind: 'b' });
  });

  it('refuses a parameter that would be written into the SQL text', () => {
    const inlined = defineQuery((db, p: Param<{ kind: string }>) => table(db).selectFrom('t').select('n').where('kind', '=', sql.lit(p('kind'))));
    expect(() => store.prepared(inlined)).toThrow(/inlined/);
  });
});
