import { EventEmitter } from 'node:events';
import type { HidBinding, HidDevice, HidDeviceInfo } from '../../hid.js';
import {
  DATA_BYTES,
  DATA_OFFSET,
  FLAGS_OFFSET,
  HID_POS_SCANNER_USAGE,
  HID_POS_USAGE_PAGE,
  LENGTH_OFFSET,
  MORE_DATA_FLAG,
  SCANNED_DATA_REPORT_BYTES,
  SCANNED_DATA_REPORT_ID,
  SYMBOLOGY_OFFSET,
} from '../hid-pos-report.js';

/** The input reports a HID POS scanner sends for one code: 56 data bytes each, all but the last flagged "more". */
export function scannedDataReports(code: string, symbology = ']Q1'): Buffer[] {
  const data = Buffer.from(code, 'utf8');
  const reports: Buffer[] = [];
  for (let start = 0; start === 0 || start < data.length; start += DATA_BYTES) {
    const chunk = data.subarray(start, start + DATA_BYTES);
    const report = Buffer.alloc(SCANNED_DATA_REPORT_BYTES);
    report[0] = SCANNED_DATA_REPORT_ID;
    report[LENGTH_OFFSET] = chunk.length;
    report.write(symbology, SYMBOLOGY_OFFSET, 3, 'latin1');
    chunk.copy(report, DATA_OFFSET);
    report[FLAGS_OFFSET] = start + DATA_BYTES < data.length ? MORE_DATA_FLAG : 0;
    reports.push(report);
  }
  return reports;
}

export const simulatedScannerInfo: HidDeviceInfo = {
  path: '/dev/hidraw-sim-scanner',
  vendorId: 0x0c2e, // Honeywell
  productId: 0x0b61,
  manufacturer: 'Simulated',
  product: 'HID POS barcode scanner',
  usagePage: HID_POS_USAGE_PAGE,
  usage: HID_POS_SCANNER_USAGE,
};

/** An EventEmitter, as node-hid's devices are: `data` for input reports, `error` when the device goes away. */
class SimulatedHidDevice extends EventEmitter implements HidDevice {
  closed = false;

  async write(data: number[] | Buffer): Promise<number> {
    return data.length;
  }

  async sendFeatureReport(data: number[] | Buffer): Promise<number> {
    return data.length;
  }

  async getFeatureReport(reportId: number, length: number): Promise<Buffer> {
    const report = Buffer.alloc(length);
    report[0] = reportId;
    return report;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * A `HidBinding` holding one simulated HID POS scanner beside any `others` (a keyboard, say), for
 * tests and for running the desk without hardware. `scan` sends byte-exact reports to whoever has it open.
 */
export class HidPosScannerSimulator implements HidBinding {
  #pluggedIn = true;
  #open: SimulatedHidDevice | null = null;
  /** Set to make opening fail as an unreadable /dev/hidraw node does. */
  permissionDenied = false;

  constructor(
    readonly info: HidDeviceInfo = simulatedScannerInfo,
    private readonly others: HidDeviceInfo[] = [],
  ) {}

  async devices(): Promise<HidDeviceInfo[]> {
    return this.#pluggedIn ? [...this.others, this.info] : [...this.others];
  }

  async open(path: string): Promise<HidDevice> {
    if (path !== this.info.path || !this.#pluggedIn) throw new Error(`cannot open device with path ${path}`);
    if (this.permissionDenied) throw new Error(`Failed to open a device with path '${path}': Permission denied`);
    this.#open = new SimulatedHidDevice();
    return this.#open;
  }

  /** Whether a driver holds the scanner open. */
  get isOpen(): boolean {
    return this.#open !== null && !this.#open.closed;
  }

  scan(code: string, symbology = ']Q1'): void {
    if (!this.isOpen) return; // nobody reading: the code is lost, as with a real scanner
    for (const report of scannedDataReports(code, symbology)) this.#open?.emit('data', report);
  }

  /** Pulls the cable: the open device fails its read, as node-hid's does. */
  unplug(): void {
    this.#pluggedIn = false;
    const device = this.#open;
    this.#open = null;
    if (device && !device.closed) device.emit('error', new Error('could not read from HID device'));
  }

  plugIn(): void {
    this.#pluggedIn = true;
  }
}
