import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectAsync, type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import { ErrorCode, errors } from '@gymstack/shared';
import { MqttDoorRelay } from '../door/mqtt-door-relay.js';
import { MqttDoorController } from '../door/simulator/mqtt-door-controller.js';
import type { DoorState } from '../door/door-relay.js';
import { bridgeAcl, deskAcl, doorControllerAcl } from './acl.js';
import { DeskLink, type DeskLinkOptions, type IdentifyHandler } from './desk-link.js';
import type { BridgeResult, CheckinMessage } from './messages.js';
import { startTestBroker, uniqueScope, type TestBroker } from './test-broker.js';
import { branchTopics } from './topics.js';

const scope = uniqueScope();
const t = branchTopics(scope);
const doorId = 'front';

const checkin: CheckinMessage = {
  id: '01936b2e-7c4a-7b3e-9f1a-2b3c4d5e6f70',
  memberId: '01936b2e-7c4a-7b3e-9f1a-2b3c4d5e6f71',
  memberCode: 'GS1001',
  memberName: 'Asha Rao',
  verdict: 'allow',
  reason: null,
  method: 'card',
  at: '2026-11-24T06:30:00.000Z',
  deviceId: 'desk-1',
};

function messages(client: MqttClient): IPublishPacket[] {
  const seen: IPublishPacket[] = [];
  client.on('message', (_topic, _payload, packet) => seen.push(packet));
  return seen;
}

/** The next message on `topic`; listening starts before `trigger` runs. */
async function nextMessage(client: MqttClient, topic: string, trigger: () => unknown = () => undefined): Promise<IPublishPacket> {
  const arrived = new Promise<IPublishPacket>((resolve) => {
    const listener = (received: string, _payload: Buffer, packet: IPublishPacket) => {
      if (received !== topic) return;
      client.off('message', listener);
      resolve(packet);
    };
    client.on('message', listener);
  });
  await trigger();
  return arrived;
}

const sentPublishes = (client: MqttClient, topic: string): IPublishPacket[] => {
  const sent: IPublishPacket[] = [];
  client.on('packetsend', (packet: Packet) => {
    if (packet.cmd === 'publish' && packet.topic === topic) sent.push(packet);
  });
  return sent;
};

describe(`DeskLink (${process.env.MQTT_URL ? 'external broker' : 'embedded aedes'})`, () => {
  let broker: TestBroker;
  const cleanup: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
    await broker.close([t.deviceStatus('desk-1'), t.deviceStatus('ctl-1'), t.deviceStatus('pc-1')]);
  });

  async function setUp(): Promise<void> {
    broker = await startTestBroker({
      desk: deskAcl(scope),
      watcher: deskAcl(scope),
      'pc-1': bridgeAcl(scope, 'pc-1'),
      'ctl-1': doorControllerAcl(scope, 'ctl-1', [doorId]),
    });
  }

  async function link(options: Partial<DeskLinkOptions> = {}): Promise<DeskLink> {
    const desk = await DeskLink.connect({ url: broker.url, ...broker.login('desk'), scope, deskId: 'desk-1', ...options });
    cleanup.push(() => desk.close());
    return desk;
  }

  async function client(username: string): Promise<MqttClient> {
    const c = await connectAsync(broker.url, { ...broker.login(username), clientId: `${username}-${randomUUID()}`, reconnectPeriod: 0 });
    cleanup.push(() => c.endAsync(true));
    return c;
  }

  it('keeps a retained online presence, and the broker says offline when the socket dies', async () => {
    await setUp();
    const desk = await link({ clientOptions: { reconnectPeriod: 0 } });
    const watcher = await client('watcher');
    const retained = await nextMessage(watcher, t.deviceStatus('desk-1'), () => watcher.subscribeAsync(t.deviceStatus('desk-1'), { qos: 1 }));
    expect([retained.payload.toString(), retained.retain]).toEqual(['online', true]);

    const will = await nextMessage(watcher, t.deviceStatus('desk-1'), () => (desk.client.stream as Socket).destroy());
    expect(will.payload.toString()).toBe('offline');

    const late = await client('watcher');
    const stored = await nextMessage(late, t.deviceStatus('desk-1'), () => late.subscribeAsync(t.deviceStatus('desk-1'), { qos: 1 }));
    expect([stored.payload.toString(), stored.retain]).toEqual(['offline', true]);
  });

  it('says offline itself on a clean close', async () => {
    await setUp();
    const desk = await DeskLink.connect({ url: broker.url, ...broker.login('desk'), scope, deskId: 'desk-1' });
    await desk.close();
    const late = await client('watcher');
    const stored = await nextMessage(late, t.deviceStatus('desk-1'), () => late.subscribeAsync(t.deviceStatus('desk-1'), { qos: 1 }));
    expect(stored.payload.toString()).toBe('offline');
  });

  it('publishes each check-in verdict at QoS 1', async () => {
    await setUp();
    const desk = await link();
    const sent = sentPublishes(desk.client, t.checkins);
    const watcher = await client('watcher');
    await watcher.subscribeAsync(t.checkins, { qos: 1 });
    const received = await nextMessage(watcher, t.checkins, () => desk.publishCheckin(checkin));
    expect(JSON.parse(received.payload.toString())).toEqual(checkin);
    expect(received.qos).toBe(1);
    expect(sent.map((p) => [p.qos, p.retain])).toEqual([[1, false]]);
  });

  it('refuses a check-in that does not fit the schema', async () => {
    await setUp();
    const desk = await link();
    await expect(desk.publishCheckin({ ...checkin, verdict: 'maybe' } as unknown as CheckinMessage)).rejects.toThrow();
  });

  it('sends a door command at QoS 1, not retained, with a fresh request id, and resolves on the ack', async () => {
    await setUp();
    const desk = await link();
    const sent = sentPublishes(desk.client, t.doorCommand(doorId));
    const controller = await MqttDoorController.start({ url: broker.url, ...broker.login('ctl-1'), scope, deviceId: 'ctl-1', doorId });
    cleanup.push(() => controller.stop());

    const first = await desk.commandDoor(doorId, { action: 'pulse', ms: 400 });
    const second = await desk.commandDoor(doorId, { action: 'pulse', ms: 400 });
    expect(controller.commands).toEqual([
      { requestId: first.requestId, action: 'pulse', ms: 400 },
      { requestId: second.requestId, action: 'pulse', ms: 400 },
    ]);
    expect(first).toMatchObject({ door: 'open', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(second.requestId).not.toBe(first.requestId);
    expect(sent.map((p) => [p.qos, p.retain])).toEqual([
      [1, false],
      [1, false],
    ]);

    // Nothing retained: a late subscriber gets only what is published after it subscribed.
    const late = await client('watcher');
    const seen = messages(late);
    await late.subscribeAsync(t.doorCommand(doorId), { qos: 1 });
    await nextMessage(late, t.doorCommand(doorId), () => late.publishAsync(t.doorCommand(doorId), 'marker', { qos: 1 }));
    expect(seen.map((p) => p.payload.toString())).toEqual(['marker']);
  });

  it('times a door command out with DEVICE_TIMEOUT when no controller acks', async () => {
    await setUp();
    const desk = await link({ commandTimeoutMs: 300 });
    await expect(desk.commandDoor(doorId, { action: 'pulse', ms: 1000 })).rejects.toMatchObject({ code: ErrorCode.DeviceTimeout });
  });

  it('drives a LAN door controller as a DoorRelay: door state and presence', async () => {
    await setUp();
    const desk = await link();
    const controller = await MqttDoorController.start({ url: broker.url, ...broker.login('ctl-1'), scope, deviceId: 'ctl-1', doorId });
    cleanup.push(() => controller.stop());
    const relay = new MqttDoorRelay({ id: doorId, link: desk, controllerId: 'ctl-1' });
    const doors: DoorState[] = [];
    relay.onDoor((d) => doors.push(d));
    const connected = new Promise<void>((resolve) => relay.onStatus((s) => s.state === 'connected' && resolve()));
    await relay.open();
    await connected;
    expect(controller.commands).toEqual([]);

    const closed = new Promise<void>((resolve) => relay.onDoor((d) => d === 'closed' && resolve()));
    await relay.pulse(300);
    await closed;
    expect(doors).toEqual(['open', 'closed']);

    const offline = new Promise<void>((resolve) => relay.onStatus((s) => s.state === 'disconnected' && resolve()));
    controller.cutPower();
    await offline;
    expect(relay.status.error?.code).toBe(ErrorCode.DeviceNotFound);
  });

  describe('bridge identify', () => {
    async function bridgeAndDesk(handler: IdentifyHandler) {
      await setUp();
      const desk = await link();
      await desk.serveBridges(handler);
      const bridge = await client('pc-1');
      await bridge.subscribeAsync(t.bridgeResult('pc-1'), { qos: 1 });
      const ask = async (payload: string): Promise<BridgeResult> => {
        const packet = await nextMessage(bridge, t.bridgeResult('pc-1'), () => bridge.publishAsync(t.bridgeIdentify('pc-1'), payload, { qos: 1 }));
        return JSON.parse(packet.payload.toString()) as BridgeResult;
      };
      return { ask };
    }

    it('hands a valid identify to the desk and answers with its check-in', async () => {
      const handler = vi.fn<IdentifyHandler>(async () => checkin);
      const { ask } = await bridgeAndDesk(handler);
      const requestId = randomUUID();
      const result = await ask(JSON.stringify({ requestId, credential: { kind: 'card', value: 'ab12cd34' } }));
      expect(handler).toHaveBeenCalledWith('pc-1', { requestId, credential: { kind: 'card', value: 'AB12CD34' } });
      expect(result).toEqual({ requestId, ok: true, checkin });
    });

    it('checks a redelivered request id in only once', async () => {
      const handler = vi.fn<IdentifyHandler>(async () => checkin);
      const { ask } = await bridgeAndDesk(handler);
      const body = JSON.stringify({ requestId: randomUUID(), memberId: checkin.memberId });
      const first = await ask(body);
      const again = await ask(body);
      expect(again).toEqual(first);
      expect(handler).toHaveBeenCalledTimes(1);
    });

    it('rejects bad payloads with a reason and keeps serving', async () => {
      const handler = vi.fn<IdentifyHandler>(async () => checkin);
      const { ask } = await bridgeAndDesk(handler);
      const requestId = randomUUID();
      expect(await ask('not json')).toMatchObject({ requestId: null, ok: false, error: { code: ErrorCode.ValidationError, message: expect.stringContaining('Not JSON') } });
      expect(await ask(JSON.stringify({ requestId, credential: { kind: 'iris', value: 'x' } }))).toMatchObject({
        requestId,
        ok: false,
        error: { code: ErrorCode.ValidationError },
      });
      expect(await ask(JSON.stringify({ requestId, memberId: checkin.memberId, credential: { kind: 'qr', value: 'x' } }))).toMatchObject({ ok: false });
      expect(handler).not.toHaveBeenCalled();
      expect(await ask(JSON.stringify({ requestId: randomUUID(), memberId: checkin.memberId }))).toMatchObject({ ok: true });
    });

    it("passes the desk's refusal back to the bridge", async () => {
      const { ask } = await bridgeAndDesk(async () => {
        throw errors.notFound('Member');
      });
      const requestId = randomUUID();
      expect(await ask(JSON.stringify({ requestId, memberId: checkin.memberId }))).toEqual({
        requestId,
        ok: false,
        error: { code: ErrorCode.NotFound, message: 'Member not found' },
      });
    });
  });
});

