import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { v7 as uuid } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { withTenant } from '../src/db/tenant.js';
import type { CloudApp } from '../src/http/app-types.js';
import { deliverNotification } from '../src/notifications/deliver.js';
import { enqueueNotification } from '../src/notifications/enqueue.js';
import { GupshupProvider, type GupshupTemplateIds } from '../src/notifications/gupshup.js';
import PgBoss from 'pg-boss';
import { NotificationJobs, QUEUES } from '../src/notifications/jobs.js';
import type { MessageProvider } from '../src/notifications/provider.js';
import { scanGym } from '../src/notifications/scan.js';
import { SimulatedProvider } from '../src/notifications/simulated.js';
import type { TemplateName } from '../src/notifications/templates.js';
import { WhatsAppCloudProvider } from '../src/notifications/whatsapp-cloud.js';
import { testAuth } from './auth-support.js';
import { FakeWhatsApp, gupshupTemplateIds } from './fake-whatsapp.js';
import { seedGym } from './fixtures.js';
import { call, createWorld, type Gym, type World } from './world.js';

const APP_URL = 'https://app.test';
const APP_SECRET = 'test-app-secret';
const VERIFY_TOKEN = 'test-verify-token';
const TOKEN = 'test-access-token';
/** The cloud's own sending number (WHATSAPP_PHONE_NUMBER_ID), for gyms without one of their own. */
const DEFAULT_NUMBER = 'PN-DEFAULT';
/** The member every fixture gym has (fixtures.ts). */
const SHARED_PHONE = '+919800000002';
/** 08:00 IST, when the gym's quiet hours end, on `date`. */
const istMorning = (date: string) => new Date(`${date}T02:30:00Z`);

/**
 * Reminders with a controllable clock (`clock.now`): every scan and send is told the time, so nothing
 * waits on a real timer. A local server stands in for WhatsApp and Gupshup and checks request shapes.
 */
describe('notifications', () => {
  let w: World;
  let app: CloudApp;
  let a: Gym;
  let b: Gym;
  let fake: FakeWhatsApp;
  let fakeUrl: string;
  const clock = { now: new Date() };
  const simulated = new SimulatedProvider();
  let phones = 0;

  const deps = (provider: MessageProvider = simulated) => ({ db: w.t.api, provider, appUrl: APP_URL, now: () => clock.now });

  /** A member of `gym`, with one membership ending on `end` unless null. */
  async function addMember(gym: Gym, { end, dateOfBirth = null }: { end: string | null; dateOfBirth?: string | null }): Promise<{ id: string; phone: string; name: string }> {
    phones += 1;
    const member = { id: uuid(), phone: `+9198111${String(phones).padStart(5, '0')}`, name: `Member ${phones}` };
    await withTenant(w.t.api, gym.seed.scope, async (trx) => {
      const plan = (await trx.selectFrom('memberships').select('plan').where('id', '=', gym.ids.membership).executeTakeFirstOrThrow()).plan;
      await trx
        .insertInto('members')
        .values({ gym_id: gym.gymId, id: member.id, branch_id: gym.branchId, code: `N${phones}`, full_name: member.name, phone: member.phone, email: null, date_of_birth: dateOfBirth, gender: null, emergency_contact: null, medical_notes: null, goal: null, source: null, state_code: null, deleted_at: null })
        .execute();
      if (end !== null) {
        await trx
          .insertInto('memberships')
          .values({ gym_id: gym.gymId, id: uuid(), branch_id: gym.branchId, member_id: member.id, plan_id: gym.ids.plan, plan, start_date: '2026-01-01', end_date: end, price_paise: 150_000, cancelled_at: null, cancel_reason: null, deleted_at: null })
          .execute();
      }
    });
    return member;
  }

  /** What the helpers below need of a gym, so they also serve one seeded apart from the world's. */
  type Tenant = Pick<Gym, 'gymId' | 'seed'>;
  const inGym = <T>(gym: Tenant, fn: Parameters<typeof withTenant<T>>[2]) => withTenant(w.t.api, gym.seed.scope, fn);
  const notificationsOf = (gym: Tenant, memberId: string) =>
    inGym(gym, (trx) => trx.selectFrom('notifications').selectAll().where('member_id', '=', memberId).orderBy('created_at').orderBy('id').execute());
  const scan = (gym: Gym, at: Date) => {
    clock.now = at;
    return inGym(gym, (trx) => scanGym(trx, gym.gymId, at));
  };
  const enqueue = (gym: Tenant, memberId: string, template: TemplateName, dueAt: Date, data: Record<string, string> = {}) =>
    inGym(gym, (trx) => enqueueNotification(trx, { gymId: gym.gymId, memberId, template, dueAt, data }));
  const deliver = (gym: Tenant, id: string, at: Date, provider?: MessageProvider) => {
    clock.now = at;
    return deliverNotification(deps(provider), gym.gymId, id);
  };
  const webhook = (body: unknown, signature?: string) => {
    const payload = JSON.stringify(body);
    const signed = signature ?? `sha256=${createHmac('sha256', APP_SECRET).update(payload).digest('hex')}`;
    return app.inject({ method: 'POST', url: '/api/v1/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signed }, payload });
  };
  const whatsappEvent = (phoneNumberId: string, value: object) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '919000000000', phone_number_id: phoneNumberId }, ...value } }] }],
  });
  const inbound = (phone: string, text: string) => whatsappEvent('PN-ALPHA', { messages: [{ from: phone.slice(1), id: `wamid.in.${text}`, timestamp: '1790000000', type: 'text', text: { body: text } }] });

  beforeAll(async () => {
    w = await createWorld();
    ({ a, b } = w.gyms);
    app = await buildApp({ db: w.t.api, pool: w.t.apiPool, auth: testAuth(), whatsappWebhook: { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, defaultPhoneNumberId: DEFAULT_NUMBER } });
    fake = new FakeWhatsApp(TOKEN, Object.values(gupshupTemplateIds));
    fakeUrl = await fake.start();
    await inGym(a, (trx) => trx.updateTable('notification_settings').set({ whatsapp_phone_number_id: 'PN-ALPHA' }).execute());
    await inGym(b, (trx) => trx.updateTable('gyms').set({ time_zone: 'Europe/London' }).execute());
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await w?.close();
  });

  it("the daily scan queues the reminders due on the gym's local date, once per member, template and date (IST)", async () => {
    const m = await addMember(a, { end: '2026-12-01' });
    const at = istMorning('2026-11-24');
    expect(await scan(a, at)).toBeGreaterThanOrEqual(1);
    expect(await scan(a, at)).toBe(0);
    const rows = await notificationsOf(a, m.id);
    expect(rows.map((r) => [r.template, r.due_on, r.end_date, r.status, r.send_after.toISOString()])).toEqual([['renewal_reminder_7d', '2026-11-24', '2026-12-01', 'queued', at.toISOString()]]);
    expect(rows[0]?.data).toMatchObject({ name: m.name, plan: 'Monthly', date: '1 Dec 2026', gym_name: 'alpha Fitness' });
    const settings = await inGym(a, (trx) => trx.selectFrom('notification_settings').select('scanned_on').executeTakeFirstOrThrow());
    expect(settings.scanned_on).toBe('2026-11-24');
  });

  it('lists a gym for its scan once its local morning has come and until it is scanned, in IST and London', async () => {
    const due = async (at: string) => {
      const { rows } = await sql<{ gym_id: string; local_date: string }>`select * from notification_gyms_to_scan(${new Date(at)})`.execute(w.t.api);
      return rows.map((r) => [r.gym_id === a.gymId ? 'a' : r.gym_id === b.gymId ? 'b' : r.gym_id, r.local_date]).sort();
    };
    expect(await due('2026-11-25T02:29:00Z')).toEqual([]); // 07:59 IST, 02:29 GMT
    expect(await due('2026-11-25T02:30:00Z')).toEqual([['a', '2026-11-25']]);
    expect(await due('2026-11-25T08:00:00Z')).toEqual([['a', '2026-11-25'], ['b', '2026-11-25']]);
    await scan(b, new Date('2026-11-25T08:00:00Z'));
    expect(await due('2026-11-25T09:00:00Z')).toEqual([['a', '2026-11-25']]);
    // In summer London's 08:00 is 07:00 UTC.
    expect(await due('2027-06-01T06:59:00Z')).toEqual([['a', '2027-06-01']]);
    expect(await due('2027-06-01T07:00:00Z')).toEqual([['a', '2027-06-01'], ['b', '2027-06-01']]);
  });

  it('a renewal after the 7-day reminder was queued cancels the reminders for the old end; the new end date gets its own', async () => {
    const m = await addMember(a, { end: '2026-12-10' });
    await scan(a, istMorning('2026-12-03'));
    const renewed = await call(app, a.tokens.owner, { method: 'POST', url: '/memberships/renew', body: { memberId: m.id, planId: a.ids.plan } });
    expect(renewed.statusCode, renewed.body).toBe(201);
    expect(renewed.json().data.membership.end).toBe('2027-01-10');
    expect((await notificationsOf(a, m.id)).map((r) => [r.template, r.end_date, r.status])).toEqual([['renewal_reminder_7d', '2026-12-10', 'cancelled']]);

    // Three days before the old end date nothing more is queued; a week before the new one, its reminder is.
    await scan(a, istMorning('2026-12-07'));
    await scan(a, istMorning('2027-01-03'));
    const rows = await notificationsOf(a, m.id);
    expect(rows.map((r) => [r.template, r.due_on, r.end_date, r.status])).toEqual([
      ['renewal_reminder_7d', '2026-12-03', '2026-12-10', 'cancelled'],
      ['renewal_reminder_7d', '2027-01-03', '2027-01-10', 'queued'],
    ]);
    expect(await deliver(a, rows[1]?.id as string, istMorning('2027-01-03'))).toBe('simulated');
  });

  it('a reminder whose end date moved after it was queued (a freeze synced from a desk) is cancelled when it comes to be sent', async () => {
    const m = await addMember(a, { end: '2026-12-20' });
    await scan(a, istMorning('2026-12-13'));
    const [row] = await notificationsOf(a, m.id);
    await inGym(a, (trx) => trx.updateTable('memberships').set({ end_date: '2026-12-25' }).where('member_id', '=', m.id).execute());
    expect(await deliver(a, row?.id as string, istMorning('2026-12-13'))).toBe('cancelled');
    expect((await notificationsOf(a, m.id)).map((r) => [r.status, r.error, r.attempts])).toEqual([['cancelled', 'The membership end date changed', 0]]);
  });

  it('month ends: a membership ending 31 January is reminded on 30 January and noticed expired on 1 February', async () => {
    const m = await addMember(a, { end: '2027-01-31' });
    await scan(a, istMorning('2027-01-30'));
    await scan(a, istMorning('2027-02-01'));
    expect((await notificationsOf(a, m.id)).map((r) => [r.template, r.due_on])).toEqual([
      ['renewal_reminder_1d', '2027-01-30'],
      ['expiry_notice', '2027-02-01'],
    ]);
  });

  it('29 February: a leap-day birthday is wished on 28 February in 2027 and on 29 February in 2028', async () => {
    const m = await addMember(a, { end: null, dateOfBirth: '1996-02-29' });
    await scan(a, istMorning('2027-02-28'));
    await scan(a, istMorning('2028-02-28'));
    await scan(a, istMorning('2028-02-29'));
    const rows = await notificationsOf(a, m.id);
    expect(rows.map((r) => [r.template, r.due_on])).toEqual([
      ['birthday_wish', '2027-02-28'],
      ['birthday_wish', '2028-02-29'],
    ]);
    expect(rows[0]?.data).toMatchObject({ name: m.name, gym_name: 'alpha Fitness' });
  });

  it("quiet hours: a welcome queued at 21:30 in London waits for 08:00 by the clock of the morning after it goes back", async () => {
    const m = await addMember(b, { end: null });
    // 21:30 BST on Saturday 24 October 2026; at 02:00 on Sunday the clocks go back to GMT.
    const id = await enqueue(b, m.id, 'welcome_member', new Date('2026-10-24T20:30:00Z'));
    const [row] = await notificationsOf(b, m.id);
    expect([row?.due_on, row?.send_after.toISOString()]).toEqual(['2026-10-24', '2026-10-25T08:00:00.000Z']);
    expect(await enqueue(b, m.id, 'welcome_member', new Date('2026-10-24T20:45:00Z'))).toBeNull();
    // A send attempted too early (07:59 GMT) waits again rather than waking the member.
    expect(await deliver(b, id as string, new Date('2026-10-25T07:59:00Z'))).toBe('deferred');
    expect((await notificationsOf(b, m.id))[0]?.status).toBe('queued');
    expect(await deliver(b, id as string, new Date('2026-10-25T08:00:00Z'))).toBe('simulated');
    const sent = (await notificationsOf(b, m.id))[0];
    expect([sent?.status, sent?.sent_on, sent?.provider, sent?.body]).toEqual(['simulated', '2026-10-25', 'simulated', `Welcome to beta Fitness! Download your member app: ${APP_URL}`]);
  });

  it('opt-out: a STOP through the signed webhook skips the member; START lets messages through again', async () => {
    const m = await addMember(a, { end: null });
    const first = await enqueue(a, m.id, 'welcome_member', new Date('2026-11-26T05:00:00Z'));
    expect((await webhook(inbound(m.phone, ' Stop '))).statusCode).toBe(200);
    expect(await deliver(a, first as string, new Date('2026-11-26T05:00:00Z'))).toBe('skipped');
    expect((await notificationsOf(a, m.id)).map((r) => [r.status, r.error])).toEqual([['skipped', 'The member replied STOP']]);

    expect((await webhook(inbound(m.phone, 'START'))).statusCode).toBe(200);
    const second = await enqueue(a, m.id, 'birthday_wish', new Date('2026-11-27T05:00:00Z'));
    expect(await deliver(a, second as string, new Date('2026-11-27T05:00:00Z'))).toBe('simulated');
  });

  it("quota: once the month's messages reach the plan's quota the rest are skipped, until the next month", async () => {
    await inGym(a, (trx) => trx.updateTable('gyms').set({ plan_limits: { max_members: 200, max_staff: 5, max_branches: 1, whatsapp_messages_per_month: 2 } }).execute());
    const outcomes = [];
    for (const day of ['2027-05-10', '2027-05-11', '2027-05-12']) {
      const m = await addMember(a, { end: null });
      const id = await enqueue(a, m.id, 'welcome_member', new Date(`${day}T05:00:00Z`));
      outcomes.push(await deliver(a, id as string, new Date(`${day}T05:00:00Z`)));
    }
    expect(outcomes).toEqual(['simulated', 'simulated', 'skipped']);
    const skipped = await inGym(a, (trx) => trx.selectFrom('notifications').select('error').where('status', '=', 'skipped').where('due_on', '=', '2027-05-12').executeTakeFirstOrThrow());
    expect(skipped.error).toBe('The monthly quota of 2 messages is used up');
    const june = await addMember(a, { end: null });
    const id = await enqueue(a, june.id, 'welcome_member', new Date('2027-06-01T05:00:00Z'));
    expect(await deliver(a, id as string, new Date('2027-06-01T05:00:00Z'))).toBe('simulated');
    await inGym(a, (trx) => trx.updateTable('gyms').set({ plan_limits: { max_members: 200, max_staff: 5, max_branches: 1, whatsapp_messages_per_month: 1000 } }).execute());
  });

  it('quota: sends running at once never pass it together, and a failed send gives its place back', async () => {
    await inGym(a, (trx) => trx.updateTable('gyms').set({ plan_limits: { max_members: 200, max_staff: 5, max_branches: 1, whatsapp_messages_per_month: 3 } }).execute());
    const at = new Date('2027-08-10T05:00:00Z');
    const queued = [];
    for (let i = 0; i < 6; i += 1) {
      const m = await addMember(a, { end: null });
      queued.push((await enqueue(a, m.id, 'welcome_member', at)) as string);
    }
    // The provider answers only once every send has been started, so all six are in flight together.
    let release = () => {};
    const started = new Set<string>();
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: MessageProvider = {
      name: 'simulated',
      send: async (message) => {
        started.add(message.to);
        await gate;
        return simulated.send(message);
      },
    };
    clock.now = at;
    const sends = queued.map((id) => deliverNotification(deps(slow), a.gymId, id));
    await expect.poll(() => started.size).toBe(3);
    release();
    expect((await Promise.all(sends)).sort()).toEqual(['simulated', 'simulated', 'simulated', 'skipped', 'skipped', 'skipped']);

    // A send the provider refuses holds no place: the next message may go out in its stead.
    await inGym(a, (trx) => trx.updateTable('gyms').set({ plan_limits: { max_members: 200, max_staff: 5, max_branches: 1, whatsapp_messages_per_month: 4 } }).execute());
    const refusing: MessageProvider = {
      name: 'simulated',
      send: async () => {
        throw new Error('provider down');
      },
    };
    const [first, second] = [await addMember(a, { end: null }), await addMember(a, { end: null })];
    const refused = (await enqueue(a, first.id, 'welcome_member', at)) as string;
    expect(await deliver(a, refused, at, refusing)).toBe('retrying');
    const next = (await enqueue(a, second.id, 'welcome_member', at)) as string;
    expect(await deliver(a, next, at)).toBe('simulated');
    await inGym(a, (trx) => trx.updateTable('gyms').set({ plan_limits: { max_members: 200, max_staff: 5, max_branches: 1, whatsapp_messages_per_month: 1000 } }).execute());
  });

  it("WhatsApp Cloud API: a template message in the Graph API's shape, then delivered and read from the signed status webhook", async () => {
    const provider = new WhatsAppCloudProvider({ accessToken: TOKEN, phoneNumberId: DEFAULT_NUMBER, apiUrl: fakeUrl });
    const m = await addMember(a, { end: '2027-03-08' });
    await scan(a, istMorning('2027-03-01'));
    const [row] = await notificationsOf(a, m.id);
    const before = fake.requests.length;
    expect(await deliver(a, row?.id as string, istMorning('2027-03-01'), provider)).toBe('sent');
    const request = fake.requests[before];
    expect([request?.method, request?.path, request?.headers.authorization, request?.headers['content-type']]).toEqual(['POST', '/PN-ALPHA/messages', `Bearer ${TOKEN}`, 'application/json']);
    const text = (t: string) => ({ type: 'text', text: t });
    expect(request?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: m.phone.slice(1),
      type: 'template',
      template: {
        name: 'renewal_reminder_7d',
        language: { code: 'en' },
        components: [{ type: 'body', parameters: [text(m.name), text('Monthly'), text('8 Mar 2027'), text(`${APP_URL}/renew`)] }],
      },
    });
    const sent = (await notificationsOf(a, m.id))[0];
    expect([sent?.status, sent?.provider, sent?.attempts, sent?.body]).toEqual(['sent', 'whatsapp_cloud', 1, `Hi ${m.name}, your Monthly membership expires on 8 Mar 2027. Renew now: ${APP_URL}/renew`]);
    const messageId = sent?.provider_message_id as string;
    expect(messageId).toMatch(/^wamid\./);

    const status = (s: string, timestamp: string) => whatsappEvent('PN-ALPHA', { statuses: [{ id: messageId, status: s, timestamp, recipient_id: m.phone.slice(1) }] });
    expect((await webhook(status('delivered', '1803000000'))).statusCode).toBe(200);
    expect((await notificationsOf(a, m.id))[0]?.status).toBe('delivered');
    expect((await webhook(status('read', '1803000060'))).statusCode).toBe(200);
    // A late `delivered` does not undo `read`.
    expect((await webhook(status('delivered', '1803000000'))).statusCode).toBe(200);
    const read = (await notificationsOf(a, m.id))[0];
    expect([read?.status, read?.delivered_at?.toISOString(), read?.read_at?.toISOString()]).toEqual(['read', new Date(1_803_000_000_000).toISOString(), new Date(1_803_000_060_000).toISOString()]);
  });

  it('a provider failing on every attempt is retried after 1, 5 and 15 minutes, then dead-lettered; owners see it and retry it', async () => {
    const provider = new WhatsAppCloudProvider({ accessToken: TOKEN, phoneNumberId: DEFAULT_NUMBER, apiUrl: fakeUrl });
    const m = await addMember(a, { end: null });
    const t0 = new Date('2027-03-02T05:00:00Z');
    const id = (await enqueue(a, m.id, 'welcome_member', t0)) as string;
    const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
    fake.failNext = 4;
    const trail = [];
    for (const at of [t0, minutes(1), minutes(6), minutes(21)]) {
      const outcome = await deliver(a, id, at, provider);
      const [row] = await notificationsOf(a, m.id);
      trail.push([outcome, row?.status, row?.attempts, row?.send_after.toISOString()]);
    }
    expect(trail).toEqual([
      ['retrying', 'failed', 1, minutes(1).toISOString()],
      ['retrying', 'failed', 2, minutes(6).toISOString()],
      ['retrying', 'failed', 3, minutes(21).toISOString()],
      ['dead', 'dead', 4, minutes(21).toISOString()],
    ]);
    expect((await notificationsOf(a, m.id))[0]?.error).toBe('Provider answered 500: Service temporarily unavailable');

    const listed = await call(app, a.tokens.owner, { method: 'GET', url: `/notifications?status=dead&memberId=${m.id}` });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().data.map((n: { id: string; status: string; attempts: number; memberName: string }) => [n.id, n.status, n.attempts, n.memberName])).toEqual([[id, 'dead', 4, m.name]]);
    expect(listed.json().meta).toEqual({ page: 1, perPage: 20, total: 1 });
    expect((await call(app, a.tokens.frontdesk, { method: 'GET', url: '/notifications' })).statusCode).toBe(403);

    const retried = await call(app, a.tokens.manager, { method: 'POST', url: `/notifications/${id}/retry` });
    expect(retried.statusCode, retried.body).toBe(200);
    expect([retried.json().data.status, retried.json().data.attempts]).toEqual(['queued', 0]);
    const audited = await inGym(a, (trx) => trx.selectFrom('audit_log').select(['actor_id', 'actor_role', 'old', 'new']).where('action', '=', 'notification.retry').where('entity_id', '=', id).execute());
    expect(audited).toEqual([{ actor_id: a.ids.manager, actor_role: 'manager', old: expect.objectContaining({ status: 'dead', attempts: 4 }), new: expect.objectContaining({ status: 'queued', attempts: 0 }) }]);
    expect((await call(app, a.tokens.manager, { method: 'POST', url: `/notifications/${id}/retry` })).statusCode).toBe(409);
    expect(await deliver(a, id, minutes(30), provider)).toBe('sent');
  });

  it('lists notifications by template, member and due-date range, newest first', async () => {
    const m = await addMember(a, { end: null });
    await enqueue(a, m.id, 'welcome_member', new Date('2027-07-01T05:00:00Z'));
    await enqueue(a, m.id, 'birthday_wish', new Date('2027-07-05T05:00:00Z'));
    const list = async (query: string) =>
      (await call(app, a.tokens.owner, { method: 'GET', url: `/notifications?memberId=${m.id}${query}` })).json().data.map((n: { template: string }) => n.template);
    expect(await list('')).toEqual(['birthday_wish', 'welcome_member']);
    expect(await list('&template=welcome_member')).toEqual(['welcome_member']);
    expect(await list('&from=2027-07-02&to=2027-07-31')).toEqual(['birthday_wish']);
    expect(await list('&to=2027-07-01')).toEqual(['welcome_member']);
    expect((await call(app, a.tokens.owner, { method: 'GET', url: '/notifications?status=lost' })).statusCode).toBe(400);
  });

  it("Gupshup: the adapter posts the template form Gupshup takes, naming the template by Gupshup's id for it", async () => {
    const gupshup = (templateIds: GupshupTemplateIds) => new GupshupProvider({ apiKey: TOKEN, appName: 'GymStackTest', source: '+919000000000', templateIds, apiUrl: fakeUrl });
    const provider = gupshup(gupshupTemplateIds);
    const m = await addMember(a, { end: null });
    const id = await enqueue(a, m.id, 'welcome_member', new Date('2027-03-03T05:00:00Z'));
    const before = fake.requests.length;
    expect(await deliver(a, id as string, new Date('2027-03-03T05:00:00Z'), provider)).toBe('sent');
    const request = fake.requests[before];
    expect([request?.path, request?.headers.apikey]).toEqual(['/wa/api/v1/template/msg', TOKEN]);
    expect(request?.body).toEqual({
      channel: 'whatsapp',
      source: '919000000000',
      destination: m.phone.slice(1),
      'src.name': 'GymStackTest',
      template: JSON.stringify({ id: gupshupTemplateIds.welcome_member, params: ['alpha Fitness', APP_URL] }),
    });
    expect((await notificationsOf(a, m.id)).map((r) => [r.provider, r.provider_message_id])).toEqual([['gupshup', expect.stringMatching(/^gs-/)]]);

    // Gupshup knows no template by our name for it.
    const byName = gupshup({ ...gupshupTemplateIds, welcome_member: 'welcome_member' });
    const other = await addMember(a, { end: null });
    const refused = (await enqueue(a, other.id, 'welcome_member', new Date('2027-03-03T05:00:00Z'))) as string;
    expect(await deliver(a, refused, new Date('2027-03-03T05:00:00Z'), byName)).toBe('retrying');
    expect((await notificationsOf(a, other.id)).map((r) => [r.status, r.error])).toEqual([['failed', 'Provider answered 400: Template not found']]);
  });

  it("the webhook refuses a bad signature and answers Meta's verify handshake", async () => {
    const m = await addMember(a, { end: null });
    const forged = await webhook(inbound(m.phone, 'STOP'), `sha256=${'0'.repeat(64)}`);
    expect([forged.statusCode, forged.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const optOuts = await inGym(a, (trx) => trx.selectFrom('notification_opt_outs').select('phone').where('phone', '=', m.phone).execute());
    expect(optOuts).toEqual([]);
    const unknownNumber = await webhook(whatsappEvent('PN-NOBODY', { statuses: [] }));
    expect(unknownNumber.json().data).toEqual({ unknownPhoneNumberIds: ['PN-NOBODY'] });

    const handshake = (token: string) => app.inject({ method: 'GET', url: `/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444` });
    const good = await handshake(VERIFY_TOKEN);
    expect([good.statusCode, good.body]).toEqual([200, '1158201444']);
    expect((await handshake('wrong')).statusCode).toBe(403);
  });

  it("the cloud's default number: a status finds its gym by the message, STOP and START the gyms sending from it with a member on the phone", async () => {
    // A gym with no number of its own sends from the cloud's.
    const seed = await seedGym(w.t.api, 'gamma');
    const gamma: Tenant = { seed, gymId: seed.scope.gymId };
    await inGym(gamma, (trx) => trx.updateTable('notification_settings').set({ whatsapp_phone_number_id: null }).execute());
    const provider = new WhatsAppCloudProvider({ accessToken: TOKEN, phoneNumberId: DEFAULT_NUMBER, apiUrl: fakeUrl });
    const at = new Date('2027-09-01T05:00:00Z');
    const rowOf = async (id: string) => (await notificationsOf(gamma, seed.memberId)).find((row) => row.id === id);
    const sent = async (template: TemplateName) => {
      const id = (await enqueue(gamma, seed.memberId, template, at)) as string;
      const before = fake.requests.length;
      expect(await deliver(gamma, id, at, provider)).toBe('sent');
      expect(fake.requests[before]?.path).toBe(`/${DEFAULT_NUMBER}/messages`);
      return { id, messageId: (await rowOf(id))?.provider_message_id as string };
    };
    const status = (phoneNumberId: string, messageId: string, value: string, errors?: object[]) =>
      whatsappEvent(phoneNumberId, { statuses: [{ id: messageId, status: value, timestamp: '1820000000', recipient_id: SHARED_PHONE.slice(1), ...(errors ? { errors } : {}) }] });
    const reply = (phoneNumberId: string, text: string) =>
      whatsappEvent(phoneNumberId, { messages: [{ from: SHARED_PHONE.slice(1), id: `wamid.in.default.${text}`, timestamp: '1820000000', type: 'text', text: { body: text } }] });
    const optedOut = (gym: Tenant) => inGym(gym, async (trx) => (await trx.selectFrom('notification_opt_outs').select('phone').where('phone', '=', SHARED_PHONE).execute()).length > 0);
    const optedOutIn = () => Promise.all([gamma, a, b].map(optedOut));

    // A number that is neither a gym's nor the cloud's changes nothing; the cloud's moves the message.
    const welcome = await sent('welcome_member');
    expect((await webhook(status('PN-NOBODY', welcome.messageId, 'delivered'))).json().data).toEqual({ unknownPhoneNumberIds: ['PN-NOBODY'] });
    expect((await rowOf(welcome.id))?.status).toBe('sent');
    expect((await webhook(status(DEFAULT_NUMBER, welcome.messageId, 'delivered'))).json().data).toEqual({ unknownPhoneNumberIds: [] });
    const delivered = await rowOf(welcome.id);
    expect([delivered?.status, delivered?.delivered_at?.toISOString()]).toEqual(['delivered', new Date(1_820_000_000_000).toISOString()]);

    // A failed one is retried a minute after the webhook came in (the real clock), like a failed send.
    const birthday = await sent('birthday_wish');
    const from = Date.now();
    expect((await webhook(status(DEFAULT_NUMBER, birthday.messageId, 'failed', [{ code: 131026, title: 'Message undeliverable' }]))).statusCode).toBe(200);
    const failed = await rowOf(birthday.id);
    expect([failed?.status, failed?.attempts, failed?.error]).toEqual(['failed', 1, 'Message undeliverable']);
    expect(Math.round(((failed?.send_after.getTime() ?? 0) - from) / 60_000)).toBe(1);

    // The member's STOP reaches the gyms that send from the cloud's number with them on that phone (gamma),
    // not those with a number of their own (a and b); START undoes it.
    expect((await webhook(reply('PN-NOBODY', 'STOP'))).statusCode).toBe(200);
    expect(await optedOutIn()).toEqual([false, false, false]);
    expect((await webhook(reply(DEFAULT_NUMBER, 'STOP'))).statusCode).toBe(200);
    expect(await optedOutIn()).toEqual([true, false, false]);
    const next = new Date('2027-09-02T05:00:00Z');
    const skipped = (await enqueue(gamma, seed.memberId, 'birthday_wish', next)) as string;
    expect(await deliver(gamma, skipped, next, provider)).toBe('skipped');
    expect((await webhook(reply(DEFAULT_NUMBER, 'START'))).statusCode).toBe(200);
    expect(await optedOutIn()).toEqual([false, false, false]);
  });

  it('welcomes a member enrolled through the API, and their erasure takes the message\'s personal data', async () => {
    const enrolled = await call(app, a.tokens.owner, { method: 'POST', url: '/members', body: { fullName: 'Welcome Member', phone: '+919811199999' } });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const memberId = enrolled.json().data.id as string;
    const [welcome] = await notificationsOf(a, memberId);
    expect([welcome?.template, welcome?.status, welcome?.data]).toEqual(['welcome_member', 'queued', { name: 'Welcome Member', gym_name: 'alpha Fitness' }]);

    expect((await call(app, a.tokens.owner, { method: 'POST', url: `/members/${memberId}/erase` })).statusCode).toBeLessThan(300);
    const [erased] = await notificationsOf(a, memberId);
    expect([erased?.status, erased?.data, erased?.error]).toEqual(['cancelled', {}, 'The member was erased']);
  });

  it('quiet hours are the gym\'s to configure, and a WhatsApp number belongs to one gym', async () => {
    const put = (token: string, body: object) => call(app, token, { method: 'PUT', url: '/notification-settings', body });
    const changed = await put(b.tokens.owner, { quietStart: '22:00', quietEnd: '07:00' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().data).toEqual({ quietStart: '22:00', quietEnd: '07:00', whatsappPhoneNumberId: 'PN-beta', language: 'en' });
    expect((await put(b.tokens.manager, { quietStart: '23:00' })).statusCode).toBe(403);
    const taken = await put(b.tokens.owner, { whatsappPhoneNumberId: 'PN-ALPHA' });
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'CONFLICT']);

    const m = await addMember(b, { end: null });
    await enqueue(b, m.id, 'welcome_member', new Date('2026-12-01T21:30:00Z'));
    await enqueue(b, m.id, 'birthday_wish', new Date('2026-12-01T22:30:00Z'));
    expect((await notificationsOf(b, m.id)).map((r) => [r.template, r.send_after.toISOString()])).toEqual([
      ['welcome_member', '2026-12-01T21:30:00.000Z'],
      ['birthday_wish', '2026-12-02T07:00:00.000Z'],
    ]);
    expect((await put(b.tokens.owner, { quietStart: '21:00', quietEnd: '08:00' })).statusCode).toBe(200);
  });

  it('scans a batch a few gyms at a time; a gym that fails is reported, and the others are scanned all the same', async () => {
    const inA = await addMember(a, { end: '2027-05-08' });
    const inB = await addMember(b, { end: '2027-05-08' });
    clock.now = istMorning('2027-05-01');
    const jobs = new NotificationJobs({ ...deps(), ownerUrl: w.t.urls.owner });
    const gone = uuid(); // a gym deleted since its scan was queued: its scope shows no gym
    const day = '2027-05-01';
    const failed = await jobs.scanAll([{ gymId: a.gymId, localDate: day }, { gymId: gone, localDate: day }, { gymId: b.gymId, localDate: day }]);
    expect(failed.map((f) => f.index)).toEqual([1]);
    expect((await notificationsOf(a, inA.id)).map((n) => n.template)).toEqual(['renewal_reminder_7d']);
    expect((await notificationsOf(b, inB.id)).map((n) => n.template)).toEqual(['renewal_reminder_7d']);
  });

  it('on pg-boss: the tick queues the scan of a gym whose morning came, the scan job queues reminders, and send jobs deliver them', async () => {
    const m = await addMember(a, { end: '2027-04-08' });
    clock.now = istMorning('2027-04-01');
    const jobs = new NotificationJobs({ ...deps(), ownerUrl: w.t.urls.owner, pollingIntervalSeconds: 0.5 });
    const metricsApp = await buildApp({ db: w.t.api, pool: w.t.apiPool, auth: testAuth(), jobs, routes: { tenant: [] } });
    await jobs.start(app.log);
    try {
      const statusOf = async () => (await notificationsOf(a, m.id))[0]?.status;
      await jobs.tick();
      await eventually(async () => (await statusOf()) === 'queued');
      await jobs.tick();
      await eventually(async () => (await statusOf()) === 'simulated');
      const depth = await jobs.queueDepth();
      expect(Object.keys(depth).sort()).toEqual(['notification-scan', 'notification-send', 'notification-tick']);
      const metrics = await metricsApp.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/^gymstack_job_queue_depth\{queue="notification-send"\} \d+$/m);
    } finally {
      await jobs.stop();
      await metricsApp.close();
    }
  });

  it('on pg-boss: a scan that fails goes back for a retry alone, and the rest of its batch completes', async () => {
    clock.now = istMorning('2027-04-02');
    const jobs = new NotificationJobs({ ...deps(), ownerUrl: w.t.urls.owner, pollingIntervalSeconds: 0.5 });
    await jobs.start(app.log);
    // Another client of the same queues, as a second cloud process would be.
    const client = new PgBoss({ connectionString: w.t.urls.owner, supervise: false, schedule: false, migrate: false });
    await client.start();
    try {
      const good = uuid();
      const bad = uuid();
      // One insert, so one fetch hands the worker both: a gym's scan, and one of a gym that does not exist
      // (each with a key of its own: the scan queue keeps one job a key).
      await client.insert([
        { name: QUEUES.scan, id: good, data: { gymId: b.gymId, localDate: '2027-04-02' }, singletonKey: good },
        { name: QUEUES.scan, id: bad, data: { gymId: uuid(), localDate: '2027-04-02' }, singletonKey: bad },
      ]);
      const states = async () => {
        const { rows } = await sql<{ id: string; state: string }>`select id::text, state::text from pgboss.job where id in (${good}::uuid, ${bad}::uuid)`.execute(w.t.owner);
        return Object.fromEntries(rows.map((r) => [r.id, r.state]));
      };
      await eventually(async () => (await states())[good] === 'completed');
      expect(await states()).toEqual({ [good]: 'completed', [bad]: 'retry' });
    } finally {
      await client.stop({ graceful: false });
      await jobs.stop();
    }
  });
});

/** Polls `condition` until it holds; fails after 20 s so a broken worker cannot hang the suite. */
async function eventually(condition: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition never held');
}
