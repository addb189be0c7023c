import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { withTenant } from '../src/db/tenant.js';
import type { CloudApp } from '../src/http/app-types.js';
import { deliverNotification } from '../src/notifications/deliver.js';
import { enqueueNotification } from '../src/notifications/enqueue.js';
import { GupshupProvider } from '../src/notifications/gupshup.js';
import { applyProviderEvents } from '../src/notifications/provider-events.js';
import type { TemplateName } from '../src/notifications/templates.js';
import { testAuth } from './auth-support.js';
import { FakeWhatsApp, gupshupTemplateIds } from './fake-whatsapp.js';
import { call, createWorld, type Gym, type World } from './world.js';

const TOKEN = 'gupshup-callback-secret-0123456789';
const API_KEY = 'test-gupshup-key';
/** The member both fixture gyms have (fixtures.ts). */
const SHARED_PHONE = '+919800000002';
/** 10:30 in India, out of the gyms' quiet hours. */
const MORNING = new Date('2027-03-03T05:00:00Z');
const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);

/**
 * Gupshup's callbacks (POST /api/v1/webhooks/gupshup/:token) against messages sent through the
 * GupshupProvider to the local stand-in, with bodies in the shapes of Gupshup's docs.
 */
describe('Gupshup callbacks', () => {
  let w: World;
  let app: CloudApp;
  let a: Gym;
  let b: Gym;
  let fake: FakeWhatsApp;
  let provider: GupshupProvider;
  let phones = 0;

  const inGym = <T>(gym: Gym, fn: Parameters<typeof withTenant<T>>[2]) => withTenant(w.t.api, gym.seed.scope, fn);
  const notification = (gym: Gym, id: string) => inGym(gym, (trx) => trx.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  const optedOut = async (gym: Gym, phone: string) => (await inGym(gym, (trx) => trx.selectFrom('notification_opt_outs').select('phone').where('phone', '=', phone).execute())).length > 0;
  const send = (gym: Gym, id: string, at: Date) => deliverNotification({ db: w.t.api, provider, appUrl: 'https://app.test', now: () => at }, gym.gymId, id);
  const enqueue = (gym: Gym, memberId: string, template: TemplateName, dueAt: Date) =>
    inGym(gym, async (trx) => (await enqueueNotification(trx, { gymId: gym.gymId, memberId, template, dueAt, data: {} })) as string);

  /** A member enrolled through the API, and the id of the welcome message that queues. */
  async function enrol(gym: Gym): Promise<{ memberId: string; phone: string; welcomeId: string }> {
    phones += 1;
    const phone = `+9198222${String(phones).padStart(5, '0')}`;
    const enrolled = await call(app, gym.tokens.owner, { method: 'POST', url: '/members', body: { fullName: `Gupshup Member ${phones}`, phone } });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const memberId = enrolled.json().data.id as string;
    const welcome = await inGym(gym, (trx) => trx.selectFrom('notifications').select('id').where('member_id', '=', memberId).executeTakeFirstOrThrow());
    return { memberId, phone, welcomeId: welcome.id };
  }

  /** A welcome sent through Gupshup: its Gupshup message id. */
  async function sentMessage(gym: Gym): Promise<{ id: string; gsId: string; phone: string }> {
    const { welcomeId, phone } = await enrol(gym);
    expect(await send(gym, welcomeId, MORNING)).toBe('sent');
    const row = await notification(gym, welcomeId);
    expect([row.status, row.provider]).toEqual(['sent', 'gupshup']);
    return { id: welcomeId, gsId: row.provider_message_id as string, phone };
  }

  const post = (payload: string, { token = TOKEN, contentType = 'application/json', to = app }: { token?: string; contentType?: string | null; to?: CloudApp } = {}) =>
    to.inject({ method: 'POST', url: `/api/v1/webhooks/gupshup/${token}`, headers: contentType ? { 'content-type': contentType } : {}, payload });
  const callback = (body: unknown, options?: Parameters<typeof post>[1]) => post(JSON.stringify(body), options);

  // Bodies as Gupshup's docs show them (v2, one event per request).
  const event = (type: string, payload: object) => ({ app: 'GymStackTest', timestamp: 1_803_000_000_000, version: 2, type, payload });
  const destination = (phone: string) => phone.slice(1);
  /** sent, delivered, read: WhatsApp's id in `id`, Gupshup's in `gsId`, the time in `payload.ts`. */
  const receipt = (type: 'sent' | 'delivered' | 'read', gsId: string, ts: number | string, phone = SHARED_PHONE) =>
    event('message-event', { id: `wamid.HBgM${gsId}`, gsId, type, destination: destination(phone), payload: { ts } });
  const enqueued = (gsId: string, phone: string) => event('message-event', { id: gsId, type: 'enqueued', destination: destination(phone), payload: { whatsappMessageId: 'gBEGkYiEB1VXAglK1ZEqA1YKPrU', type: 'template' } });
  /** A failure at once names Gupshup's id in `id`; one after WhatsApp took the message, in `gsId`. */
  const failed = (gsId: string, phone: string, when: 'sync' | 'async') =>
    event('message-event', { ...(when === 'sync' ? { id: gsId } : { gsId }), type: 'failed', destination: destination(phone), payload: { code: 1002, reason: 'Number Does Not Exists On WhatsApp' } });
  const inbound = (phone: string, type: string, payload: object) =>
    event('message', { id: 'ABEGkYaYVSEEAhAL3SLAWwHKeKrt6s3FKB0c', source: destination(phone), type, payload, sender: { phone: destination(phone), name: 'Member', country_code: '91', dial_code: phone.slice(3) } });

  beforeAll(async () => {
    w = await createWorld();
    ({ a, b } = w.gyms);
    app = await buildApp({ db: w.t.api, pool: w.t.apiPool, auth: testAuth(), gupshupWebhook: { token: TOKEN } });
    fake = new FakeWhatsApp(API_KEY, Object.values(gupshupTemplateIds));
    provider = new GupshupProvider({ apiKey: API_KEY, appName: 'GymStackTest', source: '+919000000000', templateIds: gupshupTemplateIds, apiUrl: await fake.start() });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await w?.close();
  });

  it('moves a message sent → delivered → read, in the gym that sent it; enqueued and a late delivered change nothing', async () => {
    const m = await sentMessage(a);
    const other = await sentMessage(b);
    const answer = await callback(enqueued(m.gsId, m.phone));
    expect([answer.statusCode, answer.body]).toEqual([204, '']);
    expect((await callback(receipt('sent', m.gsId, 1_803_000_000, m.phone))).statusCode).toBe(204);
    expect((await notification(a, m.id)).status).toBe('sent');

    expect((await callback(receipt('delivered', m.gsId, 1_803_000_030, m.phone))).statusCode).toBe(204);
    expect((await notification(a, m.id)).status).toBe('delivered');
    // Gupshup has sent `ts` as a string as well as a number.
    expect((await callback(receipt('read', m.gsId, '1803000090', m.phone))).statusCode).toBe(204);
    expect((await callback(receipt('delivered', m.gsId, 1_803_000_030, m.phone))).statusCode).toBe(204);
    const read = await notification(a, m.id);
    expect([read.status, read.delivered_at?.toISOString(), read.read_at?.toISOString()]).toEqual(['read', new Date(1_803_000_030_000).toISOString(), new Date(1_803_000_090_000).toISOString()]);

    expect((await callback(receipt('delivered', other.gsId, 1_803_000_040, other.phone))).statusCode).toBe(204);
    expect((await notification(b, other.id)).status).toBe('delivered');
  });

  it("a provider's status never moves a message another provider sent, whatever its id", async () => {
    // A message the gym sent through WhatsApp's Cloud API before switching to Gupshup.
    const { welcomeId } = await enrol(a);
    await inGym(a, (trx) =>
      trx.updateTable('notifications').set({ status: 'sent', provider: 'whatsapp_cloud', provider_message_id: 'shared-id-1', sent_at: MORNING }).where('id', '=', welcomeId).execute(),
    );
    const status = { messageId: 'shared-id-1', status: 'delivered' as const, at: MORNING, error: null };
    await applyProviderEvents(w.t.api, [{ gymId: a.gymId, provider: 'gupshup', statuses: [status], opts: [] }], MORNING);
    expect((await notification(a, welcomeId)).status).toBe('sent');
    await applyProviderEvents(w.t.api, [{ gymId: a.gymId, provider: 'whatsapp_cloud', statuses: [status], opts: [] }], MORNING);
    expect((await notification(a, welcomeId)).status).toBe('delivered');
  });

  it('a failed message is retried after 1, 5 and 15 minutes like a failed send, then dead-lettered', async () => {
    const { welcomeId, phone } = await enrol(a);
    const trail = [];
    let at = MORNING;
    for (const when of ['sync', 'async', 'async', 'async'] as const) {
      expect(await send(a, welcomeId, at)).toBe('sent');
      const { provider_message_id: gsId, send_after: before } = await notification(a, welcomeId);
      const from = Date.now();
      expect((await callback(failed(gsId as string, phone, when))).statusCode).toBe(204);
      const row = await notification(a, welcomeId);
      // The callback retries from the time it came in (the real clock), on the send's schedule.
      const delay = row.send_after.getTime() === before.getTime() ? null : Math.round((row.send_after.getTime() - from) / 60_000);
      trail.push([row.status, row.attempts, delay]);
      at = minutes(at, 30);
    }
    expect(trail).toEqual([
      ['failed', 1, 1],
      ['failed', 2, 5],
      ['failed', 3, 15],
      ['dead', 4, null],
    ]);
    expect((await notification(a, welcomeId)).error).toBe('1002: Number Does Not Exists On WhatsApp');
  });

  it("STOP opts the phone out in every gym with a member on it, so the next message is not sent; START opts it back in", async () => {
    const member = (gym: Gym) => gym.ids.member;
    expect(await optedOut(a, SHARED_PHONE)).toBe(false);
    expect((await callback(inbound(SHARED_PHONE, 'text', { text: ' Stop ' }))).statusCode).toBe(204);
    expect([await optedOut(a, SHARED_PHONE), await optedOut(b, SHARED_PHONE)]).toEqual([true, true]);

    const reminder = await enqueue(a, member(a), 'birthday_wish', MORNING);
    const requests = fake.requests.length;
    expect(await send(a, reminder, MORNING)).toBe('skipped');
    expect([(await notification(a, reminder)).error, fake.requests.length]).toEqual(['The member replied STOP', requests]);

    // Other words are not for the cloud; START from a template's quick-reply button clears both gyms.
    expect((await callback(inbound(SHARED_PHONE, 'text', { text: 'Hi, what time do you open?' }))).statusCode).toBe(204);
    expect(await optedOut(a, SHARED_PHONE)).toBe(true);
    expect((await callback(inbound(SHARED_PHONE, 'quick_reply', { text: 'START', type: 'button' }))).statusCode).toBe(204);
    expect([await optedOut(a, SHARED_PHONE), await optedOut(b, SHARED_PHONE)]).toEqual([false, false]);
    const next = await enqueue(b, member(b), 'birthday_wish', minutes(MORNING, 24 * 60));
    expect(await send(b, next, minutes(MORNING, 24 * 60))).toBe('sent');

    // An interactive button's words are in `title`; a phone no gym has changes nothing.
    const m = await enrol(a);
    expect((await callback(inbound(m.phone, 'button_reply', { title: 'STOP', id: 'qr1', reply: 'STOP 1' }))).statusCode).toBe(204);
    expect([await optedOut(a, m.phone), await optedOut(b, m.phone)]).toEqual([true, false]);
    expect((await callback(inbound('+919899999999', 'text', { text: 'STOP' }))).statusCode).toBe(204);
    expect([await optedOut(a, '+919899999999'), await optedOut(b, '+919899999999')]).toEqual([false, false]);

    // Gupshup's own opt-out management says so as a user-event; its opted-in is not the member's START.
    const n = await enrol(b);
    expect((await callback(event('user-event', { phone: n.phone.slice(1), type: 'opted-out' }))).statusCode).toBe(204);
    expect([await optedOut(a, n.phone), await optedOut(b, n.phone)]).toEqual([false, true]);
    expect((await callback(event('user-event', { phone: n.phone.slice(1), type: 'opted-in' }))).statusCode).toBe(204);
    expect(await optedOut(b, n.phone)).toBe(true);
  });

  it('takes GUPSHUP_WEBHOOK_TOKEN only as a long, URL-safe secret', () => {
    expect(loadConfig({ NODE_ENV: 'test', GUPSHUP_WEBHOOK_TOKEN: TOKEN }).messaging.gupshup.webhookToken).toBe(TOKEN);
    expect(loadConfig({ NODE_ENV: 'test', GUPSHUP_WEBHOOK_TOKEN: '' }).messaging.gupshup.webhookToken).toBeUndefined();
    for (const weak of ['too-short-a-secret', `${TOKEN}/../x`, `${TOKEN}?x=1`]) {
      expect(() => loadConfig({ NODE_ENV: 'test', GUPSHUP_WEBHOOK_TOKEN: weak }), weak).toThrow(ConfigError);
    }
  });

  it('answers 503 while no token is configured and 401 to a wrong or missing token, writing nothing', async () => {
    const m = await enrol(a);
    const stop = JSON.stringify(inbound(m.phone, 'text', { text: 'STOP' }));
    const unset = await post(stop, { to: w.app });
    expect([unset.statusCode, unset.json().error.code]).toEqual([503, 'UNAVAILABLE']);
    for (const token of [`${TOKEN}x`, TOKEN.slice(0, -1), 'x', '']) {
      const refused = await post(stop, { token });
      expect([refused.statusCode, refused.json().error.code], `token ${token}`).toEqual([401, 'UNAUTHENTICATED']);
    }
    expect(await optedOut(a, m.phone)).toBe(false);
    // The same body with the right token is one that writes.
    expect((await post(stop)).statusCode).toBe(204);
    expect(await optedOut(a, m.phone)).toBe(true);
  });

  it('refuses malformed bodies with 400 and acknowledges URL checks and events it has no use for with 204', async () => {
    const m = await sentMessage(a);
    const malformed = [
      'not json {',
      '[]',
      '{}',
      JSON.stringify({ ...event('message-event', { type: 'delivered', destination: '91', payload: { ts: 1 } }) }),
      JSON.stringify({ ...receipt('delivered', m.gsId, 1_803_000_000, m.phone), timestamp: undefined }),
      JSON.stringify(receipt('delivered', m.gsId, 'yesterday', m.phone)),
      JSON.stringify(event('message', { type: 'text', payload: { text: 'STOP' } })),
      JSON.stringify(inbound('+91 98 00', 'text', { text: 'STOP' })),
    ];
    for (const body of malformed) {
      const refused = await post(body);
      expect([refused.statusCode, refused.json().error.code], body).toEqual([400, 'BAD_REQUEST']);
    }
    const acknowledged = [
      await post('', { contentType: null }),
      await post(''),
      await post(' \n'),
      await callback(event('user-event', { phone: 'callbackSetPhone', type: 'sandbox-start' })),
      await callback(event('template-event', { type: 'status-update', id: 'tpl', status: 'approved', elementName: 'welcome_member', languageCode: 'en' })),
      await callback(event('message-event', { id: m.gsId, type: 'deleted', destination: destination(m.phone) })),
      await callback(event('message-event', { type: 'mismatch', destination: destination(m.phone), payload: { wa_id: '91', phone: '91' } })),
      await callback(inbound(m.phone, 'image', { url: 'https://example.test/a.jpg', caption: 'STOP' })),
    ];
    expect(acknowledged.map((answer) => [answer.statusCode, answer.body])).toEqual(acknowledged.map(() => [204, '']));
    expect([(await notification(a, m.id)).status, await optedOut(a, m.phone)]).toEqual(['sent', false]);
  });

  it("ignores statuses of messages it does not know, and WhatsApp's id where Gupshup's is missing", async () => {
    const m = await sentMessage(a);
    expect((await callback(receipt('read', 'c0ffee00-0000-4000-8000-000000000000', 1_803_000_000, m.phone))).statusCode).toBe(204);
    // Past a week Gupshup drops the gsId: `id` is then WhatsApp's, which the cloud never stored.
    expect((await callback(event('message-event', { id: `wamid.HBgM${m.gsId}`, type: 'read', destination: destination(m.phone), payload: { ts: 1_803_000_000 } }))).statusCode).toBe(204);
    // On a receipt `id` is WhatsApp's even when it looks like one of ours: `gsId` decides.
    expect((await callback(event('message-event', { id: m.gsId, gsId: 'c0ffee00-0000-4000-8000-000000000001', type: 'delivered', destination: destination(m.phone), payload: { ts: 1_803_000_000 } }))).statusCode).toBe(204);
    expect((await notification(a, m.id)).status).toBe('sent');
  });
});
