import { EventEmitter } from 'node:events';
import { SerialPortStream, type OpenOptions } from '@serialport/stream';
import { ErrorCode, errors, type AppError } from '@gymstack/shared';
import type { FrameTransport, TransportFactory } from './transport.js';

/** A node-serialport binding: the real one (bindings-cpp) or `MockBinding` in tests. */
export type SerialBinding = OpenOptions['binding'];

export interface SerialTransportOptions {
  /** `/dev/ttyUSB0`, `COM3`… */
  path: string;
  /** R30x modules ship at 57,600 baud. */
  baudRate?: number;
  /** Defaults to the real binding, loaded only when first needed so tests and simulators skip the native module. */
  binding?: SerialBinding;
}

export const DEFAULT_BAUD_RATE = 57_600;

/** A factory the reader calls on open and on every reconnect. */
export function serialTransport(options: SerialTransportOptions): TransportFactory {
  return () => openSerialTransport(options);
}

export async function openSerialTransport({ path, baudRate = DEFAULT_BAUD_RATE, binding }: SerialTransportOptions): Promise<FrameTransport> {
  const port = new SerialPortStream({ binding: binding ?? (await defaultSerialBinding()), path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(openError(path, error)) : resolve())));
  return new SerialTransport(port);
}

/** node-serialport's own binding for this OS (bindings-cpp autoDetect). */
export async function defaultSerialBinding(): Promise<SerialBinding> {
  const { SerialPort } = await import('serialport');
  return SerialPort.binding;
}

/** The serial ports this PC has, so staff pick the reader's port instead of typing it (needs udevadm on Linux). */
export async function listSerialPorts(binding?: SerialBinding): Promise<{ path: string; manufacturer: string | null; vendorId: string | null; productId: string | null }[]> {
  const ports = await (binding ?? (await defaultSerialBinding())).list();
  return ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? null, vendorId: p.vendorId ?? null, productId: p.productId ?? null }));
}

/** What the OS said when the port would not open, in words staff can act on. */
export function openError(path: string, error: Error & { code?: string }): AppError {
  const text = `${error.code ?? ''} ${error.message}`;
  if (/ENOENT|no such file|not found|does not exist|cannot find/i.test(text)) {
    return errors.device(ErrorCode.DeviceNotFound, `Fingerprint reader not found at ${path}: is it plugged in?`);
  }
  if (/EACCES|EPERM|permission denied|access denied/i.test(text)) {
    return errors.device(
      ErrorCode.DevicePermission,
      `No permission to open ${path}: add the desk's user to the dialout group (sudo usermod -aG dialout $USER, then log in again) or add a udev rule giving the reader MODE="0660", GROUP="dialout"`,
    );
  }
  return errors.device(ErrorCode.DeviceFailed, `Could not open the fingerprint reader at ${path}: ${error.message}`);
}

class SerialTransport extends EventEmitter implements FrameTransport {
  #closing = false;

  constructor(private readonly port: SerialPortStream) {
    super();
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    // A disconnect closes the stream with an error; our own close() closes it without one.
    port.on('close', (error?: Error | null) => this.emit('close', this.#closing ? undefined : (error ?? new Error('The serial port closed'))));
    port.on('error', (error: Error) => this.emit('error', error));
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(): Promise<void> {
    if (!this.port.isOpen) return Promise.resolve();
    this.#closing = true;
    return new Promise((resolve) => this.port.close(() => resolve()));
  }
}
