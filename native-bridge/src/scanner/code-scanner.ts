import type { DeviceStatus, Unsubscribe } from '../device.js';

/** One code read by a QR, barcode or RFID reader. */
export interface Scan {
  code: string;
  /** AIM symbology id when the scanner reports one (`]Q1` for QR). */
  symbology: string | null;
}

export interface CodeScanner {
  open(): Promise<void>;
  close(): Promise<void>;
  readonly status: DeviceStatus;
  onStatus(listener: (status: DeviceStatus) => void): Unsubscribe;
  onScan(listener: (scan: Scan) => void): Unsubscribe;
}
