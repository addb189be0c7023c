import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { ErrorCode } from '@gymstack/shared';
import { bridgeAcl, deskAcl } from './acl.js';
import { EmbeddedBroker, hashBrokerPassword, type BrokerRefusal } from './broker.js';
import { branchTopics } from './topics.js';

const scope = { gymId: 'g1', branchId: 'b1' };
const t = branchTopics(scope);

// The broker's own rules, so always the embedded one (Mosquitto has its own auth).
describe('EmbeddedBroker', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function start(): Promise<{ broker: EmbeddedBroker; refusals: BrokerRefusal[] }> {
    const refusals: BrokerRefusal[] = [];
    const broker = await EmbeddedBroker.start({
      host: '127.0.0.1',
      port: 0,
      users: [
        { username: 'desk', password: 'desk-secret', acl: deskAcl(scope) },
        { username: 'pc-1', passwordHash: await hashBrokerPassword('bridge-secret'), acl: bridgeAcl(scope, 'pc-1') },
      ],
      onRefusal: (r) => refusals.push(r),
    });
    cleanup.push(() => broker.close());
    return { broker, refusals };
  }

  async function connect(broker: EmbeddedBroker, username: string, password: string, clientId = `${username}-${Math.random()}`): Promise<MqttClient> {
    const client = await connectAsync(broker.localUrl, { username, password, clientId, reconnectPeriod: 0 });
    cleanup.push(() => client.endAsync(true));
    return client;
  }

  it('accepts the right password and refuses a wrong one or an unknown user', async () => {
    const { broker, refusals } = await start();
    const desk = await connect(broker, 'desk', 'desk-secret');
    expect(desk.connected).toBe(true);
    await expect(connectAsync(broker.localUrl, { username: 'desk', password: 'wrong', reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/i);
    await expect(connectAsync(broker.localUrl, { username: 'nobody', password: 'desk-secret', reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/i);
    await expect(connectAsync(broker.localUrl, { reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/i);
    expect(broker.refusals.connect).toBe(3);
    expect(refusals.map((r) => [r.kind, r.username])).toEqual([
      ['connect', 'desk'],
      ['connect', 'nobody'],
      ['connect', null],
    ]);
  });

  it('drops a bridge publish outside its ACL before any subscriber sees it, and passes its own', async () => {
    const { broker, refusals } = await start();
    const desk = await connect(broker, 'desk', 'desk-secret');
    const seen: string[] = [];
    desk.on('message', (topic) => seen.push(topic));
    await desk.subscribeAsync(t.all, { qos: 1 });

    for (const forbidden of [t.bridgeIdentify('pc-2'), t.checkins]) {
      const bridge = await connect(broker, 'pc-1', 'bridge-secret');
      const closed = new Promise<void>((resolve) => bridge.once('close', () => resolve()));
      bridge.publish(forbidden, '{}', { qos: 0 });
      await closed;
    }
    const bridge = await connect(broker, 'pc-1', 'bridge-secret');
    const arrived = new Promise((resolve) => desk.once('message', resolve));
    await bridge.publishAsync(t.bridgeIdentify('pc-1'), '{}', { qos: 1 });
    await arrived;

    expect(seen).toEqual([t.bridgeIdentify('pc-1')]);
    expect(broker.refusals.publish).toBe(2);
    expect(refusals.map((r) => r.topic)).toEqual([t.bridgeIdentify('pc-2'), t.checkins]);
  });

  it('answers a subscribe outside the ACL with 0x80 and keeps the client connected', async () => {
    const { broker } = await start();
    const bridge = await connect(broker, 'pc-1', 'bridge-secret');
    await expect(bridge.subscribeAsync([t.checkins, t.bridgeResult('pc-1')], { qos: 1 })).rejects.toMatchObject({ packet: { granted: [128, 1] } });
    expect(bridge.connected).toBe(true);
    expect(broker.refusals.subscribe).toBe(1);
  });

  it('refuses a second user taking over a connected client id', async () => {
    const { broker } = await start();
    const desk = await connect(broker, 'desk', 'desk-secret', 'desk-main');
    await expect(connectAsync(broker.localUrl, { username: 'pc-1', password: 'bridge-secret', clientId: 'desk-main', reconnectPeriod: 0 })).rejects.toThrow(
      /Identifier rejected/i,
    );
    expect(desk.connected).toBe(true);
  });

  it('takes only argon2id hashes', async () => {
    const { broker } = await start();
    await expect(broker.setUser({ username: 'x', passwordHash: '$2b$10$abcdefghijklmnopqrstuv', acl: deskAcl(scope) })).rejects.toMatchObject({
      code: ErrorCode.ValidationError,
    });
  });

  it('shuts a removed user out on the next connect', async () => {
    const { broker } = await start();
    broker.removeUser('pc-1');
    await expect(connectAsync(broker.localUrl, { username: 'pc-1', password: 'bridge-secret', reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/i);
  });
});
