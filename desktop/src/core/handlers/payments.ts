import { formatInr } from '@gymstack/shared';
import { findMember } from '../domain/members.js';
import { findLiveMembership } from '../domain/memberships.js';
import { paymentMutationArgs, recordPayment } from '../domain/payments.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

export const paymentHandlers = defineHandlers({
  'payments/record': {
    access: 'frontdesk',
    run(ctx, { membershipId, ...draft }) {
      const view = findLiveMembership(ctx, membershipId);
      const member = findMember(ctx, view.memberId);
      return write(ctx, ['payments'], () => {
        const paid = recordPayment(ctx, view, member, draft);
        return {
          result: paid,
          audit: {
            action: 'payment.record',
            entity: 'payment',
            entityId: paid.payment.id,
            summary: `${formatInr(paid.payment.amountPaise)} by ${paid.payment.method} from ${member.fullName} (${member.code}), invoice ${paid.invoice.number}`,
          },
          mutation: { name: 'payments/record', args: paymentMutationArgs(paid) },
        };
      });
    },
  },
});
