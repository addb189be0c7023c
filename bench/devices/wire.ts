/**
 * Every packet on the simulated reader's serial line, as the module took or sent it
 * (`R30xModule.watch`), with the time; and what a stretch of them cost against the wire's own limit.
 */
import { performance } from 'node:perf_hooks';
import { BITS_PER_BYTE, type InstructionName, type R30xModule, type WirePacket } from '@gymstack/native-bridge/simulator';

export interface TimedPacket extends WirePacket {
  /** performance.now(): an 'in' packet has just arrived whole, an 'out' one is just starting out. */
  at: number;
}

/** A stretch of the line: wall time, bytes both ways, and the idle time between packets by who was due to speak. */
export interface LineUse {
  packets: number;
  bytes: number;
  /** From the first byte of the first packet to the last byte of the last one. */
  seconds: number;
  /** bytes × 10 bits / baud: the same bytes back to back with no gap. */
  limitSeconds: number;
  /** Idle before each host command or data packet: the host's turnaround (after a reply, or between its own packets). */
  hostGaps: number[];
  /** Idle before each module reply. */
  moduleGaps: number[];
}

export class WireLog {
  readonly packets: TimedPacket[] = [];
  readonly #baud: number;
  readonly #waiters = new Set<(packet: TimedPacket) => void>();

  constructor(module: R30xModule) {
    this.#baud = module.baudRate;
    module.watch((packet) => {
      const timed = { ...packet, at: performance.now() };
      this.packets.push(timed);
      for (const waiter of this.#waiters) waiter(timed);
    });
  }

  /** How many packets went `direction` for `command` so far. */
  count(direction: WirePacket['direction'], command: InstructionName): number {
    return this.packets.reduce((n, p) => n + (p.direction === direction && p.command === command ? 1 : 0), 0);
  }

  /** Seconds a packet of `bytes` bytes spends on the wire. */
  wireSeconds(bytes: number): number {
    return (bytes * BITS_PER_BYTE) / this.#baud;
  }

  /** The line from packet `from` to packet `to` (indexes into `packets`, both included). */
  use(from: number, to: number): LineUse {
    const stretch = this.packets.slice(from, to + 1);
    const first = stretch[0];
    const last = stretch[stretch.length - 1];
    if (!first || !last) throw new Error('No packets in that stretch of the line');
    // Where a packet sat on the wire: an 'in' one ended at `at`, an 'out' one started there.
    const start = (p: TimedPacket) => (p.direction === 'in' ? p.at / 1000 - this.wireSeconds(p.bytes) : p.at / 1000);
    const end = (p: TimedPacket) => (p.direction === 'in' ? p.at / 1000 : p.at / 1000 + this.wireSeconds(p.bytes));
    const hostGaps: number[] = [];
    const moduleGaps: number[] = [];
    for (let i = 1; i < stretch.length; i++) {
      const p = stretch[i]!;
      (p.direction === 'in' ? hostGaps : moduleGaps).push(start(p) - end(stretch[i - 1]!));
    }
    const bytes = stretch.reduce((sum, p) => sum + p.bytes, 0);
    return { packets: stretch.length, bytes, seconds: end(last) - start(first), limitSeconds: this.wireSeconds(bytes), hostGaps, moduleGaps };
  }

  /** The first packet `direction` for `command` after the time `since`: one already logged, or the next to cross. */
  next(direction: WirePacket['direction'], command: InstructionName, since: number, timeoutMs = 10_000): Promise<TimedPacket> {
    const matches = (p: TimedPacket) => p.direction === direction && p.command === command && p.at > since;
    const logged = this.packets.find(matches);
    if (logged) return Promise.resolve(logged);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`No ${command} ${direction === 'in' ? 'command' : 'reply'} on the line within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const waiter = (p: TimedPacket) => {
        if (!matches(p)) return;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(p);
      };
      this.#waiters.add(waiter);
    });
  }
}
