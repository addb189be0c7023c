import { errors } from '@gymstack/shared';
import type { DeviceStatus, Unsubscribe } from '../device.js';
import type { DoorRelay, DoorState } from './door-relay.js';

/** How long a pulse may hold a lock released. */
export const pulseLimits = { minMs: 100, maxMs: 60_000 } as const;

export function assertPulseMs(ms: number): void {
  if (!Number.isInteger(ms) || ms < pulseLimits.minMs || ms > pulseLimits.maxMs) {
    throw errors.validation([{ path: 'ms', message: `A pulse is ${pulseLimits.minMs} to ${pulseLimits.maxMs} ms` }]);
  }
}

/** What every relay driver shares: the door and device status it last knew, and their listeners. */
export abstract class RelayBase implements DoorRelay {
  #door: DoorState = 'unknown';
  #status: DeviceStatus = { state: 'disconnected' };
  readonly #doorListeners = new Set<(state: DoorState) => void>();
  readonly #statusListeners = new Set<(status: DeviceStatus) => void>();

  constructor(readonly id: string) {}

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
  abstract pulse(ms: number): Promise<void>;

  get door(): DoorState {
    return this.#door;
  }

  get status(): DeviceStatus {
    return this.#status;
  }

  onDoor(listener: (state: DoorState) => void): Unsubscribe {
    this.#doorListeners.add(listener);
    return () => this.#doorListeners.delete(listener);
  }

  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  protected setDoor(door: DoorState): void {
    if (door === this.#door) return;
    this.#door = door;
    for (const listener of this.#doorListeners) listener(door);
  }

  protected setStatus(status: DeviceStatus): void {
    if (status.state === this.#status.state && status.error?.code === this.#status.error?.code) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
    // A relay out of reach cannot say where the door is.
    if (status.state !== 'connected') this.setDoor('unknown');
  }
}
