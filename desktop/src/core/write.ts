import { type Mutation, type ParsedMutation, parseMutation } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import type { DeskEvent } from './contract.js';
import type { Context } from './context.js';
import { type Param, defineQuery } from './db/prepared.js';
import type { AuditLogTable, OutboxTable } from './db/schema.js';

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
   * same rows; omitted for desk-local state such as PIN lockouts. Typed and checked by the shared
   * registry (`@gymstack/shared` sync/mutations), which the cloud applies pushes with.
   */
  mutation?: Mutation;
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
    // Checked before anything is appended: a desk bug fails this write (rolled back) instead of
    // queueing a mutation the cloud would refuse forever.
    const parsed = mutation ? checkedMutation(mutation) : null;
    const at = ctx.clock().toISOString();
    if (audit) {
      store.prepared(insertAudit).run({
        id: uuid(),
        gym_id: desk.gym.id,
        staff_id: ctx.session?.id ?? null,
        device_id: desk.deviceId,
        action: audit.action,
        entity: audit.entity,
        entity_id: audit.entityId,
        summary: audit.summary,
        at,
      });
    }
    if (parsed) appendOutbox(ctx, parsed, at);
    return result;
  });
  if (changed.length > 0) ctx.events.emit({ type: 'changed', entities: [...changed] });
  return result;
}

// Every write runs these, so they are compiled and prepared once.
const insertAudit = defineQuery((db, p: Param<AuditLogTable>) =>
  db.insertInto('audit_log').values({
    id: p('id'),
    gym_id: p('gym_id'),
    staff_id: p('staff_id'),
    device_id: p('device_id'),
    action: p('action'),
    entity: p('entity'),
    entity_id: p('entity_id'),
    summary: p('summary'),
    at: p('at'),
  }),
);
const lastOutboxSeq = defineQuery((db) => db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('seq')));
const insertOutbox = defineQuery((db, p: Param<OutboxTable>) =>
  db.insertInto('outbox').values({
    seq: p('seq'),
    device_id: p('device_id'),
    mutation_id: p('mutation_id'),
    name: p('name'),
    args: p('args'),
    created_at: p('created_at'),
  }),
);

/**
 * Queues a mutation for the cloud. `seq` grows by exactly 1 per desk; it is taken inside the caller's
 * transaction, so a rollback leaves no gap. Handlers go through `write`; bulk writers (the demo's
 * history) call this directly with arguments the registry already accepts.
 */
export function appendOutbox(ctx: Context, { name, args }: ParsedMutation, at: string): void {
  const { store } = ctx;
  const last = store.prepared(lastOutboxSeq).first({});
  store.prepared(insertOutbox).run({
    seq: (last?.seq ?? 0) + 1,
    device_id: ctx.desk.deviceId,
    mutation_id: uuid(),
    name,
    args: JSON.stringify(args),
    created_at: at,
  });
}

/** The registry's parse of a handler's mutation; its failure is a bug in the handler, not the user's input. */
function checkedMutation(mutation: Mutation): ParsedMutation {
  try {
    return parseMutation(mutation.name, mutation.args);
  } catch (error) {
    throw new Error(`Outbox mutation ${mutation.name} does not match the sync registry: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
