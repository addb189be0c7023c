import { randomUUID } from 'node:crypto';
import { connectAsync } from 'mqtt';
import type { TopicAcl } from './acl.js';
import { EmbeddedBroker } from './broker.js';
import type { BranchScope } from './topics.js';

/** A broker for a test: the real one at `MQTT_URL` when set (CI runs Mosquitto), else an embedded one on a free port. */
export interface TestBroker {
  url: string;
  /** Null against an external broker, which takes any login. */
  embedded: EmbeddedBroker | null;
  login(username: string): { username: string; password: string };
  /** Clears the retained messages a test left on these topics, then stops an embedded broker. */
  close(retainedTopics?: readonly string[]): Promise<void>;
}

/** A gym and branch no other test run uses. */
export const uniqueScope = (): BranchScope => ({ gymId: `g${randomUUID().slice(0, 8)}`, branchId: `b${randomUUID().slice(0, 8)}` });

const passwordOf = (username: string): string => `pw-${username}`;

export async function startTestBroker(users: Record<string, TopicAcl>): Promise<TestBroker> {
  const external = process.env.MQTT_URL;
  const embedded = external
    ? null
    : await EmbeddedBroker.start({
        host: '127.0.0.1',
        port: 0,
        users: Object.entries(users).map(([username, acl]) => ({ username, password: passwordOf(username), acl })),
      });
  const url = embedded?.localUrl ?? external ?? '';
  return {
    url,
    embedded,
    login: (username) => ({ username, password: passwordOf(username) }),
    async close(retainedTopics = []) {
      if (embedded) return embedded.close();
      if (retainedTopics.length === 0) return;
      const cleaner = await connectAsync(url, { clientId: `gymstack-test-cleaner-${randomUUID()}` });
      for (const topic of retainedTopics) await cleaner.publishAsync(topic, '', { qos: 1, retain: true });
      await cleaner.endAsync();
    },
  };
}
