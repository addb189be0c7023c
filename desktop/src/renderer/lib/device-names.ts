import type { DeviceKind } from '../../core/contract';

/** Each kind of device, as the desk names it to people. */
export const DEVICE_NAMES: Record<DeviceKind, string> = {
  fingerprint: 'Fingerprint reader',
  scanner: 'Code scanner',
  door: 'Door',
  mqtt: 'MQTT link',
};
