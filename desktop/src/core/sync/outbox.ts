import { MAX_PUSH_ENTRIES, type PushEntry, type PushResponse } from '@gymstack/shared';
import type { Store } from '../db/store.js';

/** The outbox as sync sees it: entries above the cloud's acknowledged seq are pending. */

export function ackedSeq(store: Store): number {
  return store.first(store.db.selectFrom('sync_link').select('acked_seq'))?.acked_seq ?? 0;
}

export function pendingCount(store: Store): number {
  const row = store.first(
    store.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('seq', '>', (eb) => eb.selectFrom('sync_link').select('acked_seq')),
  );
  return Number(row?.n ?? 0);
}

/** The next batch to push, in seq order. */
export function nextBatch(store: Store, after: number, limit = MAX_PUSH_ENTRIES): PushEntry[] {
  const rows = store.all(store.db.selectFrom('outbox').select(['seq', 'mutation_id', 'name', 'args', 'created_at']).where('seq', '>', after).orderBy('seq').limit(limit));
  return rows.map((r) => ({ seq: r.seq, mutationId: r.mutation_id, name: r.name, args: JSON.parse(r.args) as unknown, createdAt: r.created_at }));
}

/**
 * Records the cloud's answer in one transaction: every rejection with its reason, and the new
 * acknowledged seq. `lastSeq` may also go down (the cloud restored from a backup): the outbox keeps
 * acknowledged entries, so the desk simply pushes again from there.
 */
export function recordPushResponse(store: Store, entries: readonly PushEntry[], response: PushResponse, now: string): void {
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  store.transaction(() => {
    for (const result of response.results) {
      const entry = bySeq.get(result.seq);
      if (result.status !== 'rejected' || !entry) continue;
      store.run(
        store.db
          .insertInto('sync_rejections')
          .values({
            mutation_id: result.mutationId,
            seq: result.seq,
            name: entry.name,
            args: JSON.stringify(entry.args),
            code: result.error?.code ?? 'REJECTED',
            message: result.error?.message ?? 'The cloud refused this change',
            created_at: entry.createdAt,
            rejected_at: now,
            resolved_at: null,
            resolution: null,
          })
          .onConflict((oc) => oc.column('mutation_id').doNothing()),
      );
    }
    store.run(store.db.updateTable('sync_link').set({ acked_seq: response.lastSeq }));
  });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Every row id named by a pending mutation: rows the cloud has not seen yet, which a re-read of a
 * table must not remove (DESIGN 6: pending local writes survive a must-refetch).
 */
export function pendingRowIds(store: Store): Set<string> {
  const ids = new Set<string>();
  const rows = store.all(store.db.selectFrom('outbox').select('args').where('seq', '>', (eb) => eb.selectFrom('sync_link').select('acked_seq')));
  for (const { args } of rows) for (const id of args.match(UUID) ?? []) ids.add(id);
  return ids;
}
