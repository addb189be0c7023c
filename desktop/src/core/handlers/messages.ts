import { ErrorCode, errors, isAppError, notificationTemplateText } from '@gymstack/shared';
import type { Context } from '../context.js';
import type { CloudApi } from '../sync/cloud-api.js';
import { write } from '../write.js';
import { defineHandlers } from './types.js';

/**
 * The WhatsApp messages live in the cloud, which sends them (DESIGN 5), so these handlers ask it with the
 * desk's token, on behalf of the staff member whose role the dispatcher has checked. A standalone desk
 * answers NOT_PAIRED and an unreachable cloud UNAVAILABLE: the screens say the list needs the cloud.
 */
async function askCloud<T>(ctx: Context, ask: (api: CloudApi) => Promise<T>): Promise<T> {
  if (!ctx.sync) throw errors.notPaired();
  try {
    return await ask(ctx.sync.api);
  } catch (error) {
    // The cloud refusing the desk itself (revoked) is not the staff member's session lapsing, which
    // UNAUTHENTICATED would tell the window.
    if (isAppError(error) && error.code === ErrorCode.Unauthenticated) throw errors.notPaired(`The cloud no longer accepts this desk (${error.message}): pair it again`);
    throw error;
  }
}

export const messageHandlers = defineHandlers({
  'messages/list': {
    access: 'manager',
    run: (ctx, query) => askCloud(ctx, (api) => api.notifications(query)),
  },

  // Any staff member: the front desk answers "did my reminder go out?" at the counter.
  'messages/member': {
    access: 'frontdesk',
    run: (ctx, query) => askCloud(ctx, (api) => api.notifications(query)),
  },

  'messages/retry': {
    access: 'manager',
    async run(ctx, { messageId }) {
      const message = await askCloud(ctx, (api) => api.retryNotification(messageId));
      // The cloud sees only the desk; the desk's own log keeps who asked.
      const audit = { action: 'message.retry', entity: 'notification', entityId: messageId, summary: `Queued again: ${notificationTemplateText[message.template]} to ${message.memberName}` };
      return write(ctx, [], () => ({ result: message, audit }));
    },
  },
});
