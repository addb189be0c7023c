import { memberStatus } from '@gymstack/shared';
import type { z } from 'zod';
import { v7 as uuid } from 'uuid';
import { type MemberStatus, type memberFilter } from '../contract.js';
import type { Context } from '../context.js';
import { toCheckin, toPayment } from '../db/rows.js';
import { directoryOf } from '../domain/directory.js';
import { loadMemberFacts, summaryColumns, toSummary } from '../domain/member-status.js';
import { assertUnique, findMember, memberColumns, nextMemberCode } from '../domain/members.js';
import { membershipViews } from '../domain/memberships.js';
import { searchMembers } from '../domain/search.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

const HISTORY_LIMIT = 100;

const filters: Record<Exclude<z.infer<typeof memberFilter>, 'all'>, (s: MemberStatus) => boolean> = {
  active: (s) => s.state === 'active' || s.state === 'expiring' || s.state === 'grace',
  expiring: (s) => s.state === 'expiring',
  expired: (s) => s.state === 'expired',
  frozen: (s) => s.state === 'frozen',
  pending: (s) => s.state === 'pending',
  dues: (s) => s.duePaise > 0,
};

const liveMembers = (ctx: Context) => ctx.store.db.selectFrom('members').where('members.deleted_at', 'is', null);

export const memberHandlers = defineHandlers({
  'members/search': {
    access: 'frontdesk',
    run: (ctx, { query, limit }) => searchMembers(ctx.store, ctx.vocabulary, query, limit, ctx.today(), ctx.desk.settings),
  },

  'members/list': {
    access: 'frontdesk',
    run(ctx, { filter, offset, limit }) {
      const { store } = ctx;
      // State is derived, never stored: the directory keeps every member's derived status current.
      const page = directoryOf(store).page(ctx.today(), ctx.desk.settings, filter === 'all' ? null : filters[filter], offset, limit);
      if (page.items.length === 0) return { items: [], total: page.total };
      const ids = page.items.map((m) => m.id);
      const rows = new Map(store.all(liveMembers(ctx).select(summaryColumns).where('members.id', 'in', ids)).map((r) => [r.id, r]));
      const items = page.items.flatMap(({ id, status }) => {
        const row = rows.get(id);
        return row ? [toSummary(row, status)] : [];
      });
      return { items, total: page.total };
    },
  },

  'members/get': {
    access: 'frontdesk',
    run(ctx, { memberId }) {
      const { store } = ctx;
      const member = findMember(ctx, memberId);
      const { status } = memberStatus(loadMemberFacts(store, memberId), ctx.today(), ctx.desk.settings);
      const payments = store
        .all(
          store.db
            .selectFrom('payments')
            .innerJoin('invoices', 'invoices.id', 'payments.invoice_id')
            .selectAll('payments')
            .select('invoices.number as invoice_number')
            .where('payments.member_id', '=', memberId)
            .where('payments.deleted_at', 'is', null)
            .orderBy('payments.received_at', 'desc')
            .limit(HISTORY_LIMIT),
        )
        .map((r) => ({ ...toPayment(r), invoiceNumber: r.invoice_number }));
      const checkins = store
        .all(store.db.selectFrom('checkins').selectAll().where('member_id', '=', memberId).orderBy('at', 'desc').limit(HISTORY_LIMIT))
        .map(toCheckin);
      const cards = store
        .all(store.db.selectFrom('member_credentials').select('value').where('member_id', '=', memberId).where('kind', '=', 'card').where('deleted_at', 'is', null).orderBy('created_at'))
        .map((c) => c.value);
      return { member, status, cards, memberships: membershipViews(ctx, { memberId }), payments, checkins };
    },
  },

  'members/create': {
    access: 'frontdesk',
    run(ctx, input) {
      const { store, desk } = ctx;
      assertUnique(ctx, { phone: input.phone, code: input.code }, null);
      const id = uuid();
      const member = write(ctx, ['members'], () => {
        const code = input.code ?? nextMemberCode(ctx);
        const now = ctx.clock().toISOString();
        store.run(
          store.db.insertInto('members').values({
            email: null,
            date_of_birth: null,
            gender: null,
            emergency_contact: null,
            medical_notes: null,
            goal: null,
            source: null,
            state_code: null,
            ...memberColumns(input),
            full_name: input.fullName,
            phone: input.phone,
            id,
            gym_id: desk.gym.id,
            branch_id: desk.branch.id,
            code,
            created_at: now,
            updated_at: now,
            deleted_at: null,
          }),
        );
        const created = findMember(ctx, id);
        return {
          result: created,
          audit: { action: 'member.create', entity: 'member', entityId: id, summary: `Enrolled ${created.fullName} (${code})` },
          mutation: { name: 'members/create', args: { ...input, id, code, branchId: desk.branch.id, createdAt: now } },
        };
      });
      ctx.vocabulary.add(member.fullName);
      return member;
    },
  },

  'members/update': {
    access: 'frontdesk',
    run(ctx, { memberId, patch }) {
      const { store } = ctx;
      const before = findMember(ctx, memberId);
      assertUnique(ctx, { phone: patch.phone, code: patch.code }, memberId);
      const member = write(ctx, ['members'], () => {
        store.run(
          store.db
            .updateTable('members')
            .set({ ...memberColumns(patch), ...(patch.code === undefined ? {} : { code: patch.code }), updated_at: ctx.clock().toISOString() })
            .where('id', '=', memberId),
        );
        const fields = Object.keys(patch).join(', ') || 'nothing';
        return {
          result: findMember(ctx, memberId),
          audit: { action: 'member.update', entity: 'member', entityId: memberId, summary: `Edited ${fields} of ${before.fullName} (${before.code})` },
          mutation: { name: 'members/update', args: { memberId, patch } },
        };
      });
      ctx.vocabulary.add(member.fullName);
      return member;
    },
  },

  'members/photo': {
    access: 'frontdesk',
    run(ctx, { memberId }) {
      findMember(ctx, memberId);
      const { store } = ctx;
      const photo = store.first(store.db.selectFrom('member_photos').select('data_url').where('member_id', '=', memberId).where('deleted_at', 'is', null));
      return { dataUrl: photo?.data_url ?? null };
    },
  },

  'members/setPhoto': {
    access: 'frontdesk',
    run(ctx, { memberId, dataUrl }) {
      const { store, desk } = ctx;
      const member = findMember(ctx, memberId);
      return write(ctx, ['members'], () => {
        const now = ctx.clock().toISOString();
        if (dataUrl === null) {
          store.run(store.db.updateTable('member_photos').set({ deleted_at: now, updated_at: now }).where('member_id', '=', memberId));
        } else {
          store.run(
            store.db
              .insertInto('member_photos')
              .values({ id: uuid(), gym_id: desk.gym.id, member_id: memberId, data_url: dataUrl, created_at: now, updated_at: now, deleted_at: null })
              .onConflict((oc) => oc.column('member_id').doUpdateSet({ data_url: dataUrl, updated_at: now, deleted_at: null })),
          );
        }
        const summary = `${dataUrl === null ? 'Removed' : 'Set'} the photo of ${member.fullName} (${member.code})`;
        return {
          result: { ok: true as const },
          audit: { action: 'member.photo', entity: 'member', entityId: memberId, summary },
          mutation: { name: 'members/setPhoto', args: { memberId, dataUrl } },
        };
      });
    },
  },
});
