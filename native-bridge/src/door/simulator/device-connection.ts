import type { Socket } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';

/** How a simulated device reaches the broker: its login and its presence topic with what it says there. */
export interface SimulatedDeviceLogin {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
}

export interface PresenceTopic {
  topic: string;
  online: string;
  /** Also the last will. */
  offline: string;
}

/** Connects as a device does: a retained last will, then its retained online presence. */
export async function connectDevice(login: SimulatedDeviceLogin, presence: PresenceTopic): Promise<MqttClient> {
  const client = await connectAsync(login.url, {
    clientId: login.clientId,
    username: login.username,
    password: login.password,
    will: { topic: presence.topic, payload: Buffer.from(presence.offline), qos: 1, retain: true },
    reconnectPeriod: 0,
  });
  await client.publishAsync(presence.topic, presence.online, { qos: 1, retain: true });
  return client;
}

/** Pulls the power: the socket dies without a DISCONNECT, so the broker sends the last will. */
export function cutPower(client: MqttClient): void {
  client.options.reconnectPeriod = 0;
  (client.stream as Socket).destroy();
  client.end(true);
}
