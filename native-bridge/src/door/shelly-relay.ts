import { randomInt } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { z } from 'zod';
import { ErrorCode, errors, type AppError } from '@gymstack/shared';
import { parseJsonPayload } from '../mqtt/messages.js';
import { assertPulseMs, RelayBase } from './relay-base.js';

export interface ShellyRelayOptions {
  id: string;
  /** The desk's MQTT connection (a `DeskLink`'s client). */
  client: MqttClient;
  /** The device's MQTT topic prefix (its device id, e.g. `shellyplus1-a8032ab12345`, unless changed). */
  prefix: string;
  /** The switch component wired to the lock; 0 by default. */
  switchId?: number;
  /** Where the device sends replies, as `<src>/rpc`; the client's id by default. */
  src?: string;
  /** How long the device has to answer an RPC; 3 s by default. */
  timeoutMs?: number;
}

/** A Gen2 RPC reply frame: the request's id with a result or an error. */
export const shellyReplySchema = z.object({
  id: z.number(),
  result: z.unknown().optional(),
  error: z.object({ code: z.number(), message: z.string() }).optional(),
});

const switchStatusSchema = z.object({ output: z.boolean() });

type PendingRpc = { resolve: (result: unknown) => void; reject: (error: AppError) => void; timer: NodeJS.Timeout };

/**
 * A Shelly Gen2 switch over MQTT RPC: `Switch.Set` with `toggle_after` makes the device time the
 * pulse. State from `<prefix>/status/switch:<id>` (the device's "generic status update" setting must be
 * on), presence from the retained `<prefix>/online`.
 */
export class ShellyRelay extends RelayBase {
  readonly #options: ShellyRelayOptions;
  readonly #switchId: number;
  readonly #src: string;
  readonly #topics: { reply: string; online: string; status: string };
  readonly #pending = new Map<number, PendingRpc>();
  #listening = false;

  constructor(options: ShellyRelayOptions) {
    super(options.id);
    this.#options = options;
    this.#switchId = options.switchId ?? 0;
    this.#src = options.src ?? options.client.options.clientId ?? 'gymstack-desk';
    this.#topics = {
      reply: `${this.#src}/rpc`,
      online: `${options.prefix}/online`,
      status: `${options.prefix}/status/switch:${this.#switchId}`,
    };
  }

  async open(): Promise<void> {
    if (this.#listening) return;
    this.#listening = true;
    this.setStatus({ state: 'connecting' });
    this.#options.client.on('message', this.#message);
    await this.#options.client.subscribeAsync(Object.values(this.#topics), { qos: 1 });
  }

  async close(): Promise<void> {
    if (!this.#listening) return;
    this.#listening = false;
    this.#options.client.off('message', this.#message);
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(errors.device(ErrorCode.DeviceFailed, `Shelly ${this.#options.prefix} was closed`));
      this.#pending.delete(id);
    }
    this.setStatus({ state: 'disconnected' });
    // The reply topic may be shared with other Shelly relays on this client, so it stays subscribed.
    await this.#options.client.unsubscribeAsync([this.#topics.online, this.#topics.status]);
  }

  /** Switches on with `toggle_after`; resolves once the device accepts the RPC. */
  async pulse(ms: number): Promise<void> {
    assertPulseMs(ms);
    await this.#call('Switch.Set', { id: this.#switchId, on: true, toggle_after: ms / 1000 });
  }

  #call(method: string, params: Record<string, unknown>): Promise<unknown> {
    const { client, prefix, timeoutMs = 3000 } = this.#options;
    // Random ids: several relays may share the desk's reply topic.
    const id = randomInt(1, 2 ** 31);
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(errors.device(ErrorCode.DeviceTimeout, `Shelly ${prefix} did not answer ${method} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
    });
    client.publishAsync(`${prefix}/rpc`, JSON.stringify({ id, src: this.#src, method, params }), { qos: 1 }).catch(() => {
      const pending = this.#pending.get(id);
      if (!pending) return;
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(errors.device(ErrorCode.DeviceFailed, `Could not send ${method} to Shelly ${prefix}`));
    });
    return reply;
  }

  readonly #message = (topic: string, payload: Buffer): void => {
    if (topic === this.#topics.reply) this.#reply(payload);
    else if (topic === this.#topics.online) this.#presence(payload.toString());
    else if (topic === this.#topics.status) {
      const status = switchStatusSchema.safeParse(parseJsonPayload(payload));
      if (status.success) this.setDoor(status.data.output ? 'open' : 'closed');
    }
  };

  #reply(payload: Buffer): void {
    const reply = shellyReplySchema.safeParse(parseJsonPayload(payload));
    const pending = reply.success ? this.#pending.get(reply.data.id) : undefined;
    if (!reply.success || !pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(reply.data.id);
    if (reply.data.error) {
      pending.reject(errors.device(ErrorCode.DeviceFailed, `Shelly ${this.#options.prefix} refused: ${reply.data.error.message} (${reply.data.error.code})`));
    } else {
      pending.resolve(reply.data.result);
    }
  }

  #presence(online: string): void {
    if (online === 'true') {
      this.setStatus({ state: 'connected' });
      // Learn where the door is now; without an answer it stays unknown until the next status.
      this.#call('Switch.GetStatus', { id: this.#switchId }).then(
        (result) => {
          const status = switchStatusSchema.safeParse(result);
          if (status.success) this.setDoor(status.data.output ? 'open' : 'closed');
        },
        () => undefined,
      );
    } else if (online === 'false') {
      this.setStatus({ state: 'disconnected', error: errors.device(ErrorCode.DeviceNotFound, `Shelly ${this.#options.prefix} is offline`).toPayload() });
    }
  }
}
