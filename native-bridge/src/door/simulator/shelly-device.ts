import type { MqttClient } from 'mqtt';
import { z } from 'zod';
import { parseJsonPayload } from '../../mqtt/messages.js';
import { PulseTimer } from '../pulse-timer.js';
import { connectDevice, cutPower, type SimulatedDeviceLogin } from './device-connection.js';

export interface ShellyDeviceOptions extends Omit<SimulatedDeviceLogin, 'clientId'> {
  /** Its MQTT topic prefix, which is also its device id here. */
  prefix: string;
}

const requestSchema = z.object({ id: z.number(), src: z.string().min(1), method: z.string(), params: z.record(z.string(), z.unknown()).optional() });
export type ShellyRequest = z.infer<typeof requestSchema>;

const switchSetSchema = z.object({ id: z.number(), on: z.boolean(), toggle_after: z.number().positive().optional() });

/**
 * An MQTT client that behaves like a Shelly Plus 1: RPC frames on `<prefix>/rpc` (`Switch.Set` with
 * `toggle_after`, `Switch.GetStatus`) answered on `<src>/rpc`, `<prefix>/status/switch:0` on every
 * change, and a retained `<prefix>/online` true with a last will of false.
 */
export class ShellyDevice {
  /** Every RPC frame it received. */
  readonly requests: ShellyRequest[] = [];
  output = false;
  readonly #client: MqttClient;
  readonly #prefix: string;
  readonly #pulse = new PulseTimer();

  private constructor(client: MqttClient, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
  }

  static async start(options: ShellyDeviceOptions): Promise<ShellyDevice> {
    const client = await connectDevice({ ...options, clientId: options.prefix }, { topic: `${options.prefix}/online`, online: 'true', offline: 'false' });
    const device = new ShellyDevice(client, options.prefix);
    const rpc = `${options.prefix}/rpc`;
    client.on('message', (topic, payload) => {
      if (topic === rpc) device.#request(payload);
    });
    await client.subscribeAsync(rpc, { qos: 1 });
    return device;
  }

  cutPower(): void {
    this.#pulse.cancel();
    cutPower(this.#client);
  }

  async stop(): Promise<void> {
    this.#pulse.cancel();
    await this.#client.endAsync();
  }

  #request(payload: Buffer): void {
    const request = requestSchema.safeParse(parseJsonPayload(payload));
    if (!request.success) return;
    const { id, src, method, params } = request.data;
    this.requests.push(request.data);
    const answer = (body: { result: unknown } | { error: { code: number; message: string } }): void => {
      this.#client.publish(`${src}/rpc`, JSON.stringify({ id, src: this.#prefix, dst: src, ...body }), { qos: 1 });
    };
    if (params?.id !== 0) return answer({ error: { code: -105, message: `Argument 'id', value ${String(params?.id)} not found!` } });
    if (method === 'Switch.GetStatus') return answer({ result: this.#status() });
    if (method !== 'Switch.Set') return answer({ error: { code: 404, message: `No handler for ${method}` } });
    const set = switchSetSchema.safeParse(params);
    if (!set.success) return answer({ error: { code: -103, message: 'Invalid argument' } });
    const wasOn = this.output;
    this.#switch(set.data.on);
    const flipAfter = set.data.toggle_after;
    if (flipAfter !== undefined) this.#pulse.start(flipAfter * 1000, () => this.#switch(!set.data.on));
    else this.#pulse.cancel();
    answer({ result: { was_on: wasOn } });
  }

  #switch(on: boolean): void {
    const changed = on !== this.output;
    this.output = on;
    if (changed) this.#client.publish(`${this.#prefix}/status/switch:0`, JSON.stringify(this.#status()), { qos: 1 });
  }

  #status() {
    return { id: 0, source: 'MQTT', output: this.output };
  }
}
