import { randomUUID } from 'node:crypto';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { AppError, ErrorCode, errors, issuesFromZod } from '@gymstack/shared';
import type { Unsubscribe } from '../device.js';
import {
  bridgeIdentifySchema,
  checkinMessageSchema,
  doorCommandSchema,
  doorStateSchema,
  parseJsonPayload,
  type BridgeIdentify,
  type BridgeResult,
  type CheckinMessage,
  type DoorCommand,
  type DoorStateMessage,
} from './messages.js';
import { wildcardLevels } from './topic-filter.js';
import { assertTopicId, branchTopics, type BranchScope, type BranchTopics, type Presence } from './topics.js';

export interface DeskLinkOptions {
  /** The embedded broker's `localUrl` or an external broker's URL (`mqtt://`, `mqtts://`). */
  url: string;
  username?: string;
  password?: string;
  scope: BranchScope;
  /** This desk's device id: its presence topic. */
  deskId: string;
  /** How long a door controller has to ack a command; 5 s by default. */
  commandTimeoutMs?: number;
  /** Passed to the client, e.g. a CA for `mqtts://`. */
  clientOptions?: Partial<IClientOptions>;
}

/** What the desk does with a bridge's identify: the check-in it recorded, by the same verdict rules as at the desk. */
export type IdentifyHandler = (bridgeId: string, request: BridgeIdentify) => Promise<CheckinMessage>;

/** Recent identifies remembered, so a QoS 1 redelivery is answered again instead of checking in twice. */
const rememberedIdentifies = 256;

type PendingAck = { resolve: (state: DoorStateMessage) => void; reject: (error: AppError) => void; timer: NodeJS.Timeout };

/**
 * The desk's side of MQTT: its retained presence (last will `offline`), each check-in verdict,
 * door commands acked by request id, and identifies from bridge PCs.
 */
export class DeskLink {
  readonly topics: BranchTopics;
  readonly #client: MqttClient;
  readonly #presenceTopic: string;
  readonly #commandTimeoutMs: number;
  readonly #pendingAcks = new Map<string, PendingAck>();
  readonly #doorStates = new TopicListeners<DoorStateMessage>();
  readonly #presences = new TopicListeners<Presence>();
  readonly #identifies = new Map<string, Promise<BridgeResult>>();
  #identifyHandler: IdentifyHandler | null = null;

  private constructor(client: MqttClient, topics: BranchTopics, presenceTopic: string, commandTimeoutMs: number) {
    this.#client = client;
    this.topics = topics;
    this.#presenceTopic = presenceTopic;
    this.#commandTimeoutMs = commandTimeoutMs;
    client.on('message', (topic, payload) => this.#route(topic, payload));
  }

  static async connect(options: DeskLinkOptions): Promise<DeskLink> {
    assertTopicId('deskId', options.deskId);
    const topics = branchTopics(options.scope);
    const presenceTopic = topics.deviceStatus(options.deskId);
    const client = await connectAsync(options.url, {
      clientId: `gymstack-desk-${options.scope.gymId}-${options.scope.branchId}-${options.deskId}`,
      username: options.username,
      password: options.password,
      will: { topic: presenceTopic, payload: Buffer.from('offline' satisfies Presence), qos: 1, retain: true },
      reconnectPeriod: 2000,
      ...options.clientOptions,
    });
    const link = new DeskLink(client, topics, presenceTopic, options.commandTimeoutMs ?? 5000);
    // Every (re)connect says online again: a will may have said offline in between.
    client.on('connect', () => void link.#announce().catch(() => undefined));
    try {
      await client.subscribeAsync([topics.anyDoorState, topics.anyDeviceStatus], { qos: 1 });
      await link.#announce();
    } catch (e) {
      await client.endAsync(true);
      throw e;
    }
    return link;
  }

  /** The connection, for Tasmota and Shelly relays that share it. */
  get client(): MqttClient {
    return this.#client;
  }

  async publishCheckin(checkin: CheckinMessage): Promise<void> {
    const message = checkinMessageSchema.parse(checkin);
    await this.#client.publishAsync(this.topics.checkins, JSON.stringify(message), { qos: 1, retain: false });
  }

  /** Sends a command with a fresh request id and resolves with the controller's ack on the door's state topic. */
  async commandDoor(doorId: string, command: DoorCommand): Promise<DoorStateMessage> {
    const parsed = doorCommandSchema.safeParse({ ...command, requestId: randomUUID() });
    if (!parsed.success) throw errors.validation(issuesFromZod(parsed.error.issues));
    const message = parsed.data;
    const acked = new Promise<DoorStateMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pendingAcks.delete(message.requestId);
        reject(errors.device(ErrorCode.DeviceTimeout, `Door ${doorId} did not answer within ${this.#commandTimeoutMs / 1000} s`));
      }, this.#commandTimeoutMs);
      this.#pendingAcks.set(message.requestId, { resolve, reject, timer });
    });
    try {
      await this.#client.publishAsync(this.topics.doorCommand(doorId), JSON.stringify(message), { qos: 1, retain: false });
    } catch (e) {
      this.#settle(message.requestId)?.reject(errors.device(ErrorCode.DeviceFailed, `Could not send the command to door ${doorId}`));
      void acked.catch(() => undefined);
      throw e;
    }
    return acked;
  }

  /** A door's state as its controller reports it; the last one heard is replayed at once. */
  onDoorState(doorId: string, listener: (state: DoorStateMessage) => void): Unsubscribe {
    return this.#doorStates.listen(this.topics.doorState(doorId), listener);
  }

  /** A device's retained presence, as it said it or its last will did; the last one heard is replayed at once. */
  onPresence(deviceId: string, listener: (presence: Presence) => void): Unsubscribe {
    return this.#presences.listen(this.topics.deviceStatus(deviceId), listener);
  }

  /** Takes identifies from every bridge of the branch; each gets an answer on its `result` topic. */
  async serveBridges(handler: IdentifyHandler): Promise<void> {
    this.#identifyHandler = handler;
    await this.#client.subscribeAsync(this.topics.anyBridgeIdentify, { qos: 1 });
  }

  /** Says `offline` itself (a clean disconnect sends no will) and disconnects. */
  async close(): Promise<void> {
    for (const requestId of [...this.#pendingAcks.keys()]) {
      this.#settle(requestId)?.reject(errors.device(ErrorCode.DeviceFailed, 'The desk closed its MQTT link'));
    }
    // Without a connection the broker has already sent the will, and a queued publish would wait forever.
    const connected = this.#client.connected;
    try {
      if (connected) await this.#client.publishAsync(this.#presenceTopic, 'offline' satisfies Presence, { qos: 1, retain: true });
    } finally {
      await this.#client.endAsync(!connected);
    }
  }

  #announce(): Promise<unknown> {
    return this.#client.publishAsync(this.#presenceTopic, 'online' satisfies Presence, { qos: 1, retain: true });
  }

  #route(topic: string, payload: Buffer): void {
    if (wildcardLevels(this.topics.anyDoorState, topic)) {
      const state = doorStateSchema.safeParse(parseJsonPayload(payload));
      if (!state.success) return;
      if (state.data.requestId) this.#settle(state.data.requestId)?.resolve(state.data);
      this.#doorStates.emit(topic, state.data);
      return;
    }
    if (wildcardLevels(this.topics.anyDeviceStatus, topic)) {
      const presence = payload.toString();
      // An empty retained payload clears the topic; it says nothing about the device.
      if (presence !== 'online' && presence !== 'offline') return;
      this.#presences.emit(topic, presence);
      return;
    }
    const bridgeId = wildcardLevels(this.topics.anyBridgeIdentify, topic)?.[0];
    if (bridgeId !== undefined) void this.#answerBridge(bridgeId, payload);
  }

  #settle(requestId: string): PendingAck | undefined {
    const pending = this.#pendingAcks.get(requestId);
    if (!pending) return undefined;
    clearTimeout(pending.timer);
    this.#pendingAcks.delete(requestId);
    return pending;
  }

  async #answerBridge(bridgeId: string, payload: Buffer): Promise<void> {
    const result = await this.#identify(bridgeId, payload);
    await this.#client.publishAsync(this.topics.bridgeResult(bridgeId), JSON.stringify(result), { qos: 1, retain: false }).catch(() => undefined);
  }

  #identify(bridgeId: string, payload: Buffer): Promise<BridgeResult> {
    const json = parseJsonPayload(payload);
    const parsed = bridgeIdentifySchema.safeParse(json);
    if (!parsed.success) {
      const requestId = typeof (json as { requestId?: unknown } | null)?.requestId === 'string' ? (json as { requestId: string }).requestId : null;
      const error = json === undefined ? errors.validation([{ path: '', message: 'Not JSON' }]) : errors.validation(issuesFromZod(parsed.error.issues));
      return Promise.resolve({ requestId, ok: false, error: error.toPayload() });
    }
    const request = parsed.data;
    const key = `${bridgeId}/${request.requestId}`;
    const known = this.#identifies.get(key);
    if (known) return known;
    const handler = this.#identifyHandler;
    const result: Promise<BridgeResult> = (async () => {
      try {
        if (!handler) throw errors.internal();
        return { requestId: request.requestId, ok: true, checkin: await handler(bridgeId, request) };
      } catch (e) {
        return { requestId: request.requestId, ok: false, error: (e instanceof AppError ? e : errors.internal()).toPayload() };
      }
    })();
    this.#identifies.set(key, result);
    if (this.#identifies.size > rememberedIdentifies) this.#identifies.delete(this.#identifies.keys().next().value as string);
    return result;
  }
}

/** Listeners per topic, with the last value heard so a late listener (a relay opened after the retained message came) still gets it. */
class TopicListeners<T> {
  readonly #listeners = new Map<string, Set<(value: T) => void>>();
  readonly #latest = new Map<string, T>();

  emit(topic: string, value: T): void {
    this.#latest.set(topic, value);
    for (const listener of this.#listeners.get(topic) ?? []) listener(value);
  }

  listen(topic: string, listener: (value: T) => void): Unsubscribe {
    const set = this.#listeners.get(topic) ?? new Set();
    this.#listeners.set(topic, set);
    set.add(listener);
    const latest = this.#latest.get(topic);
    if (latest !== undefined) listener(latest);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(topic);
    };
  }
}
