import type { ErrorPayload } from '@gymstack/shared';

/** Where a device is in its life; `error` carries what the Devices screen tells the staff. */
export type DeviceState = 'connecting' | 'connected' | 'disconnected' | 'error';

export interface DeviceStatus {
  state: DeviceState;
  /** Why it is disconnected or in error (unplugged, no udev permission, wrong baud rate…). */
  error?: ErrorPayload;
}

/** Something a device reported, kept for the Devices screen's recent events. */
export interface DeviceEvent {
  at: string;
  message: string;
}

/** A listener's unsubscribe. */
export type Unsubscribe = () => void;
