import { filterCovers } from './topic-filter.js';
import { branchTopics, type BranchScope } from './topics.js';

/** The topic filters one broker user may publish to and subscribe to. */
export interface TopicAcl {
  publish: readonly string[];
  subscribe: readonly string[];
}

export const mayPublish = (acl: TopicAcl, topic: string): boolean => acl.publish.some((f) => filterCovers(f, topic));
export const maySubscribe = (acl: TopicAcl, filter: string): boolean => acl.subscribe.some((f) => filterCovers(f, filter));

export const mergeAcls = (...acls: TopicAcl[]): TopicAcl => ({
  publish: acls.flatMap((a) => a.publish),
  subscribe: acls.flatMap((a) => a.subscribe),
});

/** The other side of a device's ACL: what the desk needs to drive it (it publishes what the device reads, and reads what it publishes). */
export const controllerOf = (device: TopicAcl): TopicAcl => ({ publish: device.subscribe, subscribe: device.publish });

/** The desk: everything under its branch. */
export const deskAcl = (scope: BranchScope): TopicAcl => {
  const t = branchTopics(scope);
  return { publish: [t.all], subscribe: [t.all] };
};

/** A bridge PC: its own identify and presence; it reads only its own results. */
export const bridgeAcl = (scope: BranchScope, bridgeId: string): TopicAcl => {
  const t = branchTopics(scope);
  return { publish: [t.bridgeIdentify(bridgeId), t.deviceStatus(bridgeId)], subscribe: [t.bridgeResult(bridgeId)] };
};

/** A screen on the LAN (a turnstile display, a coach's board): it reads verdicts, doors and presence, and publishes nothing. */
export const monitorAcl = (scope: BranchScope): TopicAcl => {
  const t = branchTopics(scope);
  return { publish: [], subscribe: [t.checkins, t.anyDoorState, t.anyDeviceStatus] };
};

/** A door controller speaking the GymStack protocol: commands for its doors in, their state and its presence out. */
export const doorControllerAcl = (scope: BranchScope, deviceId: string, doorIds: readonly string[]): TopicAcl => {
  const t = branchTopics(scope);
  return { publish: [...doorIds.map(t.doorState), t.deviceStatus(deviceId)], subscribe: doorIds.map(t.doorCommand) };
};

/** A Tasmota device with its `%topic%` (default full topic `%prefix%/%topic%/`). */
export const tasmotaAcl = (topic: string): TopicAcl => ({
  publish: [`stat/${topic}/#`, `tele/${topic}/#`],
  subscribe: [`cmnd/${topic}/#`],
});

/** A Shelly Gen2 device with its topic prefix; it answers RPCs on `<src>/rpc`, the desk's `src`. */
export const shellyAcl = (prefix: string, deskSrc: string): TopicAcl => ({
  publish: [`${prefix}/#`, `${deskSrc}/rpc`],
  subscribe: [`${prefix}/rpc`],
});
