import { errors } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import type { Context } from '../context.js';
import { findMember } from '../domain/members.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

const liveCard = (ctx: Context, number: string) =>
  ctx.store.db.selectFrom('member_credentials').where('kind', '=', 'card').where('value', '=', number).where('deleted_at', 'is', null);

export const cardHandlers = defineHandlers({
  'cards/assign': {
    access: 'frontdesk',
    run(ctx, { memberId, number }) {
      const { store, desk } = ctx;
      const member = findMember(ctx, memberId);
      const holder = store.first(liveCard(ctx, number).select('member_id'));
      // A card opens the door for exactly one member; hand it over by revoking it first.
      if (holder) throw errors.conflict(holder.member_id === memberId ? 'This card is already assigned to this member' : 'This card belongs to another member');
      const id = uuid();
      return write(ctx, ['members'], () => {
        const now = ctx.clock().toISOString();
        store.run(
          store.db
            .insertInto('member_credentials')
            .values({ id, gym_id: desk.gym.id, member_id: memberId, kind: 'card', value: number, created_at: now, updated_at: now, deleted_at: null }),
        );
        return {
          result: { ok: true as const },
          audit: { action: 'card.assign', entity: 'member', entityId: memberId, summary: `Gave card ${number} to ${member.fullName} (${member.code})` },
          mutation: { name: 'cards/assign', args: { id, memberId, number } },
        };
      });
    },
  },

  'cards/revoke': {
    access: 'frontdesk',
    run(ctx, { memberId, number }) {
      const { store } = ctx;
      const member = findMember(ctx, memberId);
      const card = store.first(liveCard(ctx, number).select('id').where('member_id', '=', memberId));
      if (!card) throw errors.notFound('Card');
      return write(ctx, ['members'], () => {
        const now = ctx.clock().toISOString();
        store.run(store.db.updateTable('member_credentials').set({ deleted_at: now, updated_at: now }).where('id', '=', card.id));
        return {
          result: { ok: true as const },
          audit: { action: 'card.revoke', entity: 'member', entityId: memberId, summary: `Took back card ${number} from ${member.fullName} (${member.code})` },
          mutation: { name: 'cards/revoke', args: { memberId, number } },
        };
      });
    },
  },
});
