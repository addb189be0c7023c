import { errors } from '@gymstack/shared';

/** The gym and branch a desk, bridge or door controller belongs to: the root of its topics. */
export interface BranchScope {
  gymId: string;
  branchId: string;
}

/** What presence a device publishes on its retained status topic. */
export type Presence = 'online' | 'offline';

// An id becomes one topic level, so it must not carry a level separator or a wildcard.
const topicId = /^[A-Za-z0-9_.-]{1,64}$/;

export function assertTopicId(field: string, value: string): void {
  if (!topicId.test(value)) {
    throw errors.validation([{ path: field, message: 'Must be 1 to 64 letters, digits, dots, dashes or underscores (no +, # or /)' }]);
  }
}

/** Every GymStack topic of one branch, `gymstack/{gym}/{branch}/…`, built from validated ids. */
export function branchTopics(scope: BranchScope) {
  assertTopicId('gymId', scope.gymId);
  assertTopicId('branchId', scope.branchId);
  const root = `gymstack/${scope.gymId}/${scope.branchId}`;
  const under = (kind: string, field: string) => (id: string) => {
    assertTopicId(field, id);
    return `${root}/${kind}/${id}`;
  };
  const door = under('doors', 'doorId');
  const device = under('devices', 'deviceId');
  const bridge = under('bridges', 'bridgeId');
  return {
    /** Everything of the branch, for ACLs. */
    all: `${root}/#`,
    /** Each check-in verdict, QoS 1. */
    checkins: `${root}/checkins`,
    /** Door commands, QoS 1, never retained. */
    doorCommand: (doorId: string) => `${door(doorId)}/cmd`,
    /** A door controller's acks and door state. */
    doorState: (doorId: string) => `${door(doorId)}/state`,
    anyDoorState: `${root}/doors/+/state`,
    /** Retained `online`/`offline`; `offline` is also the last will. */
    deviceStatus: (deviceId: string) => `${device(deviceId)}/status`,
    anyDeviceStatus: `${root}/devices/+/status`,
    /** A bridge PC's identified member or credential. */
    bridgeIdentify: (bridgeId: string) => `${bridge(bridgeId)}/identify`,
    anyBridgeIdentify: `${root}/bridges/+/identify`,
    /** The desk's answer to a bridge's identify. */
    bridgeResult: (bridgeId: string) => `${bridge(bridgeId)}/result`,
  };
}

export type BranchTopics = ReturnType<typeof branchTopics>;
