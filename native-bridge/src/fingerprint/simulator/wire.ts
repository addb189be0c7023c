import type { R30xModule } from './module.js';

/** 8N1: a start bit, 8 data bits and a stop bit on the wire for every byte. */
export const BITS_PER_BYTE = 10;

/**
 * What a UART at `rxBaud` decodes from bytes sent back to back at `txBaud` (8N1, idle high). At equal
 * rates that is the bytes themselves; at a mismatch it is what a real receiver makes of it: it waits
 * for a falling edge, samples the middle of each of its own bit times and delivers whatever it read.
 */
export function uartResample(bytes: Buffer, txBaud: number, rxBaud: number): Buffer {
  if (txBaud === rxBaud) return Buffer.from(bytes);
  const bits: number[] = [];
  for (const byte of bytes) {
    bits.push(0);
    for (let i = 0; i < 8; i++) bits.push((byte >> i) & 1);
    bits.push(1);
  }
  const level = (t: number) => bits[Math.floor(t * txBaud)] ?? 1;
  const out: number[] = [];
  let after = -1;
  for (;;) {
    // The next high-to-low transition after the last byte's stop-bit sample starts a byte.
    let edge = -1;
    for (let j = Math.max(0, Math.floor(after * txBaud)); j < bits.length; j++) {
      if (bits[j] === 0 && (j === 0 || bits[j - 1] === 1) && j / txBaud > after) {
        edge = j / txBaud;
        break;
      }
    }
    if (edge < 0) break;
    let byte = 0;
    for (let i = 0; i < 8; i++) byte |= level(edge + (1.5 + i) / rxBaud) << i;
    out.push(byte);
    after = edge + 9.5 / rxBaud;
  }
  return Buffer.from(out);
}

/** Delivers bytes no faster than the baud rate allows, so a simulated 57,600-baud link takes wire time. */
export class PacedLine {
  readonly #queue: Buffer[] = [];
  #timer: NodeJS.Timeout | null = null;
  #startedAt = 0;
  #delivered = 0;

  constructor(
    private readonly baudRate: number,
    private readonly deliver: (bytes: Buffer) => void,
  ) {}

  send(bytes: Buffer): void {
    this.#queue.push(bytes);
    if (this.#timer) return;
    this.#startedAt = performance.now();
    this.#delivered = 0;
    this.#tick();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue.length = 0;
  }

  #tick(): void {
    const due = Math.floor(((performance.now() - this.#startedAt) * this.baudRate) / BITS_PER_BYTE / 1000) - this.#delivered;
    const queued = Buffer.concat(this.#queue);
    const now = queued.subarray(0, Math.max(0, due));
    this.#queue.length = 0;
    if (now.length < queued.length) this.#queue.push(queued.subarray(now.length));
    this.#delivered += now.length;
    this.#timer = this.#queue.length ? setTimeout(() => this.#tick(), 1) : null;
    if (now.length) this.deliver(now);
  }
}

export interface SerialWireOptions {
  /** The baud rate the host opened its port at; a mismatch with the module's garbles both directions. */
  hostBaud: number;
  /** Take real wire time (10 bits per byte) instead of delivering at once. */
  pace?: boolean;
}

export interface SerialWire {
  /** Bytes the host wrote to its port. */
  fromHost(bytes: Buffer): void;
  /** The host closed its port. */
  detach(): void;
}

/**
 * A UART-to-UART wire between a host port and the module: each direction is decoded at the
 * receiver's rate and, when paced, takes the sender's wire time.
 */
export function connectSerialWire(
  module: R30xModule,
  { hostBaud, pace = false }: SerialWireOptions,
  host: { receive(bytes: Buffer): void; unplugged(): void },
): SerialWire {
  const toModule = (bytes: Buffer) => module.receive(uartResample(bytes, hostBaud, module.baudRate));
  const toHost = (bytes: Buffer) => {
    const decoded = uartResample(bytes, module.baudRate, hostBaud);
    if (decoded.length) host.receive(decoded);
  };
  const up = pace ? new PacedLine(hostBaud, toModule) : null;
  const down = pace ? new PacedLine(module.baudRate, toHost) : null;
  const detachModule = module.attach({
    transmit: (bytes) => (down ? down.send(bytes) : toHost(bytes)),
    unplugged: () => {
      up?.stop();
      down?.stop();
      host.unplugged();
    },
  });
  return {
    fromHost: (bytes) => (up ? up.send(bytes) : toModule(bytes)),
    detach: () => {
      up?.stop();
      down?.stop();
      detachModule();
    },
  };
}
