import { createHash, randomBytes } from 'node:crypto';
import { ErrorCode, type ErrorPayload, isAppError } from '@gymstack/shared';
import {
  type BranchScope,
  type CodeScanner,
  DeskLink,
  type DoorRelay,
  EmbeddedBroker,
  type FingerprintReader,
  HidPosScanner,
  HidRelay,
  MqttDoorRelay,
  R30xReader,
  ShellyRelay,
  TasmotaRelay,
  type TopicAcl,
  bridgeAcl,
  controllerOf,
  deskAcl,
  doorControllerAcl,
  hidTransport,
  mergeAcls,
  monitorAcl,
  nodeHidBinding,
  serialTransport,
  shellyAcl,
  tasmotaAcl,
} from '@gymstack/native-bridge';
import { HidPosScannerSimulator, HidRelayBoard, R30xModule, mockSerialBinding, syntheticFinger } from '@gymstack/native-bridge/simulator';
import type { DeviceConfig, DeviceKind } from './contract.js';
import type { BuildDevices, DeskDevices, DeskSimulator } from './hub.js';

/** The desk's own login on its embedded broker, and the client id the Shelly replies come back to. */
const DESK_USERNAME = 'desk';
const SIMULATED_PORT = '/dev/ttyGYMSIM0';

/** A member's synthetic finger: the same member always presses the same finger. */
export const simulatedFinger = (memberId: string) => syntheticFinger(createHash('sha256').update(memberId).digest().readUInt32BE(0));

/** What each MQTT login may touch on the desk's broker. */
function loginAcl(login: DeviceConfig['mqtt'] & { kind: 'embedded' }, scope: BranchScope, doorIds: string[]): (l: (typeof login.logins)[number]) => TopicAcl {
  return (l) => {
    switch (l.kind) {
      case 'bridge':
        return bridgeAcl(scope, l.deviceId);
      case 'door-controller':
        return doorControllerAcl(scope, l.deviceId, doorIds);
      case 'tasmota':
        return tasmotaAcl(l.deviceId);
      case 'shelly':
        return shellyAcl(l.deviceId, DESK_USERNAME);
      case 'monitor':
        return monitorAcl(scope);
    }
  };
}

/** The desk's own ACL: its branch, plus the device topics of the relay it drives over MQTT. */
function deskBrokerAcl(config: DeviceConfig, scope: BranchScope): TopicAcl {
  const { door } = config;
  if (door.kind === 'tasmota') return mergeAcls(deskAcl(scope), controllerOf(tasmotaAcl(door.topic)));
  if (door.kind === 'shelly') return mergeAcls(deskAcl(scope), controllerOf(shellyAcl(door.prefix, DESK_USERNAME)));
  return deskAcl(scope);
}

/**
 * Starts what a device configuration names (DESIGN 7): real drivers over serialport and node-hid, or the
 * byte-exact simulators the demo runs on. MQTT comes first, since relays over MQTT ride on its client. A
 * device that cannot start is reported on the Devices screen; the rest start regardless.
 */
export const buildDevices: BuildDevices = async (config, ctx) => {
  const scope: BranchScope = { gymId: ctx.desk.gym.id, branchId: ctx.desk.branch.id };
  const labels: Partial<Record<DeviceKind, string>> = {};
  const failures: Partial<Record<DeviceKind, ErrorPayload>> = {};
  const closers: (() => Promise<unknown>)[] = [];
  const fail = (device: DeviceKind, error: unknown) => {
    failures[device] = isAppError(error) ? error.toPayload() : { code: ErrorCode.DeviceFailed, message: error instanceof Error ? error.message : String(error) };
  };

  let mqtt: DeskLink | null = null;
  const { mqtt: mqttConfig } = config;
  if (mqttConfig.kind !== 'off') {
    try {
      if (mqttConfig.kind === 'embedded') {
        // The desk reaches its own broker in-process; a fresh password each start is all it needs.
        const password = randomBytes(24).toString('base64url');
        const doorIds = config.door.kind === 'mqtt' ? [config.door.doorId] : [];
        const broker = await EmbeddedBroker.start({
          host: mqttConfig.host,
          port: mqttConfig.port,
          users: [
            { username: DESK_USERNAME, password, acl: deskBrokerAcl(config, scope) },
            ...mqttConfig.logins.map((l) => ({ username: l.username, passwordHash: l.passwordHash, acl: loginAcl(mqttConfig, scope, doorIds)(l) })),
          ],
        });
        closers.push(() => broker.close());
        labels.mqtt = `Embedded broker on ${mqttConfig.host}:${broker.port}`;
        mqtt = await DeskLink.connect({ url: broker.localUrl, username: DESK_USERNAME, password, scope, deskId: ctx.desk.deviceId });
      } else {
        labels.mqtt = `Broker at ${mqttConfig.url}`;
        mqtt = await DeskLink.connect({
          url: mqttConfig.url,
          scope,
          deskId: ctx.desk.deviceId,
          ...(mqttConfig.username ? { username: mqttConfig.username } : {}),
          ...(mqttConfig.password ? { password: mqttConfig.password } : {}),
        });
      }
      const link = mqtt;
      closers.push(() => link.close());
    } catch (error) {
      labels.mqtt ??= 'MQTT broker';
      fail('mqtt', error);
    }
  }

  let reader: FingerprintReader | null = null;
  let module: R30xModule | null = null;
  const { fingerprint } = config;
  if (fingerprint.kind === 'simulator') {
    module = new R30xModule();
    // Paced at the module's 57,600 baud, so the demo takes the time a real reader would.
    const { binding, path } = mockSerialBinding(module, { path: SIMULATED_PORT, pace: true });
    reader = new R30xReader({ transport: serialTransport({ path, binding }) });
    labels.fingerprint = 'Simulated R307 reader at 57,600 baud';
  } else if (fingerprint.kind === 'serial') {
    reader = new R30xReader({ transport: serialTransport({ path: fingerprint.path, baudRate: fingerprint.baudRate }), password: fingerprint.password });
    labels.fingerprint = `R30x reader on ${fingerprint.path} at ${fingerprint.baudRate.toLocaleString('en-IN')} baud`;
  } else if (fingerprint.kind === 'hid') {
    reader = new R30xReader({ transport: hidTransport({ binding: nodeHidBinding, path: fingerprint.path }) });
    labels.fingerprint = `R30x USB reader at ${fingerprint.path}`;
  }
  if (reader) {
    const r = reader;
    closers.push(() => r.close());
  }

  let scanner: CodeScanner | null = null;
  let scannerSimulator: HidPosScannerSimulator | null = null;
  const { scanner: scannerConfig } = config;
  if (scannerConfig.kind === 'simulator') {
    scannerSimulator = new HidPosScannerSimulator();
    scanner = new HidPosScanner(scannerSimulator);
    labels.scanner = 'Simulated HID-POS QR scanner';
  } else if (scannerConfig.kind === 'hid-pos') {
    scanner = new HidPosScanner(nodeHidBinding, {
      ...(scannerConfig.vendorId === null ? {} : { vendorId: scannerConfig.vendorId }),
      ...(scannerConfig.productId === null ? {} : { productId: scannerConfig.productId }),
    });
    labels.scanner = 'USB HID-POS scanner';
  }
  if (scanner) {
    const s = scanner;
    closers.push(() => s.close());
  }

  let door: DoorRelay | null = null;
  let relayBoard: HidRelayBoard | null = null;
  const { door: doorConfig } = config;
  try {
    switch (doorConfig.kind) {
      case 'simulator':
        relayBoard = new HidRelayBoard();
        door = new HidRelay({ id: 'door', binding: relayBoard, relay: 1 });
        labels.door = 'Simulated USB relay board, relay 1';
        break;
      case 'hid-relay':
        door = new HidRelay({ id: 'door', binding: nodeHidBinding, relay: doorConfig.relay, ...(doorConfig.serial ? { serial: doorConfig.serial } : {}) });
        labels.door = `USB relay board${doorConfig.serial ? ` ${doorConfig.serial}` : ''}, relay ${doorConfig.relay}`;
        break;
      case 'tasmota':
        labels.door = `Tasmota relay ${doorConfig.topic}`;
        door = new TasmotaRelay({ id: 'door', client: needLink(mqtt).client, topic: doorConfig.topic });
        break;
      case 'shelly':
        labels.door = `Shelly relay ${doorConfig.prefix}, switch ${doorConfig.switchId}`;
        door = new ShellyRelay({ id: 'door', client: needLink(mqtt).client, prefix: doorConfig.prefix, switchId: doorConfig.switchId, src: DESK_USERNAME });
        break;
      case 'mqtt':
        labels.door = `Door ${doorConfig.doorId} via controller ${doorConfig.controllerId}`;
        door = new MqttDoorRelay({ id: doorConfig.doorId, link: needLink(mqtt), controllerId: doorConfig.controllerId });
        break;
      case 'none':
        break;
    }
  } catch (error) {
    fail('door', error);
  }
  if (door) {
    const d = door;
    closers.push(() => d.close());
  }

  const simulatedModule = module;
  const simulator: DeskSimulator | null =
    simulatedModule || scannerSimulator || relayBoard
      ? {
          module: simulatedModule,
          relayBoard,
          async finger(memberId) {
            requireSimulated(simulatedModule, 'fingerprint reader').tap(simulatedFinger(memberId));
          },
          async stranger() {
            requireSimulated(simulatedModule, 'fingerprint reader').tap(syntheticFinger(randomBytes(4).readUInt32BE(0)));
          },
          async scan(code) {
            requireSimulated(scannerSimulator, 'scanner').scan(code);
          },
        }
      : null;

  return {
    reader,
    scanner,
    door,
    mqtt,
    simulator,
    labels,
    failures,
    async close() {
      // In reverse: relays riding on the MQTT link stop before it does.
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  } satisfies DeskDevices;
};

/** No devices at all: a second core opened on the same data (tests, tools) must not start them twice. */
export const noDevices: BuildDevices = () =>
  Promise.resolve({ reader: null, scanner: null, door: null, mqtt: null, simulator: null, labels: {}, failures: {}, close: () => Promise.resolve() });

function needLink(link: DeskLink | null): DeskLink {
  if (!link) throw new Error('This door relay is driven over MQTT: set up the MQTT broker first');
  return link;
}

function requireSimulated<T>(device: T | null, what: string): T {
  if (!device) throw new Error(`This desk drives a real ${what}, not a simulator`);
  return device;
}
