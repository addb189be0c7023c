import { EventEmitter } from 'node:events';
import type { HidBinding, HidDevice, HidDeviceInfo } from '../../hid.js';
import { usbRelayCommand, usbRelayProductId, usbRelayVendorId } from '../usb-relay-protocol.js';

export interface HidRelayBoardOptions {
  serial?: string;
  relays?: number;
  path?: string;
  /** What opening it throws, e.g. an EACCES error when udev gives no access. */
  openError?: Error;
}

/**
 * A dcttech-style USB relay board behind a `HidBinding`: it records every feature report byte for byte,
 * switches its relays as the real board does and answers state reads in the Linux (hidraw) layout.
 */
export class HidRelayBoard implements HidBinding {
  readonly serial: string;
  readonly relays: number;
  readonly path: string;
  /** Every feature report sent to the board, as sent. */
  readonly featureReports: number[][] = [];
  relaysOn = 0;
  #plugged = true;
  readonly #openError: Error | undefined;
  readonly #handles = new Set<BoardHandle>();

  constructor(options: HidRelayBoardOptions = {}) {
    this.serial = options.serial ?? 'QWERT';
    this.relays = options.relays ?? 2;
    this.path = options.path ?? '/dev/hidraw-sim-relay';
    this.#openError = options.openError;
  }

  async devices(): Promise<HidDeviceInfo[]> {
    if (!this.#plugged) return [];
    return [{ path: this.path, vendorId: usbRelayVendorId, productId: usbRelayProductId, product: `USBRelay${this.relays}`, manufacturer: 'www.dcttech.com' }];
  }

  async open(path: string): Promise<HidDevice> {
    if (this.#openError) throw this.#openError;
    if (!this.#plugged || path !== this.path) throw new Error(`cannot open device with path ${path}`);
    const handle = new BoardHandle(this);
    this.#handles.add(handle);
    return handle;
  }

  /** Whether a handle may still talk to the board. */
  reaches(handle: BoardHandle): boolean {
    return this.#plugged && this.#handles.has(handle);
  }

  release(handle: BoardHandle): void {
    this.#handles.delete(handle);
  }

  /** Applies a feature report the way the board's firmware does. */
  receive(report: number[]): void {
    this.featureReports.push(report);
    const [, command, relay = 0] = report;
    const bit = relay >= 1 && relay <= this.relays ? 1 << (relay - 1) : 0;
    if (command === usbRelayCommand.on) this.relaysOn |= bit;
    else if (command === usbRelayCommand.off) this.relaysOn &= ~bit;
    else if (command === usbRelayCommand.allOn) this.relaysOn = (1 << this.relays) - 1;
    else if (command === usbRelayCommand.allOff) this.relaysOn = 0;
  }

  /** The 8 data bytes of a state read: serial in 0..4, relay bitmask in 7. */
  stateReport(): Buffer {
    const state = Buffer.alloc(8);
    state.write(this.serial.slice(0, 5), 0, 'latin1');
    state[7] = this.relaysOn;
    return state;
  }

  /** Pulls the board out: open handles report an error, as node-hid's do. */
  unplug(): void {
    this.#plugged = false;
    for (const handle of this.#handles) handle.emit('error', new Error('could not read from HID device'));
    this.#handles.clear();
  }

  plugIn(): void {
    this.#plugged = true;
  }

  isOn(relay: number): boolean {
    return (this.relaysOn & (1 << (relay - 1))) !== 0;
  }
}

/** One open handle on the board, as node-hid gives one per `open`. */
class BoardHandle extends EventEmitter implements HidDevice {
  constructor(private readonly board: HidRelayBoard) {
    super();
  }

  async write(): Promise<number> {
    throw new Error('The relay board takes feature reports only');
  }

  async sendFeatureReport(data: number[] | Buffer): Promise<number> {
    this.#reach('send feature report to');
    this.board.receive([...data]);
    return data.length;
  }

  async getFeatureReport(_reportId: number, length: number): Promise<Buffer> {
    this.#reach('get feature report from');
    return this.board.stateReport().subarray(0, length);
  }

  async close(): Promise<void> {
    this.board.release(this);
  }

  #reach(what: string): void {
    if (!this.board.reaches(this)) throw new Error(`could not ${what} device`);
  }
}
