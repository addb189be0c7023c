import { errors, ErrorCode } from '@gymstack/shared';
import type { ErrorPayload } from '@gymstack/shared';
import type { DeviceStatus, Unsubscribe } from '../device.js';
import type { HidBinding, HidDevice, HidDeviceInfo } from '../hid.js';
import type { CodeScanner, Scan } from './code-scanner.js';
import { HID_POS_USAGE_PAGE, ScanAssembler } from './hid-pos-report.js';

export interface HidPosScannerOptions {
  /** Picks one model when more than one HID POS device is plugged in. */
  vendorId?: number;
  productId?: number;
  /** How often to look for the scanner while it is missing or could not be opened; 2 s by default. */
  pollMs?: number;
}

const hex = (id: number) => id.toString(16).padStart(4, '0');

const notFound = (message: string): ErrorPayload => errors.device(ErrorCode.DeviceNotFound, message).toPayload();

/** hidapi reports a refused open only in its message ("…: Permission denied"), so the message is what is read. */
function openFailure(error: unknown, info: HidDeviceInfo): DeviceStatus {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM' || /EACCES|EPERM|permission denied|access denied/i.test(message)) {
    const rule = `SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${hex(info.vendorId)}", MODE="0660", GROUP="plugdev"`;
    return {
      state: 'error',
      error: errors
        .device(ErrorCode.DevicePermission, `No permission to open the barcode scanner (${info.path}). Add the udev rule ${rule} in /etc/udev/rules.d/, put the desk's user in the plugdev group, then replug the scanner.`)
        .toPayload(),
    };
  }
  return { state: 'error', error: errors.device(ErrorCode.DeviceFailed, `The barcode scanner could not be opened: ${message}`).toPayload() };
}

/**
 * A USB barcode or QR scanner in HID POS mode (usage page 0x8C): it sends each code as input reports
 * instead of typing it, so nothing reaches a focused form field. Missing, unplugged or refused, it
 * keeps looking every `pollMs` and connects as soon as it can.
 */
export class HidPosScanner implements CodeScanner {
  #status: DeviceStatus = { state: 'disconnected' };
  /** Replaced on every open and cleared on close, so an attempt started before a close stops there. */
  #session: object | null = null;
  #device: HidDevice | null = null;
  #retry: NodeJS.Timeout | null = null;
  readonly #assembler = new ScanAssembler();
  readonly #statusListeners = new Set<(status: DeviceStatus) => void>();
  readonly #scanListeners = new Set<(scan: Scan) => void>();

  constructor(
    private readonly binding: HidBinding,
    private readonly options: HidPosScannerOptions = {},
  ) {}

  get status(): DeviceStatus {
    return this.#status;
  }

  /** Resolves after the first attempt; `status` then says whether the scanner is there. */
  async open(): Promise<void> {
    if (this.#session) return;
    const session = {};
    this.#session = session;
    this.#setStatus({ state: 'connecting' });
    await this.#connect(session);
  }

  async close(): Promise<void> {
    this.#session = null;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    const device = this.#detach();
    this.#setStatus({ state: 'disconnected' });
    await device?.close();
  }

  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  onScan(listener: (scan: Scan) => void): Unsubscribe {
    this.#scanListeners.add(listener);
    return () => this.#scanListeners.delete(listener);
  }

  async #connect(session: object): Promise<void> {
    let info: HidDeviceInfo | undefined;
    try {
      info = (await this.binding.devices()).find((d) => this.#matches(d));
    } catch (error) {
      return this.#retryLater(session, { state: 'error', error: errors.device(ErrorCode.DeviceFailed, `USB devices could not be listed: ${String(error)}`).toPayload() });
    }
    if (session !== this.#session) return;
    if (!info) {
      return this.#retryLater(session, {
        state: 'disconnected',
        error: notFound('No barcode scanner in USB HID POS mode is plugged in (its manual has a code that switches it to HID POS)'),
      });
    }
    let device: HidDevice;
    try {
      device = await this.binding.open(info.path);
    } catch (error) {
      return this.#retryLater(session, openFailure(error, info));
    }
    if (session !== this.#session) {
      await device.close();
      return;
    }
    this.#device = device;
    device.on('data', this.#onData);
    device.on('error', this.#onError);
    this.#setStatus({ state: 'connected' });
  }

  #matches(info: HidDeviceInfo): boolean {
    const { vendorId, productId } = this.options;
    return info.usagePage === HID_POS_USAGE_PAGE && (vendorId === undefined || info.vendorId === vendorId) && (productId === undefined || info.productId === productId);
  }

  #retryLater(session: object, status: DeviceStatus): void {
    if (session !== this.#session) return;
    this.#setStatus(status);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#connect(session);
    }, this.options.pollMs ?? 2000);
    // Waiting for a scanner must not keep the process alive.
    this.#retry.unref();
  }

  readonly #onData = (report: Buffer): void => {
    const scan = this.#assembler.push(report);
    if (scan) for (const listener of this.#scanListeners) listener(scan);
  };

  /** node-hid reports an unplug as a read error. */
  readonly #onError = (): void => {
    const device = this.#detach();
    device?.close().catch(() => {}); // already gone; nothing to release
    const session = this.#session;
    if (session) this.#retryLater(session, { state: 'disconnected', error: notFound('The barcode scanner was unplugged') });
  };

  #detach(): HidDevice | null {
    const device = this.#device;
    this.#device = null;
    this.#assembler.reset();
    device?.off('data', this.#onData);
    device?.off('error', this.#onError);
    return device;
  }

  #setStatus(status: DeviceStatus): void {
    const same = status.state === this.#status.state && status.error?.code === this.#status.error?.code && status.error?.message === this.#status.error?.message;
    if (same) return; // polling for a missing scanner repeats its status
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }
}
