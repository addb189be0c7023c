import { AppError, ErrorCode, errors } from '@gymstack/shared';
import type { HidBinding, HidDevice } from '../hid.js';
import { PulseTimer } from './pulse-timer.js';
import { assertPulseMs, RelayBase } from './relay-base.js';
import {
  parseUsbRelayState,
  usbRelayCommand,
  usbRelayProduct,
  usbRelayProductId,
  usbRelayReport,
  usbRelayReportLength,
  usbRelayVendorId,
  type UsbRelayCommand,
  type UsbRelayState,
} from './usb-relay-protocol.js';

export interface HidRelayOptions {
  id: string;
  binding: HidBinding;
  /** The board's relay (1-based) wired to the lock. */
  relay: number;
  /** The board's serial (as its state report gives it) when several boards are plugged in; otherwise the first board. */
  serial?: string;
}

const udevHint =
  'Allow access to USB relay boards: add SUBSYSTEM=="hidraw", ATTRS{idVendor}=="16c0", ATTRS{idProduct}=="05df", MODE="0660", GROUP="plugdev" ' +
  'to /etc/udev/rules.d/50-usb-relay.rules, run sudo udevadm control --reload-rules, and plug the board in again';

function deviceError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if ((e as NodeJS.ErrnoException).code === 'EACCES' || /EACCES|permission denied/i.test(message)) {
    return errors.device(ErrorCode.DevicePermission, `No permission to open the USB relay board. ${udevHint}`);
  }
  return errors.device(ErrorCode.DeviceFailed, `The USB relay board failed: ${message}`);
}

/**
 * A USB HID relay board. The board has no timer, so a pulse is on, wait, off; a pulse while the door
 * is already open only moves its closing time later.
 */
export class HidRelay extends RelayBase {
  readonly #options: HidRelayOptions;
  #device: HidDevice | null = null;
  readonly #pulse = new PulseTimer();

  constructor(options: HidRelayOptions) {
    super(options.id);
    if (!Number.isInteger(options.relay) || options.relay < 1 || options.relay > 8) {
      throw errors.validation([{ path: 'relay', message: 'A relay board has relays 1 to 8' }]);
    }
    this.#options = options;
  }

  async open(): Promise<void> {
    await this.#connect();
  }

  async close(): Promise<void> {
    const device = this.#device;
    if (!device) return;
    try {
      // Never leave the lock released because the desk closed mid-pulse.
      if (this.#pulse.running) await this.#release();
    } finally {
      this.#forget(device);
      this.setStatus({ state: 'disconnected' });
      await device.close();
    }
  }

  async pulse(ms: number): Promise<void> {
    assertPulseMs(ms);
    // A board unplugged and plugged back in is picked up again by the next pulse.
    const device = this.#device ?? (await this.#connect());
    if (!this.#pulse.start(ms, () => void this.#release().catch(() => undefined))) return;
    try {
      await this.#send(device, usbRelayCommand.on);
    } catch (e) {
      this.#pulse.cancel();
      throw e;
    }
    this.setDoor('open');
  }

  async #connect(): Promise<HidDevice> {
    this.setStatus({ state: 'connecting' });
    try {
      const { device, state } = await this.#find();
      device.on('error', this.#unplugged);
      this.#device = device;
      this.setStatus({ state: 'connected' });
      // A desk that stopped mid-pulse left the lock released: it starts closed.
      if (state.relaysOn & this.#bit) await this.#send(device, usbRelayCommand.off);
      this.setDoor('closed');
      return device;
    } catch (e) {
      const error = deviceError(e);
      this.setStatus({ state: error.code === ErrorCode.DeviceNotFound ? 'disconnected' : 'error', error: error.toPayload() });
      throw error;
    }
  }

  async #find(): Promise<{ device: HidDevice; state: UsbRelayState }> {
    const { binding, serial } = this.#options;
    const boards = (await binding.devices()).filter(
      (d) => d.vendorId === usbRelayVendorId && d.productId === usbRelayProductId && (d.product === undefined || usbRelayProduct.test(d.product)),
    );
    for (const board of boards) {
      const device = await binding.open(board.path);
      const state = parseUsbRelayState(await device.getFeatureReport(0, usbRelayReportLength));
      if (serial === undefined || state.serial === serial) return { device, state };
      await device.close();
    }
    throw errors.device(ErrorCode.DeviceNotFound, serial === undefined ? 'No USB relay board is plugged in' : `No USB relay board with serial ${serial} is plugged in`);
  }

  get #bit(): number {
    return 1 << (this.#options.relay - 1);
  }

  async #send(device: HidDevice, command: UsbRelayCommand): Promise<void> {
    try {
      await device.sendFeatureReport(usbRelayReport(command, this.#options.relay));
    } catch (e) {
      throw deviceError(e);
    }
  }

  async #release(): Promise<void> {
    this.#pulse.cancel();
    const device = this.#device;
    if (!device) return;
    try {
      await this.#send(device, usbRelayCommand.off);
      this.setDoor('closed');
    } catch (e) {
      this.setStatus({ state: 'error', error: deviceError(e).toPayload() });
      throw e;
    }
  }

  #forget(device: HidDevice): void {
    device.off('error', this.#unplugged);
    this.#device = null;
    this.#pulse.cancel();
  }

  readonly #unplugged = (): void => {
    if (this.#device) this.#forget(this.#device);
    this.setStatus({ state: 'disconnected', error: errors.device(ErrorCode.DeviceNotFound, 'The USB relay board was unplugged').toPayload() });
  };
}
