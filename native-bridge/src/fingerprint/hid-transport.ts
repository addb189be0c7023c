import { EventEmitter } from 'node:events';
import { ErrorCode, errors } from '@gymstack/shared';
import type { HidBinding, HidDevice, HidDeviceInfo } from '../hid.js';
import type { FrameTransport, TransportFactory } from './transport.js';

/**
 * USB-HID R30x bridges carry the serial byte stream in 64-byte reports: a length byte, then that many
 * stream bytes. A frame longer than 63 bytes spans several reports; the frame parser re-joins them.
 */
export const HID_REPORT_BYTES = 64;
export const HID_CHUNK_BYTES = HID_REPORT_BYTES - 1;

export interface HidTransportOptions {
  binding: HidBinding;
  /** A device path; or pick the first device matching vendorId/productId. */
  path?: string;
  vendorId?: number;
  productId?: number;
}

export function hidTransport(options: HidTransportOptions): TransportFactory {
  return () => openHidTransport(options);
}

export async function openHidTransport({ binding, path, vendorId, productId }: HidTransportOptions): Promise<FrameTransport> {
  const matches = (d: HidDeviceInfo) =>
    path !== undefined ? d.path === path : (vendorId === undefined || d.vendorId === vendorId) && (productId === undefined || d.productId === productId);
  const found = (await binding.devices()).find(matches);
  const what = path ?? `USB ${hex4(vendorId)}:${hex4(productId)}`;
  if (!found) throw errors.device(ErrorCode.DeviceNotFound, `Fingerprint reader not found (${what}): is it plugged in?`);
  let device: HidDevice;
  try {
    device = await binding.open(found.path);
  } catch (error) {
    // The device is listed, so a refused open is almost always the hidraw node's permissions.
    throw errors.device(
      ErrorCode.DevicePermission,
      `No permission to open the fingerprint reader (${what}): add a udev rule such as SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${hex4(found.vendorId)}", MODE="0660", GROUP="plugdev" and re-plug it (${(error as Error).message})`,
    );
  }
  return new HidTransport(device);
}

/** Cuts a byte stream into output reports, each prefixed with report id 0 as node-hid requires. */
export function toHidReports(bytes: Buffer): Buffer[] {
  const reports: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += HID_CHUNK_BYTES) {
    const chunk = bytes.subarray(at, at + HID_CHUNK_BYTES);
    const report = Buffer.alloc(1 + HID_REPORT_BYTES);
    report[1] = chunk.length;
    chunk.copy(report, 2);
    reports.push(report);
  }
  return reports;
}

/** The stream bytes an input report carries. */
export function fromHidReport(report: Buffer): Buffer {
  return report.subarray(1, 1 + Math.min(report[0] ?? 0, HID_CHUNK_BYTES));
}

class HidTransport extends EventEmitter implements FrameTransport {
  #closed = false;

  constructor(private readonly device: HidDevice) {
    super();
    device.on('data', (report) => this.emit('data', fromHidReport(report)));
    // node-hid reports a vanished device as an error on its read loop: that is an unplug.
    device.on('error', (error) => {
      if (this.#closed) return;
      this.#closed = true;
      this.emit('close', error);
      void device.close().catch(() => undefined);
    });
  }

  async write(bytes: Buffer): Promise<void> {
    for (const report of toHidReports(bytes)) await this.device.write(report);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.device.close();
    this.emit('close');
  }
}

const hex4 = (n: number | undefined) => (n === undefined ? '????' : n.toString(16).padStart(4, '0'));
