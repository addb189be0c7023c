import type { MqttClient } from 'mqtt';
import { ErrorCode, errors } from '@gymstack/shared';
import { assertPulseMs, RelayBase } from './relay-base.js';

export interface TasmotaRelayOptions {
  id: string;
  /** The desk's MQTT connection (a `DeskLink`'s client). */
  client: MqttClient;
  /** The device's `%topic%`, with Tasmota's default full topic `%prefix%/%topic%/`. */
  topic: string;
  /** The relay on a multi-relay device (`POWER2`); omitted for a single-relay device (`POWER`). */
  output?: number;
  /** How long the device has to report the relay on after a pulse; 3 s by default. */
  confirmTimeoutMs?: number;
}

/** Tasmota's PulseTime: 1..111 are tenths of a second, 112 and up are seconds + 100. */
export function tasmotaPulseTime(ms: number): number {
  if (ms <= 11_100) return Math.max(1, Math.round(ms / 100));
  return Math.max(12, Math.round(ms / 1000)) + 100;
}

export function tasmotaPulseMs(pulseTime: number): number {
  return pulseTime <= 111 ? pulseTime * 100 : (pulseTime - 100) * 1000;
}

/**
 * A Tasmota relay: PulseTime makes the device time the pulse itself, so the lock closes even if the
 * desk goes away. State from `stat/<topic>/POWER`, presence from the retained `tele/<topic>/LWT`.
 */
export class TasmotaRelay extends RelayBase {
  readonly #options: TasmotaRelayOptions;
  readonly #power: string;
  readonly #topics: { lwt: string; power: string };
  /** Pulses waiting for the device to report the relay on. */
  readonly #powerOnWaiters = new Set<() => void>();
  #listening = false;

  constructor(options: TasmotaRelayOptions) {
    super(options.id);
    this.#options = options;
    const suffix = options.output === undefined ? '' : String(options.output);
    this.#power = `POWER${suffix}`;
    this.#topics = { lwt: `tele/${options.topic}/LWT`, power: `stat/${options.topic}/${this.#power}` };
  }

  async open(): Promise<void> {
    if (this.#listening) return;
    this.#listening = true;
    this.setStatus({ state: 'connecting' });
    this.#options.client.on('message', this.#message);
    await this.#options.client.subscribeAsync([this.#topics.lwt, this.#topics.power], { qos: 1 });
  }

  async close(): Promise<void> {
    if (!this.#listening) return;
    this.#listening = false;
    this.#options.client.off('message', this.#message);
    this.setStatus({ state: 'disconnected' });
    await this.#options.client.unsubscribeAsync([this.#topics.lwt, this.#topics.power]);
  }

  /** Sets PulseTime, then POWER ON; resolves once the device reports the relay on. */
  async pulse(ms: number): Promise<void> {
    assertPulseMs(ms);
    const { client, topic, output = '', confirmTimeoutMs = 3000 } = this.#options;
    const poweredOn = new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#powerOnWaiters.delete(waiter);
        reject(errors.device(ErrorCode.DeviceTimeout, `Tasmota ${topic} did not switch on within ${confirmTimeoutMs / 1000} s`));
      }, confirmTimeoutMs);
      this.#powerOnWaiters.add(waiter);
    });
    void poweredOn.catch(() => undefined);
    await client.publishAsync(`cmnd/${topic}/PulseTime${output}`, String(tasmotaPulseTime(ms)), { qos: 1 });
    await client.publishAsync(`cmnd/${topic}/${this.#power}`, 'ON', { qos: 1 });
    await poweredOn;
  }

  readonly #message = (topic: string, payload: Buffer): void => {
    const text = payload.toString();
    if (topic === this.#topics.lwt) {
      if (text === 'Online') {
        this.setStatus({ state: 'connected' });
        // An empty POWER asks for the relay's state.
        this.#options.client.publish(`cmnd/${this.#options.topic}/${this.#power}`, '', { qos: 1 });
      } else if (text === 'Offline') {
        this.setStatus({ state: 'disconnected', error: errors.device(ErrorCode.DeviceNotFound, `Tasmota ${this.#options.topic} is offline`).toPayload() });
      }
    } else if (topic === this.#topics.power) {
      if (text === 'ON') {
        this.setDoor('open');
        for (const waiter of this.#powerOnWaiters) waiter();
        this.#powerOnWaiters.clear();
      } else if (text === 'OFF') {
        this.setDoor('closed');
      }
    }
  };
}
