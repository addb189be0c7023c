import type { MqttClient } from 'mqtt';
import { doorCommandSchema, parseJsonPayload, type DoorCommandMessage, type DoorStateMessage } from '../../mqtt/messages.js';
import { branchTopics, type BranchScope, type Presence } from '../../mqtt/topics.js';
import { PulseTimer } from '../pulse-timer.js';
import { connectDevice, cutPower, type SimulatedDeviceLogin } from './device-connection.js';

export interface MqttDoorControllerOptions extends Omit<SimulatedDeviceLogin, 'clientId'> {
  scope: BranchScope;
  deviceId: string;
  doorId: string;
}

/** A LAN door controller speaking GymStack's topics: it pulses on each valid command and acks with its request id. */
export class MqttDoorController {
  /** Every valid command it received, in order. */
  readonly commands: DoorCommandMessage[] = [];
  door: DoorStateMessage['door'] = 'closed';
  readonly #client: MqttClient;
  readonly #stateTopic: string;
  readonly #pulse = new PulseTimer();

  private constructor(client: MqttClient, stateTopic: string) {
    this.#client = client;
    this.#stateTopic = stateTopic;
  }

  static async start(options: MqttDoorControllerOptions): Promise<MqttDoorController> {
    const topics = branchTopics(options.scope);
    const client = await connectDevice(
      { ...options, clientId: `door-controller-${options.deviceId}` },
      { topic: topics.deviceStatus(options.deviceId), online: 'online' satisfies Presence, offline: 'offline' satisfies Presence },
    );
    const controller = new MqttDoorController(client, topics.doorState(options.doorId));
    const commandTopic = topics.doorCommand(options.doorId);
    client.on('message', (topic, payload) => {
      if (topic === commandTopic) controller.#run(payload);
    });
    await client.subscribeAsync(commandTopic, { qos: 1 });
    return controller;
  }

  cutPower(): void {
    this.#pulse.cancel();
    cutPower(this.#client);
  }

  async stop(): Promise<void> {
    this.#pulse.cancel();
    await this.#client.endAsync();
  }

  #run(payload: Buffer): void {
    const command = doorCommandSchema.safeParse(parseJsonPayload(payload));
    if (!command.success) return;
    this.commands.push(command.data);
    this.#pulse.start(command.data.ms, () => this.#report('closed'));
    this.#report('open', command.data.requestId);
  }

  // Not retained: after a restart "open" would be stale; presence says whether the door is reachable.
  #report(door: DoorStateMessage['door'], requestId?: string): void {
    this.door = door;
    const state: DoorStateMessage = { door, at: new Date().toISOString(), ...(requestId ? { requestId } : {}) };
    this.#client.publish(this.#stateTopic, JSON.stringify(state), { qos: 1, retain: false });
  }
}
