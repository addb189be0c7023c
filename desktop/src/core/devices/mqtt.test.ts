import { type MqttClient, connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestDesk, createTestDesk } from '../testing/desk.js';

/**
 * The desk's MQTT side end to end: its embedded broker with a login made at the desk for each LAN
 * device, every verdict on `checkins`, and a bridge PC's identify turned into a check-in.
 */
let desk: TestDesk;
const clients: MqttClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.endAsync(true);
  await desk.close();
});

async function open() {
  desk = await createTestDesk({ devices: { fingerprint: { kind: 'simulator' }, mqtt: { kind: 'embedded', host: '127.0.0.1', port: 0 } } });
  await expect.poll(async () => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'mqtt')?.state).toBe('connected');
}

/** A LAN device logging in with the credentials the desk made for it. */
async function connectAs(kind: 'monitor' | 'bridge', deviceId: string): Promise<MqttClient> {
  await desk.loginAs('manager');
  const login = await desk.core.call('devices/mqttLogin', { kind, deviceId });
  await expect.poll(async () => (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'mqtt')?.state).toBe('connected');
  const label = (await desk.core.call('devices/list', {})).devices.find((d) => d.device === 'mqtt')?.label ?? '';
  const port = /:(\d+)$/.exec(label)?.[1];
  const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { ...login, clientId: `${kind}-${deviceId}`, reconnectPeriod: 0 });
  clients.push(client);
  return client;
}

function nextMessage(client: MqttClient, topic: string): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      client.off('message', onMessage);
      resolve(JSON.parse(payload.toString()) as unknown);
    };
    client.on('message', onMessage);
  });
}

describe('the desk on MQTT', () => {
  it('publishes every verdict on the branch checkins topic, which a monitor login may read', async () => {
    await open();
    const monitor = await connectAs('monitor', 'lobby-screen');
    const { gym, branch } = await desk.core.call('desk/info', {});
    const topic = `gymstack/${gym.id}/${branch.id}/checkins`;
    await monitor.subscribeAsync(topic, { qos: 1 });
    const member = await desk.memberWithMembership('active');
    const message = nextMessage(monitor, topic);
    const { checkin } = await desk.core.call('checkins/create', { method: 'manual', memberId: member.id });
    expect(await message).toMatchObject({ id: checkin.id, memberId: member.id, memberCode: member.code, verdict: 'allow', method: 'manual' });
  });

  it('turns a bridge PC’s identify into a check-in by the same rules, and answers it', async () => {
    await open();
    const bridge = await connectAs('bridge', 'pc-2');
    const { gym, branch } = await desk.core.call('desk/info', {});
    const root = `gymstack/${gym.id}/${branch.id}/bridges/pc-2`;
    await bridge.subscribeAsync(`${root}/result`, { qos: 1 });
    const member = await desk.memberWithMembership('active');

    let result = nextMessage(bridge, `${root}/result`);
    await bridge.publishAsync(`${root}/identify`, JSON.stringify({ requestId: crypto.randomUUID(), memberId: member.id }), { qos: 1 });
    expect(await result).toMatchObject({ ok: true, checkin: { memberId: member.id, verdict: 'allow' } });

    // Straight back in: the anti-passback rule applies to a bridge as to the desk.
    result = nextMessage(bridge, `${root}/result`);
    await bridge.publishAsync(`${root}/identify`, JSON.stringify({ requestId: crypto.randomUUID(), memberId: member.id }), { qos: 1 });
    expect(await result).toMatchObject({ ok: true, checkin: { memberId: member.id, verdict: 'deny', reason: 'ANTI_PASSBACK' } });

    result = nextMessage(bridge, `${root}/result`);
    await bridge.publishAsync(`${root}/identify`, 'not json', { qos: 1 });
    expect(await result).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(desk.count('checkins')).toBe(2);
  });

  it('refuses a bridge that publishes as another bridge', async () => {
    await open();
    const bridge = await connectAs('bridge', 'pc-2');
    const { gym, branch } = await desk.core.call('desk/info', {});
    const closed = new Promise<void>((resolve) => bridge.once('close', () => resolve()));
    // The broker drops the publish and the connection: no PUBACK ever comes, so it is not awaited.
    void bridge.publishAsync(`gymstack/${gym.id}/${branch.id}/bridges/pc-3/identify`, JSON.stringify({ requestId: crypto.randomUUID(), memberId: crypto.randomUUID() }), { qos: 1 }).catch(() => undefined);
    await closed;
    expect(desk.count('checkins')).toBe(0);
  });
});
