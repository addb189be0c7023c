import { v7 as uuid } from 'uuid';
import type { DeskEvent, HandlerName } from './contract.js';
import type { Context } from './context.js';

export type ChangedEntity = Extract<DeskEvent, { type: 'changed' }>['entities'][number];

/** One line of the local audit log: who did what to which row. */
export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  summary: string;
}

export interface WriteOutcome<T> {
  result: T;
  audit: AuditEntry | null;
  /**
   * The domain mutation the cloud will replay (DESIGN 6), with every id born here so it creates the
   * same rows; omitted for desk-local state such as PIN lockouts.
   */
  mutation?: { name: HandlerName; args: unknown };
}

/**
 * The one write path. `apply` makes its changes and returns its audit line and outbox mutation,
 * which are appended in the same SQLite transaction: a write is all there or not at all.
 * `apply` is synchronous, so nothing can interleave with it or leave it half-done.
 * `changed` names the screens to refresh once it has committed.
 */
export function write<T>(ctx: Context, changed: readonly ChangedEntity[], apply: () => WriteOutcome<T>): T {
  const { store, desk } = ctx;
  const result = store.transaction(() => {
    const { result, audit, mutation } = apply();
    const at = ctx.clock().toISOString();
    if (audit) {
      store.run(
        store.db.insertInto('audit_log').values({
          id: uuid(),
          gym_id: desk.gym.id,
          staff_id: ctx.session?.id ?? null,
          device_id: desk.deviceId,
          action: audit.action,
          entity: audit.entity,
          entity_id: audit.entityId,
          summary: audit.summary,
          at,
        }),
      );
    }
    if (mutation) appendOutbox(ctx, mutation.name, mutation.args, at);
    return result;
  });
  if (changed.length > 0) ctx.events.emit({ type: 'changed', entities: [...changed] });
  return result;
}

/** `seq` grows by exactly 1 per desk; it is taken inside the caller's transaction, so a rollback leaves no gap. */
function appendOutbox(ctx: Context, name: HandlerName, args: unknown, at: string): void {
  const { store } = ctx;
  const last = store.first(store.db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('seq')));
  store.run(
    store.db.insertInto('outbox').values({
      seq: (last?.seq ?? 0) + 1,
      device_id: ctx.desk.deviceId,
      mutation_id: uuid(),
      name,
      args: JSON.stringify(args),
      created_at: at,
    }),
  );
}
