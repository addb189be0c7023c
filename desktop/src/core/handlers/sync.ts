import { type Mutation, errors, formatInr } from '@gymstack/shared';
import type { SyncRejection, SyncStatus } from '../contract.js';
import type { Context } from '../context.js';
import type { SyncRejectionTable } from '../db/schema.js';
import { SYNCED_TABLES } from '../sync/tables.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

const standalone: SyncStatus = { state: 'unpaired', cloudUrl: null, pending: 0, rejected: 0, lastSyncedAt: null, error: null };

/** What the desk did, in words, for the sync issues screen. */
function describe(ctx: Context, name: string, args: Record<string, unknown>): string {
  const memberId = typeof args.memberId === 'string' ? args.memberId : null;
  const member = memberId ? ctx.store.first(ctx.store.db.selectFrom('members').select('full_name').where('id', '=', memberId)) : undefined;
  const who = member ? ` for ${member.full_name}` : '';
  const plan = (args.plan as { name?: string } | undefined)?.name;
  switch (name) {
    case 'members/create':
      return `New member ${String(args.fullName ?? '')}`.trim();
    case 'members/update':
      return `Profile change${who}`;
    case 'memberships/sell':
      return `Sale of ${plan ?? 'a membership'}${who}`;
    case 'memberships/renew':
      return `Renewal of ${plan ?? 'a membership'}${who}`;
    case 'payments/record':
      return `Payment of ${formatInr(Number(args.amountPaise ?? 0))}${who} (invoice ${String(args.invoiceNumber ?? '')})`;
    case 'checkins/create':
      return `Check-in${who}`;
    default:
      return `${name.replace('/', ': ')}${who}`;
  }
}

const toRejection = (ctx: Context, r: SyncRejectionTable): SyncRejection => ({
  mutationId: r.mutation_id,
  seq: r.seq,
  name: r.name,
  summary: describe(ctx, r.name, JSON.parse(r.args) as Record<string, unknown>),
  code: r.code,
  message: r.message,
  createdAt: r.created_at,
  rejectedAt: r.rejected_at,
});

export const syncHandlers = defineHandlers({
  // The status bar shows it on the login screen too.
  'sync/status': {
    access: 'public',
    run: (ctx) => ctx.sync?.status() ?? standalone,
  },

  'sync/rejections': {
    access: 'frontdesk',
    run: (ctx) =>
      ctx.store
        .all(ctx.store.db.selectFrom('sync_rejections').selectAll().where('resolved_at', 'is', null).orderBy('seq'))
        .map((r) => toRejection(ctx, r)),
  },

  /**
   * `retry` appends the same change to the outbox again, under a new mutation id (the cloud settles a
   * mutation id once). `dismiss` accepts the cloud's data: every table is re-read, and the rows the
   * refused change made on this desk, which the cloud never took, disappear.
   */
  'sync/resolve': {
    access: 'manager',
    run(ctx, { mutationId, action }) {
      const { store } = ctx;
      const sync = ctx.sync;
      if (!sync) throw errors.conflict('This desk is not paired with the cloud');
      const row = store.first(store.db.selectFrom('sync_rejections').selectAll().where('mutation_id', '=', mutationId).where('resolved_at', 'is', null));
      if (!row) throw errors.notFound('That refused change');
      const summary = toRejection(ctx, row).summary;
      write(ctx, [], () => {
        store.run(store.db.updateTable('sync_rejections').set({ resolved_at: ctx.clock().toISOString(), resolution: action }).where('mutation_id', '=', mutationId));
        const audit = { action: `sync.${action}`, entity: 'mutation', entityId: mutationId, summary: `${action === 'retry' ? 'Sent again' : "Accepted the cloud's data over"}: ${summary}` };
        // A retry is a new outbox entry with a new mutation id, checked against the registry like any write.
        return action === 'retry' ? { result: null, audit, mutation: { name: row.name, args: JSON.parse(row.args) } as Mutation } : { result: null, audit };
      });
      if (action === 'retry') sync.kick();
      else sync.refetch(SYNCED_TABLES.map((t) => t.shape));
      return { ok: true as const };
    },
  },
});
