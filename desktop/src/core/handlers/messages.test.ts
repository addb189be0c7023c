import type { NotificationView } from '@gymstack/shared';
import { v7 as uuid } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestDesk, TEST_CLOUD_URL, createTestDesk } from '../testing/desk.js';

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

const priya = uuid();
const rahul = uuid();

const message = (memberId: string, memberName: string, fields: Partial<NotificationView>): NotificationView => ({
  id: uuid(),
  memberId,
  memberName,
  template: 'welcome_member',
  dueOn: '2026-11-21',
  status: 'simulated',
  error: null,
  attempts: 1,
  sendAfter: '2026-11-21T05:00:00.000Z',
  provider: 'simulated',
  providerMessageId: 'simulated-1',
  body: 'Welcome to Iron Temple Fitness! Download your member app: https://app.gymstack.in',
  sentAt: '2026-11-21T05:00:01.000Z',
  deliveredAt: null,
  readAt: null,
  createdAt: '2026-11-21T05:00:00.000Z',
  ...fields,
});

/**
 * A stand-in for the cloud's API: a desk token, `GET /notifications` (by status, template and member, a
 * page at a time) and the retry of a dead message. Sync's requests find it unreachable, as they would
 * a cloud that is down; `down` makes every request so, `revoked` refuses the desk its token, and a
 * new `keys` generation refuses the tokens it issued before.
 */
function fakeCloud() {
  const messages: NotificationView[] = [
    message(priya, 'Priya Sharma', {}),
    message(priya, 'Priya Sharma', { template: 'payment_receipt', status: 'dead', attempts: 4, error: 'Provider answered 500', sentAt: null, body: null }),
    message(rahul, 'Rahul Verma', { template: 'renewal_reminder_3d', status: 'queued', attempts: 0, sendAfter: '2026-11-22T02:30:00.000Z', sentAt: null, body: null }),
    message(rahul, 'Rahul Verma', {}),
  ];
  const cloud = {
    down: false,
    revoked: false,
    keys: 1,
    tokensIssued: 0,
    messages,
    /** Each request to the notifications API: its path and query, and whether it carried the desk's token. */
    asked: [] as { path: string; query: Record<string, string>; token: boolean }[],
  };
  const answer = (status: number, body: unknown) => Response.json(body, { status });
  const refuse = (status: number, code: string, message: string) => answer(status, { success: false, error: { code, message, status } });
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const unreachable = () => {
      throw new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED ${url.host}`) });
    };
    if (cloud.down || url.origin !== TEST_CLOUD_URL) return unreachable();
    if (url.pathname === '/api/v1/devices/token') {
      if (cloud.revoked) return refuse(401, 'UNAUTHENTICATED', 'This desk was revoked');
      cloud.tokensIssued += 1;
      return answer(200, { success: true, data: { accessToken: `desk-token-${cloud.keys}`, expiresIn: 900 } });
    }
    if (!url.pathname.startsWith('/api/v1/notifications')) return unreachable();
    if (cloud.revoked) return refuse(401, 'UNAUTHENTICATED', 'This desk was revoked');
    const bearer = new Headers(init?.headers).get('authorization');
    if (bearer !== null && bearer !== `Bearer desk-token-${cloud.keys}`) return refuse(401, 'UNAUTHENTICATED', 'Token is not valid');
    const query = Object.fromEntries(url.searchParams);
    cloud.asked.push({ path: url.pathname, query, token: bearer === `Bearer desk-token-${cloud.keys}` });
    const retry = /^\/api\/v1\/notifications\/([^/]+)\/retry$/.exec(url.pathname);
    if (retry && init?.method === 'POST') {
      const found = cloud.messages.find((m) => m.id === retry[1]);
      if (!found) return refuse(404, 'NOT_FOUND', 'Notification not found');
      if (found.status !== 'dead') return refuse(409, 'CONFLICT', 'Only a dead-lettered notification can be retried');
      Object.assign(found, { status: 'queued', attempts: 0 });
      return answer(200, { success: true, data: found });
    }
    const page = Number(query.page);
    const perPage = Number(query.perPage);
    const matching = cloud.messages.filter((m) => [m.status === (query.status ?? m.status), m.template === (query.template ?? m.template), m.memberId === (query.memberId ?? m.memberId)].every(Boolean));
    return answer(200, { success: true, data: matching.slice((page - 1) * perPage, page * perPage), meta: { page, perPage, total: matching.length } });
  };
  return { cloud, fetch };
}

let desk: TestDesk;
afterEach(() => desk.close());

async function pairedDesk() {
  const { cloud, fetch } = fakeCloud();
  desk = await createTestDesk({ cloudFetch: fetch });
  return cloud;
}

describe('WhatsApp messages at the desk', () => {
  it('lists the gym\'s messages for a manager, by status and template, a page at a time, asking the cloud with the desk\'s token', async () => {
    const cloud = await pairedDesk();
    await desk.loginAs('manager');
    const simulated = await desk.core.call('messages/list', { status: 'simulated', perPage: 1, page: 2 });
    expect(simulated.total).toBe(2);
    expect(simulated.items.map((m) => [m.memberName, m.status])).toEqual([['Rahul Verma', 'simulated']]);
    expect(cloud.asked).toEqual([{ path: '/api/v1/notifications', query: { status: 'simulated', page: '2', perPage: '1' }, token: true }]);

    const reminders = await desk.core.call('messages/list', { template: 'renewal_reminder_3d' });
    expect(reminders.items).toEqual([cloud.messages[2]]);
    expect(cloud.asked[1]?.query).toEqual({ template: 'renewal_reminder_3d', page: '1', perPage: '25' });
  });

  it('shows the front desk one member\'s messages, and refuses them the gym\'s list and retries without asking the cloud', async () => {
    const cloud = await pairedDesk();
    await desk.loginAs('frontdesk');
    const own = await desk.core.call('messages/member', { memberId: priya });
    expect(own.items.map((m) => [m.memberName, m.template])).toEqual([
      ['Priya Sharma', 'welcome_member'],
      ['Priya Sharma', 'payment_receipt'],
    ]);
    expect(cloud.asked.map((a) => a.query.memberId)).toEqual([priya]);

    const dead = cloud.messages[1]?.id ?? '';
    expect(await code(desk.core.call('messages/list', {}))).toBe('FORBIDDEN');
    expect(await code(desk.core.call('messages/retry', { messageId: dead }))).toBe('FORBIDDEN');
    expect(cloud.asked).toHaveLength(1);
    expect(cloud.messages[1]?.status).toBe('dead');
  });

  it('retries a dead message for a manager and logs who asked; the cloud refuses any other with CONFLICT', async () => {
    const cloud = await pairedDesk();
    await desk.loginAs('manager');
    const [delivered, dead] = cloud.messages;
    const retried = await desk.core.call('messages/retry', { messageId: dead?.id ?? '' });
    expect(retried).toMatchObject({ id: dead?.id, status: 'queued', attempts: 0 });
    expect(cloud.asked.at(-1)).toEqual({ path: `/api/v1/notifications/${dead?.id}/retry`, query: {}, token: true });

    const [logged] = await desk.core.call('audit/list', { limit: 1 });
    expect(logged).toMatchObject({ action: 'message.retry', entityId: dead?.id, staffName: 'Manager Meera', summary: 'Queued again: Payment receipt to Priya Sharma' });

    expect(await code(desk.core.call('messages/retry', { messageId: delivered?.id ?? '' }))).toBe('CONFLICT');
    expect((await desk.core.call('audit/list', { limit: 10 })).filter((a) => a.action === 'message.retry')).toHaveLength(1);
  });

  it('answers UNAVAILABLE while the cloud cannot be reached, and the messages once it is back', async () => {
    const cloud = await pairedDesk();
    await desk.loginAs('owner');
    cloud.down = true;
    const offline = await desk.core.dispatch('messages/list', {});
    expect(offline).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/^Can't reach the cloud: connect ECONNREFUSED/) } });
    expect(await code(desk.core.call('messages/member', { memberId: rahul }))).toBe('UNAVAILABLE');

    cloud.down = false;
    expect((await desk.core.call('messages/list', {})).total).toBe(4);
  });

  it('answers NOT_PAIRED on a standalone desk', async () => {
    desk = await createTestDesk();
    await desk.loginAs('owner');
    const reply = await desk.core.dispatch('messages/member', { memberId: priya });
    expect(reply).toEqual({ ok: false, error: { code: 'NOT_PAIRED', message: 'This needs the cloud, and this desk is not paired with one' } });
  });

  it('takes a fresh token when the cloud no longer accepts the one it kept (the cloud rotated its keys)', async () => {
    const cloud = await pairedDesk();
    await desk.loginAs('manager');
    expect((await desk.core.dispatch('messages/list', {})).ok).toBe(true);
    cloud.keys += 1;
    const reply = await desk.core.dispatch('messages/list', {});
    expect(reply.ok).toBe(true);
    expect(cloud.tokensIssued).toBe(2);
  });

  it('answers NOT_PAIRED when the cloud has revoked the desk, and the staff member stays logged in', async () => {
    const cloud = await pairedDesk();
    await desk.loginAs('manager');
    cloud.revoked = true;
    const reply = await desk.core.dispatch('messages/list', {});
    expect(reply).toEqual({ ok: false, error: { code: 'NOT_PAIRED', message: 'The cloud no longer accepts this desk (This desk was revoked): pair it again' } });
    expect((await desk.core.call('auth/session', {}))?.name).toBe('Manager Meera');
  });
});
