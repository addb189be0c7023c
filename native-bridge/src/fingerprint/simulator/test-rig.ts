import type { DeviceState } from '../../device.js';
import { R30xReader, type R30xReaderOptions } from '../r30x-reader.js';
import type { TransportFactory } from '../transport.js';

/** Short timeouts so fault tests finish quickly; the simulator answers in microseconds. */
export const FAST: Omit<R30xReaderOptions, 'transport'> = {
  commandTimeoutMs: 150,
  retries: 1,
  pollIntervalMs: 2,
  fingerTimeoutMs: 2000,
  reconnectMs: { min: 10, max: 40 },
};

export function fastReader(transport: TransportFactory, options: Partial<R30xReaderOptions> = {}): R30xReader {
  return new R30xReader({ ...FAST, ...options, transport });
}

/** Resolves when the reader reports `state`. */
export function statusReached(reader: R30xReader, state: DeviceState): Promise<void> {
  return new Promise((resolve) => {
    if (reader.status.state === state) return resolve();
    const off = reader.onStatus((status) => {
      if (status.state !== state) return;
      off();
      resolve();
    });
  });
}
