import type { DeviceStatus, Unsubscribe } from '../device.js';

/** What the desk last knew of the lock: `open` while a pulse holds it released. */
export type DoorState = 'closed' | 'open' | 'unknown';

export interface DoorRelay {
  readonly id: string;
  open(): Promise<void>;
  close(): Promise<void>;
  /** Releases the lock for `ms` and lets it close again on its own (the relay times the pulse where it can). */
  pulse(ms: number): Promise<void>;
  readonly door: DoorState;
  onDoor(listener: (state: DoorState) => void): Unsubscribe;
  readonly status: DeviceStatus;
  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe;
}
