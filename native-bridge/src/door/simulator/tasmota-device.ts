import type { MqttClient } from 'mqtt';
import { PulseTimer } from '../pulse-timer.js';
import { tasmotaPulseMs } from '../tasmota-relay.js';
import { connectDevice, cutPower, type SimulatedDeviceLogin } from './device-connection.js';

export interface TasmotaDeviceOptions extends Omit<SimulatedDeviceLogin, 'clientId'> {
  topic: string;
  /** 1 by default: a single relay answers as `POWER`, several as `POWER1`..`POWERn`. */
  relays?: number;
}

interface Relay {
  on: boolean;
  pulseTime: number;
  pulse: PulseTimer;
}

/**
 * An MQTT client that behaves like Tasmota: `cmnd/<topic>/PulseTime<n>` and `POWER<n>` (ON, OFF, TOGGLE,
 * empty = ask), answered on `stat/<topic>/RESULT` and `stat/<topic>/POWER<n>`; a PulseTime switches the
 * relay off again by itself; retained `tele/<topic>/LWT` Online with a last will of Offline.
 */
export class TasmotaDevice {
  /** Every command it received: the command topic's last level and the payload. */
  readonly commands: { command: string; payload: string }[] = [];
  readonly #client: MqttClient;
  readonly #topic: string;
  readonly #relays: Relay[];

  private constructor(client: MqttClient, topic: string, relays: number) {
    this.#client = client;
    this.#topic = topic;
    this.#relays = Array.from({ length: relays }, () => ({ on: false, pulseTime: 0, pulse: new PulseTimer() }));
  }

  static async start(options: TasmotaDeviceOptions): Promise<TasmotaDevice> {
    const lwt = `tele/${options.topic}/LWT`;
    const client = await connectDevice({ ...options, clientId: `DVES_${options.topic}` }, { topic: lwt, online: 'Online', offline: 'Offline' });
    const device = new TasmotaDevice(client, options.topic, options.relays ?? 1);
    const prefix = `cmnd/${options.topic}/`;
    client.on('message', (topic, payload) => {
      if (topic.startsWith(prefix)) device.#command(topic.slice(prefix.length), payload.toString());
    });
    await client.subscribeAsync(`${prefix}+`, { qos: 1 });
    return device;
  }

  isOn(relay = 1): boolean {
    return this.#relays[relay - 1]?.on ?? false;
  }

  cutPower(): void {
    for (const relay of this.#relays) relay.pulse.cancel();
    cutPower(this.#client);
  }

  async stop(): Promise<void> {
    for (const relay of this.#relays) relay.pulse.cancel();
    await this.#client.endAsync();
  }

  #command(command: string, payload: string): void {
    this.commands.push({ command, payload });
    const match = /^(POWER|PULSETIME)(\d?)$/.exec(command.toUpperCase());
    const index = match?.[2] ? Number(match[2]) : 1;
    const relay = this.#relays[index - 1];
    if (!match || !relay) {
      this.#publish('RESULT', JSON.stringify({ Command: 'Unknown' }));
      return;
    }
    if (match[1] === 'PULSETIME') {
      if (payload !== '') relay.pulseTime = Number(payload);
      this.#publish('RESULT', JSON.stringify({ [`PulseTime${index}`]: { Set: relay.pulseTime, Remaining: 0 } }));
      return;
    }
    const wanted = payload.toUpperCase();
    if (wanted === 'ON' || wanted === '1') this.#switch(index, true);
    else if (wanted === 'OFF' || wanted === '0') this.#switch(index, false);
    else if (wanted === 'TOGGLE' || wanted === '2') this.#switch(index, !relay.on);
    else this.#report(index);
  }

  #switch(index: number, on: boolean): void {
    const relay = this.#relays[index - 1];
    if (!relay) return;
    relay.on = on;
    if (on && relay.pulseTime > 0) relay.pulse.start(tasmotaPulseMs(relay.pulseTime), () => this.#switch(index, false));
    if (!on) relay.pulse.cancel();
    this.#report(index);
  }

  #report(index: number): void {
    const name = this.#relays.length === 1 ? 'POWER' : `POWER${index}`;
    const state = this.#relays[index - 1]?.on ? 'ON' : 'OFF';
    this.#publish('RESULT', JSON.stringify({ [name]: state }));
    this.#publish(name, state);
  }

  #publish(what: string, payload: string): void {
    this.#client.publish(`stat/${this.#topic}/${what}`, payload, { qos: 1 });
  }
}
