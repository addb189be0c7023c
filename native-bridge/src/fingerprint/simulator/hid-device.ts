import { EventEmitter } from 'node:events';
import type { HidBinding, HidDevice, HidDeviceInfo } from '../../hid.js';
import { HID_CHUNK_BYTES, HID_REPORT_BYTES } from '../hid-transport.js';
import type { R30xModule } from './module.js';

export interface SimulatedHidOptions {
  path?: string;
  vendorId?: number;
  productId?: number;
}

/**
 * The module behind a USB-HID bridge, as a HidBinding: output reports (report id 0, a length byte,
 * stream bytes) go to the module; its bytes come back as 64-byte input reports. Unplugging removes it
 * from devices() and fails the open device's read loop, as node-hid does.
 */
export class SimulatedHidBinding implements HidBinding {
  readonly info: HidDeviceInfo;

  constructor(
    private readonly module: R30xModule,
    { path = 'sim:r30x-hid', vendorId = 0x2109, productId = 0x7638 }: SimulatedHidOptions = {},
  ) {
    this.info = { path, vendorId, productId, product: 'R30x fingerprint (simulated)', manufacturer: 'GymStack simulator' };
  }

  async devices(): Promise<HidDeviceInfo[]> {
    return this.module.plugged ? [this.info] : [];
  }

  async open(path: string): Promise<HidDevice> {
    if (!this.module.plugged || path !== this.info.path) throw new Error(`cannot open device with path ${path}`);
    return new SimulatedHidDevice(this.module);
  }
}

class SimulatedHidDevice extends EventEmitter implements HidDevice {
  readonly #detach: () => void;
  #open = true;

  constructor(private readonly module: R30xModule) {
    super();
    this.#detach = module.attach({
      transmit: (bytes) => {
        for (let at = 0; at < bytes.length; at += HID_CHUNK_BYTES) {
          const chunk = bytes.subarray(at, at + HID_CHUNK_BYTES);
          const report = Buffer.alloc(HID_REPORT_BYTES);
          report[0] = chunk.length;
          chunk.copy(report, 1);
          // Input reports arrive from node-hid's read thread, never inside write().
          setImmediate(() => this.#open && this.emit('data', report));
        }
      },
      unplugged: () => setImmediate(() => this.#open && this.emit('error', new Error('could not read from HID device'))),
    });
  }

  async write(data: number[] | Buffer): Promise<number> {
    if (!this.#open) throw new Error('Cannot write to a closed HID device');
    if (!this.module.plugged) throw new Error('Cannot write to HID device');
    const report = Buffer.from(data);
    if (report[0] !== 0) throw new Error('The first byte must be the report id (0)');
    this.module.receive(report.subarray(2, 2 + Math.min(report[1] ?? 0, HID_CHUNK_BYTES)));
    return report.length;
  }

  async sendFeatureReport(data: number[] | Buffer): Promise<number> {
    return data.length;
  }

  async getFeatureReport(_reportId: number, length: number): Promise<Buffer> {
    return Buffer.alloc(length);
  }

  async close(): Promise<void> {
    this.#open = false;
    this.#detach();
  }
}
