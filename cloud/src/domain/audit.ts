import type { Insertable, Transaction } from 'kysely';
import { v7 as uuid } from 'uuid';
import type { AuditLogTable, Database } from '../db/schema.js';
import type { TenantScope } from '../db/tenant.js';
import { type Page, type PageRequest, paginate } from './page.js';
import type { AuditView } from './schemas.js';

export interface AuditEntry {
  /** `entity.verb`, e.g. `member.create`, `payment.record`. */
  action: string;
  entity: string;
  entityId: string | null;
  /** The row as it was (null on create) and as it is now (null on delete); jsonb. */
  old: unknown;
  new: unknown;
}

/** The audit row for `entry`, as inserted: for a write that adds it to a statement of its own (see checkins.ts). */
export function auditRow(caller: TenantScope, entry: AuditEntry): Insertable<AuditLogTable> {
  return {
    gym_id: caller.gymId,
    id: uuid(),
    actor_id: caller.role === 'desk' ? null : caller.userId,
    actor_role: caller.role,
    device_id: caller.deviceId,
    ip: caller.ip,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    // jsonb: Kysely would hand pg an object, which pg sends as JSON text; undefined fields drop out.
    old: entry.old === null ? null : JSON.stringify(entry.old),
    new: entry.new === null ? null : JSON.stringify(entry.new),
  };
}

/**
 * One audit row for a write, in the write's own transaction, so the two commit or vanish together.
 * The table is append-only (trigger and grants), so this is the only thing ever done to it.
 */
export async function appendAudit(trx: Transaction<Database>, caller: TenantScope, entry: AuditEntry): Promise<void> {
  await trx.insertInto('audit_log').values(auditRow(caller, entry)).execute();
}

/** The audit log, newest first, optionally for one entity. */
export async function listAudit(
  trx: Transaction<Database>,
  query: PageRequest & { entity?: string | undefined; entityId?: string | undefined },
): Promise<Page<AuditView>> {
  const rows = trx
    .selectFrom('audit_log')
    .selectAll()
    .$if(query.entity !== undefined, (q) => q.where('entity', '=', query.entity as string))
    .$if(query.entityId !== undefined, (q) => q.where('entity_id', '=', query.entityId as string))
    .orderBy('at', 'desc')
    .orderBy('id', 'desc');
  const page = await paginate(trx, rows, query);
  return {
    items: page.items.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorRole: r.actor_role,
      deviceId: r.device_id,
      ip: r.ip,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      old: r.old,
      new: r.new,
    })),
    meta: page.meta,
  };
}
