import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { ErrorCode } from '@gymstack/shared';
import { controllerOf, mergeAcls, shellyAcl, tasmotaAcl } from '../mqtt/acl.js';
import { startTestBroker, type TestBroker } from '../mqtt/test-broker.js';
import type { DeviceState } from '../device.js';
import type { DoorRelay, DoorState } from './door-relay.js';
import { ShellyRelay } from './shelly-relay.js';
import { ShellyDevice } from './simulator/shelly-device.js';
import { TasmotaDevice } from './simulator/tasmota-device.js';
import { tasmotaPulseMs, tasmotaPulseTime, TasmotaRelay } from './tasmota-relay.js';

const suffix = randomUUID().slice(0, 8);
const tasmotaTopic = `door-${suffix}`;
const ghostTopic = `ghost-${suffix}`;
const shellyPrefix = `shellyplus1-${suffix}`;
const ghostPrefix = `shellyghost-${suffix}`;
const deskSrc = `gymstack-desk-${suffix}`;

const whenStatus = (relay: DoorRelay, state: DeviceState) =>
  new Promise<void>((resolve) => {
    if (relay.status.state === state) resolve();
    relay.onStatus((s) => s.state === state && resolve());
  });
/** Resolves once the door has gone through `doors` (from now on), in order. */
const whenDoors = (relay: DoorRelay, doors: DoorState[]) =>
  new Promise<void>((resolve) => {
    const seen: DoorState[] = [];
    relay.onDoor((d) => {
      seen.push(d);
      if (seen.join() === doors.join()) resolve();
    });
  });
/** Resolves once the relay knows where the door is. */
const whenDoorKnown = (relay: DoorRelay) => new Promise<void>((resolve) => (relay.door !== 'unknown' ? resolve() : relay.onDoor(() => resolve())));

describe('Tasmota PulseTime', () => {
  it('converts milliseconds to PulseTime and back', () => {
    expect([100, 500, 3000, 11_100, 11_500, 12_000, 30_000].map(tasmotaPulseTime)).toEqual([1, 5, 30, 111, 112, 112, 130]);
    expect([5, 111, 112, 130].map(tasmotaPulseMs)).toEqual([500, 11_100, 12_000, 30_000]);
  });
});

describe(`MQTT relays (${process.env.MQTT_URL ? 'external broker' : 'embedded aedes'})`, () => {
  let broker: TestBroker;
  let desk: MqttClient;
  const cleanup: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
    await desk.endAsync();
    await broker.close([`tele/${tasmotaTopic}/LWT`, `${shellyPrefix}/online`]);
  });

  async function setUp(): Promise<void> {
    broker = await startTestBroker({
      desk: mergeAcls(...[tasmotaAcl(tasmotaTopic), tasmotaAcl(ghostTopic), shellyAcl(shellyPrefix, deskSrc), shellyAcl(ghostPrefix, deskSrc)].map(controllerOf)),
      tasmota: tasmotaAcl(tasmotaTopic),
      shelly: shellyAcl(shellyPrefix, deskSrc),
    });
    desk = await connectAsync(broker.url, { ...broker.login('desk'), clientId: deskSrc, reconnectPeriod: 0 });
  }

  async function track<T extends DoorRelay>(relay: T): Promise<T> {
    await relay.open();
    cleanup.push(() => relay.close());
    return relay;
  }

  describe('Tasmota', () => {
    async function tasmota(): Promise<TasmotaDevice> {
      const device = await TasmotaDevice.start({ url: broker.url, ...broker.login('tasmota'), topic: tasmotaTopic });
      cleanup.push(() => device.stop());
      return device;
    }

    it('only asks for the relay state when it comes online, never switching it', async () => {
      await setUp();
      const device = await tasmota();
      const relay = await track(new TasmotaRelay({ id: 'front', client: desk, topic: tasmotaTopic }));
      await whenStatus(relay, 'connected');
      await whenDoorKnown(relay);
      expect(device.commands).toEqual([{ command: 'POWER', payload: '' }]);
      expect(device.isOn()).toBe(false);
      expect(relay.door).toBe('closed');
    });

    it('sets PulseTime before POWER ON and follows stat/POWER until the device switches off', async () => {
      await setUp();
      const device = await tasmota();
      const relay = await track(new TasmotaRelay({ id: 'front', client: desk, topic: tasmotaTopic }));
      await whenDoorKnown(relay);
      const pulsed = whenDoors(relay, ['open', 'closed']);
      await relay.pulse(300);
      expect(relay.door).toBe('open');
      expect(device.commands).toEqual([
        { command: 'POWER', payload: '' },
        { command: 'PulseTime', payload: '3' },
        { command: 'POWER', payload: 'ON' },
      ]);
      await pulsed;
      expect(device.isOn()).toBe(false);
    });

    it('drives POWER<n> and PulseTime<n> on a multi-relay device', async () => {
      await setUp();
      const device = await TasmotaDevice.start({ url: broker.url, ...broker.login('tasmota'), topic: tasmotaTopic, relays: 2 });
      cleanup.push(() => device.stop());
      const relay = await track(new TasmotaRelay({ id: 'back', client: desk, topic: tasmotaTopic, output: 2 }));
      await whenStatus(relay, 'connected');
      await relay.pulse(5000);
      expect(device.commands.slice(1)).toEqual([
        { command: 'PulseTime2', payload: '50' },
        { command: 'POWER2', payload: 'ON' },
      ]);
      expect([device.isOn(1), device.isOn(2)]).toEqual([false, true]);
    });

    it('shows the device offline from its last will', async () => {
      await setUp();
      const device = await tasmota();
      const relay = await track(new TasmotaRelay({ id: 'front', client: desk, topic: tasmotaTopic }));
      await whenStatus(relay, 'connected');
      const offline = whenStatus(relay, 'disconnected');
      device.cutPower();
      await offline;
      expect(relay.status.error?.code).toBe(ErrorCode.DeviceNotFound);
      expect(relay.door).toBe('unknown');
    });

    it('times out with DEVICE_TIMEOUT when no device reports the relay on', async () => {
      await setUp();
      const relay = await track(new TasmotaRelay({ id: 'x', client: desk, topic: ghostTopic, confirmTimeoutMs: 300 }));
      await expect(relay.pulse(1000)).rejects.toMatchObject({ code: ErrorCode.DeviceTimeout });
    });
  });

  describe('Shelly Gen2', () => {
    async function shelly(): Promise<ShellyDevice> {
      const device = await ShellyDevice.start({ url: broker.url, ...broker.login('shelly'), prefix: shellyPrefix });
      cleanup.push(() => device.stop());
      return device;
    }

    it('sends Switch.Set with toggle_after and follows status/switch:0 until it flips back', async () => {
      await setUp();
      const device = await shelly();
      const relay = await track(new ShellyRelay({ id: 'front', client: desk, prefix: shellyPrefix }));
      await whenDoorKnown(relay);
      const pulsed = whenDoors(relay, ['open', 'closed']);
      await relay.pulse(1500);
      expect(device.requests.filter((r) => r.method === 'Switch.Set')).toEqual([
        { id: expect.any(Number), src: deskSrc, method: 'Switch.Set', params: { id: 0, on: true, toggle_after: 1.5 } },
      ]);
      await pulsed;
      expect(device.output).toBe(false);
    });

    it('asks for the switch state when the device comes online, without switching it', async () => {
      await setUp();
      const device = await shelly();
      const relay = await track(new ShellyRelay({ id: 'front', client: desk, prefix: shellyPrefix }));
      await whenStatus(relay, 'connected');
      await whenDoorKnown(relay);
      expect(device.requests).toEqual([{ id: expect.any(Number), src: deskSrc, method: 'Switch.GetStatus', params: { id: 0 } }]);
      expect(relay.door).toBe('closed');
    });

    it('turns an RPC error into DEVICE_FAILED', async () => {
      await setUp();
      await shelly();
      const relay = await track(new ShellyRelay({ id: 'front', client: desk, prefix: shellyPrefix, switchId: 1 }));
      await whenStatus(relay, 'connected');
      await expect(relay.pulse(500)).rejects.toMatchObject({ code: ErrorCode.DeviceFailed, message: expect.stringContaining("Argument 'id'") });
    });

    it('times out with DEVICE_TIMEOUT when nothing answers', async () => {
      await setUp();
      const relay = await track(new ShellyRelay({ id: 'x', client: desk, prefix: ghostPrefix, timeoutMs: 300 }));
      await expect(relay.pulse(500)).rejects.toMatchObject({ code: ErrorCode.DeviceTimeout });
    });

    it('shows the device offline from its last will', async () => {
      await setUp();
      const device = await shelly();
      const relay = await track(new ShellyRelay({ id: 'front', client: desk, prefix: shellyPrefix }));
      await whenStatus(relay, 'connected');
      const offline = whenStatus(relay, 'disconnected');
      device.cutPower();
      await offline;
      expect(relay.status.error?.code).toBe(ErrorCode.DeviceNotFound);
    });
  });
});
