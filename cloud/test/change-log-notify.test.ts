/**
 * The long polls' wake-ups (DESIGN 6): a commit wakes only the requests waiting on the table it changed,
 * and compaction or a re-snapshot (notified with the gym alone) wakes every table of that gym.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeNotifier } from '../src/sync/change-log-notify.js';
import { seedGym } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './support.js';

let t: TestDatabase;
let notifier: ChangeNotifier;
const gymA = '00000000-0000-7000-8000-00000000000a';
const gymB = '00000000-0000-7000-8000-00000000000b';

beforeAll(async () => {
  t = await createTestDatabase();
  notifier = new ChangeNotifier(t.apiPool.options);
});
afterAll(async () => {
  await notifier.close();
  await t.drop();
});

/** Subscribes to each (gym, table) and records which were woken by `notify`'s payload. */
async function woken(payload: string): Promise<string[]> {
  const seen: string[] = [];
  const waits = [
    [gymA, 'checkins'],
    [gymA, 'plans'],
    [gymB, 'checkins'],
  ] as const;
  const offs = await Promise.all(waits.map(([gym, table]) => notifier.subscribe(gym, table, () => seen.push(`${gym === gymA ? 'A' : 'B'}:${table}`))));
  // A marker notification for gym B's plans (no waiter) tells us the payload before it was delivered.
  const done = new Promise<void>((resolve) => {
    void notifier.subscribe(gymB, 'plans', resolve).then((off) => offs.push(off));
  });
  await sql`select pg_notify('gymstack_change_log', ${payload}), pg_notify('gymstack_change_log', ${`${gymB}:plans`})`.execute(t.api);
  await done;
  for (const off of offs) off();
  return seen.sort();
}

describe('change log notifications', () => {
  it('wake only the waiters on the changed table of that gym', async () => {
    expect(await woken(`${gymA}:checkins`)).toEqual(['A:checkins']);
  });

  it('wake every table of the gym for a gym-wide change (compaction, re-snapshot)', async () => {
    expect(await woken(gymA)).toEqual(['A:checkins', 'A:plans']);
  });

  it('come from the triggers with the gym and the table named', async () => {
    const payloads: string[] = [];
    const client = await t.apiPool.connect();
    try {
      client.on('notification', (m) => payloads.push(m.payload ?? ''));
      await client.query('listen gymstack_change_log');
      const { scope } = await seedGym(t.api, 'notify');
      await expect.poll(() => payloads).toEqual(expect.arrayContaining([`${scope.gymId}:members`, `${scope.gymId}:plans`, `${scope.gymId}:gyms`]));
      expect(payloads.filter((p) => !p.includes(':'))).toEqual([]);
    } finally {
      await client.query('unlisten *');
      client.release();
    }
  });
});
